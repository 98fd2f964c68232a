// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice A-3 (medium, fixed): recovery sniping and force-service returned through `recoverUnsold` → `recover`.
///         `recoverUnsold` used to settle an unsold auction at 0 and clear the pool's record of loans in liquidation,
///         although governance booked the NFT's sale later with `pool.recover`: in between the recovery was priced
///         nowhere. Now the loan stays in liquidation at governance's estimate (at most its book value) until
///         `settleRecovery` books the sale (SPEC §7.5): deposits stay priced with it and the lines stay held.
contract RecoveryAfterRecoverUnsoldTest is LiquidationBase {
    address internal sniper = makeAddr("sniper");
    address internal victim = makeAddr("victim");
    address internal recovery = makeAddr("recovery");
    uint256 internal loanId;

    /// @dev 800k senior (bob); 250k junior (alice) + 50k junior (victim).
    function _seed() internal override {
        _deposit(Tranche.Junior, victim, 50_000 * USDC);
        _seedLiquidity(800_000 * USDC, 250_000 * USDC);
    }

    /// @dev The standard 50k loan goes overdue, its auction goes unsold, governance takes the NFT at its book value.
    function _unsold() internal returns (uint256 book) {
        (loanId,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        _overdue(loanId);
        _liquidate(loanId);
        vm.warp(block.timestamp + RECOVERY_TIMEOUT);
        _refresh();
        book = pool.loan(loanId).principal;
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery, book);
    }

    function _settleRecovery(uint256 amount) internal {
        _fund(gov, amount);
        vm.prank(gov);
        pool.settleRecovery(loanId, amount);
    }

    /// @dev (1) A large junior deposit just before the (timelock-scheduled) booking of the sale gains nothing: it is
    ///      priced with the pending recovery, so the juniors who bore the write-off keep their recovery.
    function test_attack_recoverySniping_depositBeforeSettleRecovery_gainsNothing() public {
        _unsold();
        uint256 aliceShares = junior.balanceOf(alice);
        uint256 snap = vm.snapshotState();
        _settleRecovery(40_000 * USDC);
        uint256 aliceHonest = junior.convertToAssets(aliceShares);
        vm.revertToState(snap);

        uint256 s = _deposit(Tranche.Junior, sniper, 1_000_000 * USDC);
        _settleRecovery(40_000 * USDC);
        uint256 sniperOut = junior.convertToAssets(s);
        console2.log("sniper's 1M after the booking (units)", sniperOut);
        assertLe(sniperOut, 1_000_000 * USDC, "no gain: the deposit paid for the recovery at its estimate");
        assertGe(junior.convertToAssets(aliceShares) + 2, aliceHonest, "alice keeps her recovery");
    }

    /// @dev (2) Nobody can serve a queued junior between `recoverUnsold` and `settleRecovery`: the line stays held by
    ///      the pending recovery, then cools down, and the victim is paid with the sale booked.
    function test_attack_forceService_betweenRecoverUnsoldAndSettle_refused() public {
        uint256 shares = junior.balanceOf(victim);
        vm.prank(victim);
        uint256 requestId = junior.requestRedeem(shares, victim, victim);
        _unsold();
        assertEq(junior.processQueue(10), 0, "held by the pending recovery");
        assertEq(junior.claimableRedeemRequest(requestId, victim), 0);
        _settleRecovery(40_000 * USDC);
        assertEq(junior.processQueue(10), 0, "the booking that ended the hold starts the cooldown");
        vm.warp(block.timestamp + 1 days);
        uint256 fair = junior.convertToAssets(shares);
        assertEq(junior.processQueue(10), 1);
        uint256 paid = junior.redeemRequest(requestId).claimableAssets;
        console2.log("victim paid with the sale booked (units)", paid);
        assertEq(paid, fair, "paid its value with the recovery in");
        assertGt(paid, 45_000 * USDC, "a sixth of the ~10k net loss, not of the whole 50k write-off");
    }

    /// @dev A write-off at `recoverUnsold` (estimate 0) ends the hold at once: the line still cools down first, so the
    ///      queued junior is not served in that block at the written-off price (SPEC §5.7).
    function test_recoverUnsold_writeOffEndingTheHold_startsTheCooldown() public {
        uint256 shares = junior.balanceOf(victim);
        vm.prank(victim);
        uint256 requestId = junior.requestRedeem(shares, victim, victim);
        (loanId,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        _overdue(loanId);
        _liquidate(loanId);
        vm.warp(block.timestamp + RECOVERY_TIMEOUT);
        _refresh();
        (bool held,,,) = pool.queueHold(Tranche.Junior);
        assertTrue(held, "held by the unsold auction");
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery, 0);
        (bool stillHeld, uint256 servableAfter,,) = pool.queueHold(Tranche.Junior);
        assertFalse(stillHeld, "nothing pending any more");
        assertEq(servableAfter, block.timestamp + 1 days, "the write-off starts the cooldown");
        assertEq(junior.processQueue(10), 0, "not in the block of the write-off");
        vm.warp(servableAfter);
        assertEq(junior.processQueue(10), 1);
        assertGt(junior.redeemRequest(requestId).claimableAssets, 0);
    }
}

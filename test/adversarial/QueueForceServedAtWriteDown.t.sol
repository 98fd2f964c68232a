// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console2} from "forge-std/console2.sol";

import {Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice F-5, queue force-served at the write-down (SPEC §5 "Queue fairness"): impairment writes loans off at once
///         and auctions bring value back later, and queue service is permissionless. Before the fix anyone could
///         serve a queued lender in the block of the liquidations, at the realised price, and the burned shares took
///         their pro-rata claim with them: the junior kept the recovery.
///         Measured on 300k junior / 1M senior, the victim queueing 200k senior with all cash lent, the apes floor
///         down 30 %, one loan repaid and 25 liquidated: the victim's request was consumed for 10,000 USDC instead of
///         the ~200,054 it gets once the auctions settle.
contract QueueForceServedAtWriteDownTest is LiquidationBase {
    address internal victim = makeAddr("victim");
    uint256 internal constant LOANS = 26;

    uint256[] internal loanIds;
    uint256 internal victimRequest;

    /// @dev 300k junior (alice), 800k senior (bob) + 200k senior (victim).
    function _seed() internal override {
        _seedLiquidity(800_000 * USDC, 300_000 * USDC);
        _deposit(Tranche.Senior, victim, 200_000 * USDC);
    }

    /// @dev All 1.3M lent in 26 loans of 50k, the victim queues its whole senior position (no cash: it waits), the
    ///      floor falls 30 % (every loan unhealthy), one loan is repaid (50k of cash), 25 are liquidated.
    function _writeDown() internal returns (uint256[] memory auctions) {
        for (uint256 i; i < LOANS; ++i) {
            (uint256 id,) = _borrow(dave, apes, PRINCIPAL, 30 days);
            loanIds.push(id);
        }
        assertEq(pool.cash(), 0, "all cash lent");
        uint256 shares = senior.balanceOf(victim);
        vm.prank(victim);
        victimRequest = senior.requestRedeem(shares, victim, victim);
        assertEq(senior.pendingRedeemRequest(victimRequest, victim), shares, "waits for cash");

        _crashTo(address(apes), 70_000 * USDC);
        _fund(dave, 0);
        vm.prank(dave);
        pool.repay(loanIds[0], type(uint256).max);
        auctions = new uint256[](LOANS - 1);
        for (uint256 i = 1; i < LOANS; ++i) {
            vm.prank(keeper);
            auctions[i - 1] = liquidator.liquidate(loanIds[i]);
        }
    }

    /// @dev Every auction bought once its price has fallen to what the loan owes (debt + penalty).
    function _settleAll(uint256[] memory auctions) internal {
        vm.warp(block.timestamp + 2 days + 6 hours);
        for (uint256 i; i < auctions.length; ++i) {
            _buy(buyer, auctions[i]);
        }
    }

    function test_attack_queueForceServedAtWriteDown_processQueue() public {
        uint256[] memory auctions = _writeDown();
        uint256 shares = senior.pendingRedeemRequest(victimRequest, victim);
        uint256 atWriteDown = senior.convertToAssets(shares);
        console2.log("victim's request at the realised price (units)", atWriteDown);
        assertLt(senior.totalAssets(), pool.trancheDepositValue(Tranche.Senior), "realised below book");

        // The attack: the junior holder serves the victim's request in the block of the liquidations.
        vm.prank(alice);
        uint256 served = senior.processQueue(1);
        assertEq(served, 0, "not served while recoveries are pending");
        assertEq(senior.claimableRedeemRequest(victimRequest, victim), 0, "nothing consumed");
        assertEq(senior.pendingRedeemRequest(victimRequest, victim), shares, "still in line");
        assertEq(pool.servable(Tranche.Senior), 0, "the queue is paused, not the cash");
        // A third party's 1-share request auto-serves nothing either.
        vm.prank(bob);
        senior.requestRedeem(1, bob, bob);
        assertEq(senior.claimableRedeemRequest(victimRequest, victim), 0, "auto-service paused too");

        _settleAll(auctions);
        assertEq(senior.totalAssets(), pool.trancheDepositValue(Tranche.Senior), "settled");
        assertEq(senior.processQueue(1), 0, "the settlements that ended the hold start the cooldown");
        vm.warp(block.timestamp + 1 days);
        senior.processQueue(1);
        uint256 paid = senior.redeemRequest(victimRequest).claimableAssets;
        console2.log("victim paid after settlement (units)", paid);
        console2.log("junior value after settlement (units)", junior.totalAssets());
        assertEq(senior.pendingRedeemRequest(victimRequest, victim), 0, "served in full");
        assertGt(paid, 200_000 * USDC, "the victim gets its whole claim");
        assertGt(paid, atWriteDown * 19, "twenty times what the write-down price paid");
        assertLt(junior.totalAssets(), 400_000 * USDC, "the junior does not keep the victim's recovery");
    }
}

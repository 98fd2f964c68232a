// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "../../src/governance/Governed.sol";
import {AuctionParams, AuctionStatus, ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {IStrataPool, LoanStatus, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "./LiquidationBase.sol";

/// @notice `recoverUnsold`: governance only, only after `recoveryTimeout`; the loan stays in liquidation at
///         governance's estimate (the rest is realised) until `settleRecovery` books the sale (SPEC §7.5).
contract RecoverUnsoldTest is LiquidationBase {
    uint256 internal t0;
    uint256 internal tStart;
    uint256 internal loanId;
    uint256 internal tokenId;
    uint256 internal book;
    address internal recovery = makeAddr("recovery");

    function setUp() public override {
        super.setUp();
        t0 = block.timestamp;
        (loanId, tokenId) = _standardLoan();
        _overdue(loanId);
        tStart = block.timestamp;
        book = PRINCIPAL + _interest(PRINCIPAL, APR, tStart - t0);
        _liquidate(loanId);
    }

    function test_recover_onlyGovernance() public {
        vm.warp(tStart + RECOVERY_TIMEOUT);
        address[4] memory callers = [keeper, carol, guardian, multisig];
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, callers[i]));
            vm.prank(callers[i]);
            liquidator.recoverUnsold(loanId, callers[i], 0);
        }
    }

    function test_recover_tooEarly_reverts() public {
        vm.warp(tStart + RECOVERY_TIMEOUT - 1);
        vm.expectRevert(
            abi.encodeWithSelector(ILiquidator.RecoveryTooEarly.selector, loanId, tStart + RECOVERY_TIMEOUT)
        );
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery, 0);
    }

    function test_recover_zeroAddress_reverts() public {
        vm.warp(tStart + RECOVERY_TIMEOUT);
        vm.expectRevert(abi.encodeWithSelector(Governed.ZeroAddress.selector));
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, address(0), 0);
    }

    function test_recover_notRunning_reverts() public {
        vm.warp(tStart + RECOVERY_TIMEOUT);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, 31));
        vm.prank(gov);
        liquidator.recoverUnsold(31, recovery, 0);
    }

    function test_recover_afterTimeout_pendingAtEstimate_thenSettledSeniorFirst() public {
        uint256 tRec = tStart + RECOVERY_TIMEOUT;
        vm.warp(tRec);
        uint256 navBefore = pool.nav();
        assertEq(navBefore, 950_000 * USDC, "book already out of NAV");
        uint256 estimate = 30_000 * USDC;

        vm.expectEmit(address(liquidator));
        emit ILiquidator.AuctionRecovered(loanId, recovery, estimate);
        vm.expectEmit(address(pool));
        emit IStrataPool.RecoveryPending(loanId, book, estimate);
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery, estimate);

        assertEq(apes.ownerOf(tokenId), recovery, "NFT to the recovery address");
        _assertLoanStatus(loanId, LoanStatus.Recovering);
        assertEq(pool.loan(loanId).principal, estimate, "pending at the estimate");
        assertEq(uint256(liquidator.auction(loanId).status), uint256(AuctionStatus.Recovered));
        assertEq(pool.nav(), navBefore, "NAV unchanged");
        uint256 claim = _compound(800_000 * USDC, SENIOR_RATE, tRec - t0);
        // Deposits stay priced with the pending recovery (at the estimate): 950k + 30k.
        assertEq(pool.trancheDepositValue(Tranche.Junior), 980_000 * USDC - claim, "priced with the estimate");
        _assertSolvent();

        // Settled once: nobody can buy or redeem it any more, nor recover it twice.
        _fund(dave, 200_000 * USDC);
        vm.startPrank(dave);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        liquidator.buy(loanId, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        liquidator.redeem(loanId);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery, 0);

        // Only governance books the sale (anyone could otherwise realise the pending recovery at 1 unit).
        vm.expectRevert(abi.encodeWithSelector(Governed.NotGovernance.selector, recovery));
        vm.prank(recovery);
        pool.settleRecovery(loanId, 40_000 * USDC);

        // The recovery address sold the NFT for 40k and passed the proceeds to governance, which books them.
        _assertTranches(claim, 950_000 * USDC - claim);
        _fund(gov, 40_000 * USDC);
        vm.expectEmit(address(pool));
        emit IStrataPool.LiquidationSettled(loanId, 40_000 * USDC, 0, 10_000 * USDC);
        vm.prank(gov);
        pool.settleRecovery(loanId, 40_000 * USDC);
        _assertLoanStatus(loanId, LoanStatus.Liquidated);
        assertEq(pool.nav(), 990_000 * USDC);
        _assertTranches(claim, 990_000 * USDC - claim);
        assertEq(pool.trancheDepositValue(Tranche.Junior), 990_000 * USDC - claim, "nothing pending any more");
        _assertSolvent();

        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotRecovering.selector, loanId));
        vm.prank(gov);
        pool.settleRecovery(loanId, 0);
    }

    function test_recover_estimateAboveBook_reverts() public {
        vm.warp(tStart + RECOVERY_TIMEOUT);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.RecoveryEstimateAboveBook.selector, loanId, book + 1, book));
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery, book + 1);
    }

    /// @dev SPEC §7.2 / §7.5: the recovery timeout is the one in force when the auction started (issue #35, 4).
    function test_recover_usesTheTimeoutTheAuctionStartedWith() public {
        AuctionParams memory p = liquidator.auctionParams();
        p.recoveryTimeout = 7 days;
        vm.prank(gov);
        liquidator.setAuctionParams(p);
        vm.warp(tStart + 7 days);
        vm.expectRevert(
            abi.encodeWithSelector(ILiquidator.RecoveryTooEarly.selector, loanId, tStart + RECOVERY_TIMEOUT)
        );
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery, 0);
        vm.warp(tStart + RECOVERY_TIMEOUT);
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery, 0);
        assertEq(apes.ownerOf(tokenId), recovery);
    }

    function test_recoverZero_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ZeroAmount.selector));
        pool.recover(0);
    }

    function test_recover_atExactTimeout_evenWithAuctionRunningFlat() public {
        vm.warp(tStart + RECOVERY_TIMEOUT);
        assertEq(liquidator.currentPrice(loanId), 50_000 * USDC, "auction still open at its end price");
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery, 0);
        assertEq(apes.ownerOf(tokenId), recovery);
    }
}


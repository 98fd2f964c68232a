// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AuctionStatus, ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {IStrataPool, LoanStatus} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "./LiquidationBase.sol";

/// @notice `redeem`: while the auction runs, anyone pays debt + penalty and the NFT goes back to the borrower
///         (SPEC §7); the payment enters NAV, the auction settles once.
contract RedeemTest is LiquidationBase {
    uint256 internal t0;
    uint256 internal tStart;
    uint256 internal loanId;
    uint256 internal tokenId;
    uint256 internal debt;
    uint256 internal owed;

    function setUp() public override {
        super.setUp();
        t0 = block.timestamp;
        (loanId, tokenId) = _standardLoan();
        _overdue(loanId); // 33 days + 1 s, price stale
        tStart = block.timestamp;
        debt = PRINCIPAL + _interest(PRINCIPAL, APR, tStart - t0);
        owed = debt + _bpsUp(debt, PENALTY_A_BPS);
        _liquidate(loanId);
    }

    function _redeem(address payer, uint256 elapsed) internal {
        vm.warp(tStart + elapsed);
        uint256 payerBefore = usdc.balanceOf(payer);
        uint256 borrowerBalance = usdc.balanceOf(carol);
        _fund(payer, owed);
        uint256 navBefore = pool.nav();
        uint256 cashBefore = pool.cash();

        vm.expectEmit(address(liquidator));
        emit ILiquidator.AuctionRedeemed(loanId, payer, owed);
        vm.expectEmit(address(pool));
        emit IStrataPool.LiquidationSettled(loanId, owed, 0, owed - debt);
        vm.prank(payer);
        assertEq(liquidator.redeem(loanId), owed);

        assertEq(apes.ownerOf(tokenId), carol, "NFT back to the borrower");
        if (payer != carol) assertEq(usdc.balanceOf(carol), borrowerBalance, "borrower paid nothing");
        assertEq(usdc.balanceOf(payer), payerBefore, "payer paid exactly owed");
        assertEq(pool.cash(), cashBefore + owed, "cash += owed");
        assertEq(pool.nav(), navBefore + owed, "NAV += owed");
        assertEq(liquidator.claimable(carol), 0, "no surplus on redemption");
        _assertLoanStatus(loanId, LoanStatus.Liquidated);
        _assertAuction(loanId, 150_000 * USDC, 50_000 * USDC, owed, tStart, AuctionStatus.Redeemed);
        uint256 claim = _claimAfterStandardLoan(tStart - t0); // nothing lent since the impairment
        _assertTranches(claim, 950_000 * USDC + owed - claim);
        _assertSolvent();

        // Settled exactly once.
        _fund(dave, 200_000 * USDC);
        vm.startPrank(dave);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        liquidator.redeem(loanId);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        liquidator.buy(loanId, type(uint256).max);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, loanId));
        vm.prank(carol);
        pool.repay(loanId, owed);
    }

    function test_redeem_byBorrower_atStart() public {
        _redeem(carol, 0);
    }

    function test_redeem_byAnyone_nftGoesToBorrower() public {
        _redeem(dave, 1 days);
    }

    function test_redeem_afterAuctionEnd_stillRunning() public {
        // The auction stays open at its end price until sold: redemption remains possible.
        _redeem(keeper, AUCTION_DURATION + 5 days);
    }

    function test_redeem_amountIsFixedAtLiquidation() public {
        // Interest stops at impairment: owed does not grow with time.
        vm.warp(tStart + 10 days);
        assertEq(liquidator.auction(loanId).owed, owed);
        assertEq(owed, 50_254_280_912 + _bpsUp(50_254_280_912, 500));
        assertEq(debt, 50_254_280_912);
        _redeem(carol, 10 days);
    }

    function test_redeem_insufficientFunds_reverts() public {
        _fund(dave, owed - 1);
        vm.expectRevert("TRANSFER_FROM_FAILED");
        vm.prank(dave);
        liquidator.redeem(loanId);
        assertEq(apes.ownerOf(tokenId), address(pool));
        _assertAuction(loanId, 150_000 * USDC, 50_000 * USDC, owed, tStart, AuctionStatus.Running);
    }

    function test_redeem_unknown_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, 42));
        liquidator.redeem(42);
    }

    function test_redeem_whilePaused() public {
        vm.startPrank(guardian);
        pool.setBorrowsPaused(true);
        pool.setDepositsPaused(true);
        registry.setCollectionPaused(address(apes), true);
        vm.stopPrank();
        _redeem(carol, 2 hours);
    }

    function test_redeem_cannotBeCalledOnAnActiveLoan() public {
        _refresh();
        (uint256 other,) = _borrow(dave, apes, 10_000 * USDC, 7 days);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, other));
        liquidator.redeem(other);
    }
}

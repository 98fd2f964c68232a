// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "../../src/governance/Governed.sol";
import {AuctionStatus, ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {IStrataPool, LoanStatus} from "../../src/interfaces/IStrataPool.sol";
import {LiquidationBase} from "./LiquidationBase.sol";

/// @notice `buy`: the Dutch price at every point of the auction, the split of the proceeds (debt + penalty to the
///         pool, surplus to the borrower by pull, shortfall realised), and settlement exactly once (SPEC §7).
contract BuyTest is LiquidationBase {
    uint256 internal constant DT = 87_600; // principal * apr * DT is a multiple of YEAR * WAD: exact interest
    uint256 internal constant DEBT = 50_007_812_500; // 50,000 + 7.8125 USDC
    uint256 internal constant OWED = DEBT + 2_500_390_625; // + 5 % penalty
    uint256 internal constant START = 90_000 * USDC; // 60k appraisal * 1.5
    uint256 internal constant END = 30_000 * USDC; // 60k appraisal * 0.5

    uint256 internal t0;
    uint256 internal tStart;
    uint256 internal loanId;
    uint256 internal tokenId;
    address internal receiver = makeAddr("carol's cold wallet");

    function setUp() public override {
        super.setUp();
        t0 = block.timestamp;
        (loanId, tokenId) = _standardLoan();
        vm.warp(t0 + DT);
        _crashTo(address(apes), 60_000 * USDC);
        _liquidate(loanId);
        tStart = block.timestamp;
        assertEq(OWED, DEBT + _bpsUp(DEBT, PENALTY_A_BPS));
        assertEq(DEBT, PRINCIPAL + _interest(PRINCIPAL, APR, DT));
        _assertAuction(loanId, START, END, OWED, tStart, AuctionStatus.Running);
        assertEq(pool.nav(), 950_000 * USDC);
    }

    /// @dev Buys at `elapsed` into the auction and checks every balance and ledger against `price`.
    function _buyAt(uint256 elapsed, uint256 price) internal {
        vm.warp(tStart + elapsed);
        assertEq(liquidator.currentPrice(loanId), price, "current price");
        uint256 toPool = price < OWED ? price : OWED;
        uint256 surplus = price - toPool;
        uint256 book = DEBT;
        _fund(buyer, price);

        vm.expectEmit(address(liquidator));
        emit ILiquidator.AuctionSold(loanId, buyer, price, toPool, surplus);
        vm.expectEmit(address(pool));
        emit IStrataPool.LiquidationSettled(
            loanId, toPool, book > toPool ? book - toPool : 0, toPool > book ? toPool - book : 0
        );
        vm.prank(buyer);
        assertEq(liquidator.buy(loanId, price), price);

        assertEq(apes.ownerOf(tokenId), buyer, "NFT to the buyer");
        assertEq(usdc.balanceOf(buyer), 0, "buyer paid the price");
        assertEq(usdc.balanceOf(address(pool)), 950_000 * USDC + toPool, "the pool got the proceeds up to the debt");
        assertEq(usdc.balanceOf(address(liquidator)), surplus, "the surplus waits in the liquidator");
        assertEq(pool.cash(), 950_000 * USDC + toPool, "cash += toPool");
        assertEq(pool.nav(), 950_000 * USDC + toPool, "NAV += toPool");
        assertEq(liquidator.claimable(carol), surplus, "surplus credited to the borrower");
        assertEq(liquidator.totalClaimable(), surplus);
        _assertLoanStatus(loanId, LoanStatus.Liquidated);
        _assertAuction(loanId, START, END, OWED, tStart, AuctionStatus.Sold);
        // The claim grew while the loan was lent (u = 5 %), not since its impairment (nothing lent).
        uint256 claim = _claimAfterStandardLoan(DT);
        _assertTranches(claim, 950_000 * USDC + toPool - claim);
        _assertSolvent();
        _assertSettledOnce();
    }

    function _assertSettledOnce() internal {
        _fund(dave, 200_000 * USDC);
        vm.startPrank(dave);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        liquidator.buy(loanId, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        liquidator.redeem(loanId);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        liquidator.currentPrice(loanId);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, loanId));
        liquidator.liquidate(loanId);
        vm.stopPrank();
        vm.warp(tStart + RECOVERY_TIMEOUT);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, loanId));
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, gov, 0);
    }

    function test_buy_atStart_surplusToBorrower() public {
        _buyAt(0, START);
        assertEq(liquidator.claimable(carol), START - OWED);
        assertEq(START - OWED, 37_491_796_875);

        uint256 carolBefore = usdc.balanceOf(carol);
        vm.expectEmit(address(liquidator));
        emit ILiquidator.SurplusClaimed(carol, receiver, 37_491_796_875);
        vm.prank(carol);
        assertEq(liquidator.claim(receiver), 37_491_796_875);
        assertEq(usdc.balanceOf(receiver), 37_491_796_875, "paid to the receiver");
        assertEq(usdc.balanceOf(carol), carolBefore, "not to the caller");
        assertEq(liquidator.claimable(carol), 0);
        assertEq(liquidator.totalClaimable(), 0);
        _assertSolvent();

        vm.expectRevert(abi.encodeWithSelector(ILiquidator.NothingToClaim.selector, carol));
        vm.prank(carol);
        liquidator.claim(receiver);
    }

    function test_buy_middle() public {
        _buyAt(AUCTION_DURATION / 2, 60_000 * USDC);
        assertEq(liquidator.claimable(carol), 60_000 * USDC - OWED);
    }

    function test_buy_oddSecond_roundsThePriceUp() public {
        // 2 days + 7 s: drop = floor(60,000e6 * 172,807 / 259,200) = 40,001,620,370 (…370.37 rounded down).
        uint256 elapsed = 2 days + 7;
        assertEq(_dutch(START, END, elapsed), 49_998_379_630);
        _buyAt(elapsed, 49_998_379_630);
        assertEq(liquidator.claimable(carol), 0, "shortfall: no surplus");
    }

    function test_buy_oneSecondBeforeEnd() public {
        _buyAt(AUCTION_DURATION - 1, END + 231_482); // 60,000e6 / 259,200 = 231,481.48 per second, drop rounded down
    }

    function test_buy_atEnd_shortfallRealised() public {
        _buyAt(AUCTION_DURATION, END);
        // Loss = book - proceeds, already out of NAV since the impairment.
        assertEq(pool.nav(), 980_000 * USDC);
    }

    function test_buy_longAfterEnd_flatPrice() public {
        vm.warp(tStart + 20 days);
        _refresh(); // irrelevant to the auction, but keeps the world realistic
        _buyAt(20 days, END);
    }

    function test_buy_priceAboveMax_reverts() public {
        vm.warp(tStart + 1 days);
        uint256 price = _dutch(START, END, 1 days);
        assertEq(price, 70_000 * USDC);
        _fund(buyer, price);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.PriceAboveMax.selector, price, price - 1));
        vm.prank(buyer);
        liquidator.buy(loanId, price - 1);
        // A maxPrice above the price pays only the price.
        vm.prank(buyer);
        assertEq(liquidator.buy(loanId, price + 1000 * USDC), price);
        assertEq(usdc.balanceOf(buyer), 0);
    }

    function test_buy_withoutFunds_reverts_andNothingMoves() public {
        vm.prank(buyer);
        usdc.approve(address(liquidator), type(uint256).max);
        vm.expectRevert("TRANSFER_FROM_FAILED");
        vm.prank(buyer);
        liquidator.buy(loanId, START);
        assertEq(apes.ownerOf(tokenId), address(pool));
        _assertAuction(loanId, START, END, OWED, tStart, AuctionStatus.Running);
        _assertLoanStatus(loanId, LoanStatus.Liquidating);
    }

    function test_buy_unknownAuction_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.AuctionNotRunning.selector, 77));
        liquidator.buy(77, type(uint256).max);
    }

    function test_buy_whilePaused() public {
        vm.startPrank(guardian);
        pool.setBorrowsPaused(true);
        pool.setDepositsPaused(true);
        registry.setCollectionPaused(address(apes), true);
        vm.stopPrank();
        _buyAt(1 days, 70_000 * USDC);
    }

    function test_claim_zeroReceiver_reverts() public {
        _buyAt(0, START);
        vm.expectRevert(abi.encodeWithSelector(Governed.ZeroAddress.selector));
        vm.prank(carol);
        liquidator.claim(address(0));
    }

    function test_claim_nothing_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.NothingToClaim.selector, buyer));
        vm.prank(buyer);
        liquidator.claim(buyer);
    }
}

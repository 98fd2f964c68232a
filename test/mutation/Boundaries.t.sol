// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Auction, ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {CollectionParams, IStrataPool, Loan, LoanStatus} from "../../src/interfaces/IStrataPool.sol";
import {MutationBase} from "./MutationBase.sol";

/// @notice Exact-equality boundaries (a time exactly at maturity, a value exactly at a limit): the side that must
///         still pass, beside the `+1` side the other suites test.
contract MutationBoundariesTest is MutationBase {
    uint256 internal loanId;
    uint256 internal tokenId;
    uint256 internal principal;

    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * _unit(), 200_000 * _unit());
        principal = 40_000 * _unit() + 1;
        (loanId, tokenId) = _borrow(carol, apes, principal, 30 days);
        _fund(carol, 20_000 * _unit());
    }

    // ------------------------------------------------------------------ maturity

    function test_lateFee_chargedFromOneSecondAfterMaturity_roundedUp() public {
        Loan memory l = pool.loan(loanId);
        uint256 snap = vm.snapshotState();
        vm.warp(l.maturity);
        vm.prank(carol);
        uint256 paidAtMaturity = pool.repay(loanId, type(uint256).max);
        assertEq(paidAtMaturity, principal + _interest(principal, l.apr, 30 days), "no late fee at maturity");

        vm.revertToState(snap);
        vm.warp(uint256(l.maturity) + 1);
        _assertInexact(principal * l.lateFeeBps, BPS, "principal * lateFeeBps");
        uint256 lateFee = _ceilDiv(principal * l.lateFeeBps, BPS);
        vm.prank(carol);
        uint256 paidLate = pool.repay(loanId, type(uint256).max);
        assertEq(paidLate, principal + _interest(principal, l.apr, 30 days + 1) + lateFee, "late fee rounded up");
    }

    function test_partialRepay_allowedExactlyAtMaturity_notAfter() public {
        Loan memory l = pool.loan(loanId);
        uint256 snap = vm.snapshotState();
        vm.warp(uint256(l.maturity) + 1);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanPastMaturity.selector, loanId, l.maturity));
        vm.prank(carol);
        pool.repay(loanId, 10_000 * _unit());

        vm.revertToState(snap);
        vm.warp(l.maturity);
        uint256 interest = _interest(principal, l.apr, 30 days);
        vm.prank(carol);
        assertEq(pool.repay(loanId, 10_000 * _unit()), 10_000 * _unit());
        assertEq(pool.loan(loanId).principal, principal - (10_000 * _unit() - interest), "interest first");
        assertEq(uint256(pool.loan(loanId).status), uint256(LoanStatus.Active));
    }

    function test_extend_allowedExactlyAtMaturity_notAfter() public {
        Loan memory l = pool.loan(loanId);
        uint256 snap = vm.snapshotState();
        vm.warp(uint256(l.maturity) + 1);
        _refreshPrices();
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanPastMaturity.selector, loanId, l.maturity));
        vm.prank(carol);
        pool.extend(loanId, 30 days, type(uint256).max);

        vm.revertToState(snap);
        vm.warp(l.maturity);
        _refreshPrices();
        vm.prank(carol);
        pool.extend(loanId, 30 days, type(uint256).max);
        assertEq(pool.loan(loanId).maturity, block.timestamp + 30 days);
    }

    function test_fullRepay_withExactlyTheDebt_closesTheLoan() public {
        vm.warp(block.timestamp + 10 days);
        uint256 debt = principal + _interest(principal, pool.loan(loanId).apr, 10 days);
        vm.prank(carol);
        assertEq(pool.repay(loanId, debt), debt);
        assertEq(uint256(pool.loan(loanId).status), uint256(LoanStatus.Repaid));
        assertEq(apes.ownerOf(tokenId), carol);
        assertEq(pool.totalPrincipal(), 0);
    }

    // ------------------------------------------------------------------ maxApr equal to the quote

    function test_borrow_maxAprEqualToTheRate_isAccepted() public {
        uint256 id = _mintNft(apes, dave);
        uint256 snap = vm.snapshotState();
        vm.prank(dave);
        uint256 probe = pool.borrow(address(apes), id, 10_000 * _unit() + 3, 7 days, type(uint256).max, _noProof());
        uint256 apr = pool.loan(probe).apr;
        vm.revertToState(snap);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.AprAboveMax.selector, apr, apr - 1));
        vm.prank(dave);
        pool.borrow(address(apes), id, 10_000 * _unit() + 3, 7 days, apr - 1, _noProof());
        vm.prank(dave);
        uint256 newId = pool.borrow(address(apes), id, 10_000 * _unit() + 3, 7 days, apr, _noProof());
        assertEq(pool.loan(newId).apr, apr);
    }

    function test_extend_maxAprEqualToTheNewRate_isAccepted() public {
        vm.warp(block.timestamp + 5 days);
        _refreshPrices();
        uint256 snap = vm.snapshotState();
        vm.prank(carol);
        uint256 newApr = pool.extend(loanId, 20 days, type(uint256).max);
        vm.revertToState(snap);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.AprAboveMax.selector, newApr, newApr - 1));
        vm.prank(carol);
        pool.extend(loanId, 20 days, newApr - 1);
        vm.prank(carol);
        assertEq(pool.extend(loanId, 20 days, newApr), newApr);
    }

    // ------------------------------------------------------------------ liquidation boundaries

    function test_liquidatable_onlyAfterMaturityPlusGrace() public {
        Loan memory l = pool.loan(loanId);
        vm.warp(uint256(l.maturity) + l.gracePeriod);
        _refreshPrices();
        assertFalse(liquidator.isLiquidatable(loanId), "exactly at maturity + grace: not yet");
        vm.warp(uint256(l.maturity) + l.gracePeriod + 1);
        _refreshPrices();
        assertTrue(liquidator.isLiquidatable(loanId), "one second later");
    }

    /// @dev Fresh loan, so debt == principal; the appraisal is set so that `appraisal * threshold` lands on it.
    function test_liquidatable_thresholdExactEquality_andRoundingDown() public {
        Loan memory l = pool.loan(loanId);
        uint256 thr = l.liquidationThresholdBps;
        // The smallest appraisal whose threshold value, rounded down, is the debt: not liquidatable (debt == limit).
        uint256 a = _ceilDiv(principal * BPS, thr);
        assertEq(a * thr / BPS, principal);
        _assertInexact(a * thr, BPS, "appraisal * threshold");
        _mockAppraisal(l, a);
        assertFalse(liquidator.isLiquidatable(loanId), "debt equal to the threshold value is not liquidatable");
        // One unit less: the threshold value rounds down below the debt (rounding up would reach it).
        _assertInexact((a - 1) * thr, BPS, "(appraisal - 1) * threshold");
        assertEq(_ceilDiv((a - 1) * thr, BPS), principal, "rounded up, it would equal the debt");
        _mockAppraisal(l, a - 1);
        assertTrue(liquidator.isLiquidatable(loanId), "threshold value rounded down is below the debt");
    }

    function test_recoverUnsold_allowedExactlyAtTheTimeout() public {
        Loan memory l = pool.loan(loanId);
        vm.warp(uint256(l.maturity) + l.gracePeriod + 1);
        vm.prank(keeper);
        liquidator.liquidate(loanId);
        uint256 availableAt = block.timestamp + liquidator.auctionParams().recoveryTimeout;
        vm.warp(availableAt - 1);
        vm.expectRevert(abi.encodeWithSelector(ILiquidator.RecoveryTooEarly.selector, loanId, availableAt));
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, treasury, 0);
        vm.warp(availableAt);
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, treasury, 0);
        assertEq(apes.ownerOf(tokenId), treasury);
    }

    /// @dev An odd reference price: the start and end prices round up, the linear decay rounds down (the buyer never
    ///      gets the rounding).
    function test_auctionPrices_roundAgainstTheBuyer() public {
        Loan memory l = pool.loan(loanId);
        vm.warp(uint256(l.maturity) + l.gracePeriod + 1);
        uint256 ref = 100_000 * _unit() + 1;
        _mockAppraisal(l, ref);
        vm.prank(keeper);
        liquidator.liquidate(loanId);
        Auction memory a = liquidator.auction(loanId);
        _assertInexact(ref * 15_000, BPS, "reference * start multiplier");
        assertEq(a.startPrice, _ceilDiv(ref * 15_000, BPS), "start price rounded up");
        assertEq(a.endPrice, _ceilDiv(ref * 5000, BPS), "end price rounded up");
        vm.warp(block.timestamp + 1 hours);
        uint256 drop = uint256(a.startPrice - a.endPrice) * 1 hours;
        _assertInexact(drop, a.duration, "decay");
        assertEq(liquidator.currentPrice(loanId), a.startPrice - drop / a.duration, "decay rounded down");
    }

    // ------------------------------------------------------------------ governance bounds, exactly at the bound

    function test_poolParameters_exactMaximaAccepted_oneAboveRejected() public {
        vm.startPrank(gov);
        pool.setMinJuniorRatio(9000);
        pool.setFees(500, 5000);
        pool.setSeniorRate(0.3e18);
        pool.setGracePeriod(30 days);
        pool.setGracePeriod(1 hours);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataPool.ParameterOutOfBounds.selector, bytes32("minJuniorRatioBps"), 9001, 0, 9000
            )
        );
        pool.setMinJuniorRatio(9001);
        vm.expectRevert(
            abi.encodeWithSelector(IStrataPool.ParameterOutOfBounds.selector, bytes32("protocolFeeBps"), 5001, 0, 5000)
        );
        pool.setFees(500, 5001);
        vm.stopPrank();
        (uint256 rate, uint256 ratio, uint256 origination, uint256 protocol, uint256 grace,) = pool.parameters();
        assertEq(abi.encode(rate, ratio, origination, protocol, grace), abi.encode(0.3e18, 9000, 500, 5000, 1 hours));
    }

    function test_liquidationThreshold_mustBeAboveLtv() public {
        CollectionParams memory p = _paramsA();
        p.liquidationThresholdBps = p.ltvBps;
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrataPool.ParameterOutOfBounds.selector,
                bytes32("liquidationThresholdBps"),
                p.ltvBps,
                p.ltvBps + 1,
                9500
            )
        );
        vm.prank(gov);
        registry.configureCollection(address(apes), p);
        p.liquidationThresholdBps = p.ltvBps + 1;
        vm.prank(gov);
        registry.configureCollection(address(apes), p);
    }
}

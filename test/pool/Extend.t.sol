// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CollectionParams, IStrataPool, Loan} from "../../src/interfaces/IStrataPool.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice `extend` (SPEC §3): pays interest due, restarts the term at the current curve rate.
contract ExtendTest is StrataTestBase {
    uint256 internal loanId;

    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
        (loanId,) = _borrow(carol, apes, 40_000 * USDC, 30 days);
        _fund(carol, 10_000 * USDC);
    }

    function test_extend_paysInterestAndRestartsTerm() public {
        vm.warp(block.timestamp + 20 days);
        _pushPrice(address(apes), FLOOR_A);
        // Utilization now: 40k / (40k + 960k) = 4 % -> 5.5 %; same curve, same rate.
        uint256 interest = lens.debt(loanId) - 40_000 * USDC;
        uint256 cashBefore = pool.cash();
        vm.expectEmit(address(pool));
        emit IStrataPool.LoanExtended(loanId, interest, 0.055e18, block.timestamp + 60 days);
        vm.prank(carol);
        uint256 apr = pool.extend(loanId, 60 days, 0.055e18);
        assertEq(apr, 0.055e18);
        Loan memory l = pool.loan(loanId);
        assertEq(l.start, block.timestamp);
        assertEq(l.maturity, block.timestamp + 60 days);
        assertEq(l.principal, 40_000 * USDC);
        assertEq(pool.cash(), cashBefore + interest);
        assertEq(lens.debt(loanId), 40_000 * USDC, "nothing owed right after");
    }

    function test_extend_takesCurrentCurveRate() public {
        // Another 400k borrowed: utilization 44 % -> 5 % + 10 % * 0.44 / 0.8 = 10.5 %.
        for (uint256 i; i < 8; i++) {
            _borrow(dave, apes, 50_000 * USDC, 30 days);
        }
        vm.prank(carol);
        assertEq(pool.extend(loanId, 30 days, 1e18), 0.105e18);
        assertEq(pool.loan(loanId).apr, 0.105e18);
    }

    function test_extend_onlyBorrower() public {
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NotBorrower.selector, loanId, dave));
        pool.extend(loanId, 30 days, 1e18);
    }

    function test_extend_pastMaturity_reverts() public {
        vm.warp(block.timestamp + 30 days + 1);
        _pushPrice(address(apes), FLOOR_A);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanPastMaturity.selector, loanId, 1_700_000_000 + 30 days));
        pool.extend(loanId, 30 days, 1e18);
    }

    function test_extend_unhealthy_reverts() public {
        _pushPrice(address(apes), FLOOR_A / 2); // 50k floor * 70 % = 35k < 40k debt
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanUnhealthy.selector, loanId));
        pool.extend(loanId, 30 days, 1e18);
    }

    function test_extend_stalePrice_reverts() public {
        vm.warp(block.timestamp + 1 days + 1);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.StalePrice.selector, address(apes)));
        pool.extend(loanId, 30 days, 1e18);
    }

    function test_extend_paused_reverts() public {
        vm.prank(guardian);
        registry.setCollectionPaused(address(apes), true);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionPaused.selector, address(apes)));
        pool.extend(loanId, 30 days, 1e18);
        vm.prank(gov);
        registry.setCollectionPaused(address(apes), false);
        vm.prank(guardian);
        pool.setBorrowsPaused(true);
        vm.prank(carol);
        vm.expectRevert(IStrataPool.BorrowsPaused.selector);
        pool.extend(loanId, 30 days, 1e18);
    }

    function test_extend_durationAndAprGuards() public {
        vm.startPrank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.DurationOutOfRange.selector, 1 days, 7 days, 90 days));
        pool.extend(loanId, 1 days, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.AprAboveMax.selector, 0.055e18, 0.05e18));
        pool.extend(loanId, 30 days, 0.05e18);
        vm.stopPrank();
    }

    function test_extend_inactive_reverts() public {
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, 42));
        pool.extend(42, 30 days, 1e18);
    }

    function test_extend_governanceChangeDoesNotWorsenLockedTerms() public {
        // Governance raises the penalty and late fee and lowers the threshold: the live loan keeps its own.
        vm.startPrank(gov);
        registry.configureCollection(
            address(apes),
            _withTerms(_paramsA(), 4000, 4500, 2000, 1000) // ltv, threshold, penalty, late fee
        );
        pool.setFees(0, 3000);
        pool.setGracePeriod(1 hours);
        vm.stopPrank();
        vm.prank(carol);
        pool.extend(loanId, 30 days, 1e18);
        Loan memory l = pool.loan(loanId);
        assertEq(l.liquidationThresholdBps, 7000);
        assertEq(l.liquidationPenaltyBps, 500);
        assertEq(l.lateFeeBps, 100);
        assertEq(l.protocolFeeBps, 0);
        assertEq(l.gracePeriod, 3 days);
    }

    function _withTerms(CollectionParams memory p, uint16 ltv, uint16 threshold, uint16 penalty, uint16 lateFee)
        internal
        pure
        returns (CollectionParams memory)
    {
        p.ltvBps = ltv;
        p.liquidationThresholdBps = threshold;
        p.liquidationPenaltyBps = penalty;
        p.lateFeeBps = lateFee;
        return p;
    }
}

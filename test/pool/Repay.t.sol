// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStrataPool, Loan, LoanStatus} from "../../src/interfaces/IStrataPool.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice `repay`, `claim`, `recover`, `payProtocolFees` (SPEC §3, §4).
contract RepayTest is StrataTestBase {
    uint256 internal loanId;
    uint256 internal tokenId;

    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * USDC, 200_000 * USDC);
        // 40k at 5.5 % for 30 days.
        (loanId, tokenId) = _borrow(carol, apes, 40_000 * USDC, 30 days);
        _fund(carol, 10_000 * USDC);
        _fund(dave, 100_000 * USDC);
    }

    /// @dev Simple interest, rounded up: principal * apr * dt / (365 days * 1e18).
    function _interest(uint256 principal, uint256 apr, uint256 dt) internal pure returns (uint256) {
        uint256 num = principal * apr * dt;
        uint256 den = 365 days * 1e18;
        return num / den + (num % den == 0 ? 0 : 1);
    }

    function test_repay_full_returnsNftToBorrower_evenWhenAnotherPays() public {
        vm.warp(block.timestamp + 10 days);
        uint256 interest = _interest(40_000 * USDC, 0.055e18, 10 days);
        assertEq(interest, 60_273_973, "40k * 5.5 % * 10/365 = 60.273972..., rounded up");
        assertEq(lens.debt(loanId), 40_000 * USDC + interest);
        uint256 navBefore = pool.nav();
        vm.expectEmit(address(pool));
        emit IStrataPool.LoanRepaid(loanId, dave, 40_000 * USDC, interest, 0, 0, 0);
        vm.prank(dave);
        uint256 paid = pool.repay(loanId, type(uint256).max);
        assertEq(paid, 40_000 * USDC + interest, "only the debt is taken");
        assertEq(usdc.balanceOf(dave), 100_000 * USDC - paid);
        assertEq(apes.ownerOf(tokenId), carol, "the NFT goes to the borrower, not the payer");
        assertEq(uint256(pool.loan(loanId).status), uint256(LoanStatus.Repaid));
        assertEq(pool.totalPrincipal(), 0);
        assertEq(pool.exposure(address(apes)), 0);
        assertEq(pool.cash(), 1_000_000 * USDC + interest);
        assertGe(pool.nav(), navBefore, "repayment never moves NAV down");
        assertLe(pool.nav() - navBefore, 1, "aggregate accrual rounds down, the loan's up: at most 1 wei");
    }

    function test_repay_earlyCostsOnlyElapsedTime() public {
        vm.warp(block.timestamp + 1);
        vm.prank(carol);
        uint256 paid = pool.repay(loanId, type(uint256).max);
        // 40k * 5.5 % / 31,536,000 s = 69.76 units, rounded up.
        assertEq(paid, 40_000 * USDC + 70, "one second of interest, rounded up");
    }

    function test_repay_partial_paysInterestFirstThenPrincipal() public {
        vm.warp(block.timestamp + 10 days);
        uint256 interest = _interest(40_000 * USDC, 0.055e18, 10 days);
        vm.prank(carol);
        uint256 paid = pool.repay(loanId, 10_000 * USDC);
        assertEq(paid, 10_000 * USDC);
        Loan memory l = pool.loan(loanId);
        assertEq(l.principal, 30_000 * USDC + interest);
        assertEq(l.start, block.timestamp, "accrual restarts");
        assertEq(l.maturity, 1_700_000_000 + 30 days, "the term does not change");
        assertEq(uint256(l.status), uint256(LoanStatus.Active));
        assertEq(pool.exposure(address(apes)), l.principal);
        assertEq(pool.totalPrincipal(), l.principal);
        assertEq(apes.ownerOf(tokenId), address(pool));
        // Later interest is on the remaining principal only.
        vm.warp(block.timestamp + 5 days);
        assertEq(lens.debt(loanId), l.principal + _interest(l.principal, 0.055e18, 5 days));
    }

    function test_repay_partial_exactlyInterest_keepsPrincipal() public {
        vm.warp(block.timestamp + 10 days);
        uint256 interest = _interest(40_000 * USDC, 0.055e18, 10 days);
        vm.prank(carol);
        pool.repay(loanId, interest);
        assertEq(pool.loan(loanId).principal, 40_000 * USDC);
        assertEq(lens.debt(loanId), 40_000 * USDC);
    }

    function test_repay_partial_belowInterest_reverts() public {
        vm.warp(block.timestamp + 10 days);
        uint256 interest = _interest(40_000 * USDC, 0.055e18, 10 days);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.PaymentBelowInterest.selector, interest - 1, interest));
        pool.repay(loanId, interest - 1);
    }

    function test_repay_partial_afterMaturity_reverts() public {
        vm.warp(block.timestamp + 30 days + 1);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanPastMaturity.selector, loanId, 1_700_000_000 + 30 days));
        pool.repay(loanId, 1000 * USDC);
    }

    function test_repay_inGrace_paysLateFee() public {
        vm.warp(block.timestamp + 31 days);
        uint256 interest = _interest(40_000 * USDC, 0.055e18, 31 days);
        uint256 lateFee = 400 * USDC; // 1 % of principal
        assertEq(lens.debt(loanId), 40_000 * USDC + interest + lateFee);
        vm.prank(dave);
        uint256 paid = pool.repay(loanId, type(uint256).max);
        assertEq(paid, 40_000 * USDC + interest + lateFee);
        assertEq(pool.cash(), 1_000_000 * USDC + interest + lateFee, "the late fee is pool income");
        assertEq(apes.ownerOf(tokenId), carol);
    }

    function test_repay_atMaturity_noLateFee() public {
        vm.warp(block.timestamp + 30 days);
        vm.prank(carol);
        assertEq(pool.repay(loanId, type(uint256).max), 40_000 * USDC + _interest(40_000 * USDC, 0.055e18, 30 days));
    }

    function test_repay_protocolFee_toTreasuryLedger() public {
        vm.prank(gov);
        pool.setFees(0, 2000); // 20 % of interest
        (uint256 id,) = _borrow(dave, apes, 40_000 * USDC, 30 days);
        Loan memory l = pool.loan(id);
        assertEq(l.protocolFeeBps, 2000, "locked in the loan");
        vm.warp(block.timestamp + 30 days);
        uint256 interest = _interest(40_000 * USDC, l.apr, 30 days);
        uint256 poolShare = _interest(40_000 * USDC, uint256(l.apr) * 8000 / 10_000, 30 days);
        uint256 navBefore = pool.nav();
        vm.prank(dave);
        pool.repay(id, type(uint256).max);
        assertEq(pool.protocolFees(), interest - poolShare);
        assertGe(pool.nav(), navBefore, "NAV accrues net of the fee: repayment never moves it down");
        assertEq(pool.payProtocolFees(), interest - poolShare);
        assertEq(usdc.balanceOf(treasury), interest - poolShare);
        assertEq(pool.protocolFees(), 0);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.NothingToClaim.selector, treasury));
        pool.payProtocolFees();
    }

    function test_repay_reverts() public {
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.repay(loanId, 0);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, 99));
        pool.repay(99, 1);
        vm.prank(carol);
        pool.repay(loanId, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, loanId));
        pool.repay(loanId, 1);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, loanId));
        lens.debt(loanId);
    }

    function test_repay_insufficientBalance_revertsAndNothingMoves() public {
        address broke = makeAddr("broke");
        vm.prank(broke);
        vm.expectRevert("TRANSFER_FROM_FAILED");
        pool.repay(loanId, type(uint256).max);
        assertEq(apes.ownerOf(tokenId), address(pool));
        assertEq(uint256(pool.loan(loanId).status), uint256(LoanStatus.Active));
    }

    function test_repay_worksWhilePaused() public {
        vm.startPrank(guardian);
        pool.setBorrowsPaused(true);
        pool.setDepositsPaused(true);
        registry.setCollectionPaused(address(apes), true);
        vm.stopPrank();
        vm.warp(block.timestamp + 5 days);
        vm.prank(carol);
        pool.repay(loanId, type(uint256).max);
        assertEq(apes.ownerOf(tokenId), carol);
    }

    function test_repay_afterGrace_stillAllowedUntilLiquidated() public {
        vm.warp(block.timestamp + 40 days);
        vm.prank(carol);
        pool.repay(loanId, type(uint256).max);
        assertEq(apes.ownerOf(tokenId), carol);
    }

    function test_repay_batchThroughMulticall() public {
        (uint256 second,) = _borrow(carol, punks, 1000 * USDC, 30 days);
        vm.warp(block.timestamp + 3 days);
        bytes[] memory calls = new bytes[](2);
        calls[0] = abi.encodeCall(pool.repay, (loanId, type(uint256).max));
        calls[1] = abi.encodeCall(pool.repay, (second, type(uint256).max));
        vm.prank(dave);
        pool.multicall(calls);
        assertEq(pool.totalPrincipal(), 0);
    }

    function test_recover_booksIncome() public {
        uint256 navBefore = pool.nav();
        vm.expectEmit(address(pool));
        emit IStrataPool.Recovered(dave, 5000 * USDC);
        vm.prank(dave);
        pool.recover(5000 * USDC);
        assertEq(pool.nav(), navBefore + 5000 * USDC);
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        pool.recover(0);
    }

    function testFuzz_repay_aggregateMatchesLoans(uint256 dt1, uint256 dt2, uint256 p2) public {
        dt1 = bound(dt1, 0, 15 days);
        dt2 = bound(dt2, 0, 15 days);
        p2 = bound(p2, 1, 16_000 * USDC);
        vm.warp(block.timestamp + dt1);
        _pushPrice(address(punks), FLOOR_B);
        (uint256 second,) = _borrow(dave, punks, p2, 30 days);
        vm.warp(block.timestamp + dt2);
        uint256 d1 = lens.debt(loanId) - 40_000 * USDC;
        uint256 d2 = lens.debt(second) - p2;
        uint256 accrued = pool.nav() - pool.cash() - pool.totalPrincipal();
        assertLe(accrued, d1 + d2, "aggregate never above the sum of loans");
        assertLe(d1 + d2 - accrued, 2, "within 1 wei per loan");
    }
}

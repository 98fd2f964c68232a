// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IStrataPool, Loan, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {Quote} from "../../src/pool/StrataLens.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice StrataLens: `debt` (interest rounded up, late fee strictly after maturity) equals what a full repayment
///         takes; `quote` equals what `borrow` then charges, with its revert paths. Figures computed independently.
contract StrataLensTest is StrataTestBase {
    function setUp() public override {
        super.setUp();
        _seedLiquidity(800_000 * USDC, 200_000 * USDC); // cash 1,000,000, no loans
    }

    // ------------------------------------------------------------------ debt

    function test_debt_beforeAtAndAfterMaturity() public {
        (uint256 loanId,) = _borrow(carol, apes, 40_000 * USDC, 30 days);
        Loan memory l = pool.loan(loanId);
        assertEq(l.apr, 0.055e18, "U = 4 % -> 5 % + 10 % * 4 / 80");
        assertEq(lens.debt(loanId), 40_000 * USDC, "nothing accrued at origination");

        vm.warp(block.timestamp + 1);
        // 40_000e6 * 0.055 / 365 days = 69.76... -> rounded up
        assertEq(lens.debt(loanId), 40_000 * USDC + 70);

        vm.warp(l.maturity);
        assertEq(lens.debt(loanId), 40_180_821_918, "interest of 30 days, no late fee at maturity");

        vm.warp(uint256(l.maturity) + 1 days);
        // 31 days of interest (186_849_316) + 1 % late fee of principal (400_000_000)
        assertEq(lens.debt(loanId), 40_586_849_316);
    }

    function test_debt_equalsFullRepaymentPastMaturity() public {
        (uint256 loanId,) = _borrow(carol, apes, 40_000 * USDC, 30 days);
        vm.warp(block.timestamp + 31 days + 7);
        uint256 owed = lens.debt(loanId);
        _fund(dave, owed);
        uint256 before = usdc.balanceOf(dave);
        vm.prank(dave);
        uint256 paid = pool.repay(loanId, type(uint256).max);
        assertEq(paid, owed);
        assertEq(before - usdc.balanceOf(dave), owed);
        assertEq(apes.ownerOf(pool.loan(loanId).tokenId), carol);
    }

    function test_debt_revertsUnlessActive() public {
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, 99));
        lens.debt(99);

        (uint256 loanId,) = _borrow(carol, apes, 10_000 * USDC, 30 days);
        _fund(carol, 1000 * USDC);
        vm.prank(carol);
        pool.repay(loanId, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.LoanNotActive.selector, loanId));
        lens.debt(loanId);
    }

    // ------------------------------------------------------------------ quote

    function test_quote_noFee() public view {
        Quote memory q = lens.quote(address(apes), 40_000 * USDC, 30 days);
        assertEq(q.originationFee, 0);
        assertEq(q.amountReceived, 40_000 * USDC);
        assertEq(q.apr, 0.055e18);
        assertEq(q.interestAtMaturity, 180_821_918);
        assertEq(q.repayAtMaturity, 40_180_821_918);
    }

    function test_quote_withOriginationFeeMatchesBorrow() public {
        vm.prank(gov);
        pool.setFees(100, 0);
        Quote memory q = lens.quote(address(apes), 40_000 * USDC, 30 days);
        // The fee stays in the pool: U = 40_000 / (40_000 + 1_000_000 - 39_600), rounded up.
        assertEq(q.originationFee, 400 * USDC);
        assertEq(q.amountReceived, 39_600 * USDC);
        assertEq(q.apr, 54_998_000_799_680_128);
        assertEq(q.interestAtMaturity, 180_815_346);
        assertEq(q.repayAtMaturity, 40_180_815_346);

        uint256 before = usdc.balanceOf(carol);
        (uint256 loanId,) = _borrow(carol, apes, 40_000 * USDC, 30 days);
        assertEq(usdc.balanceOf(carol) - before, q.amountReceived);
        assertEq(pool.loan(loanId).apr, q.apr);
        vm.warp(block.timestamp + 30 days);
        assertEq(lens.debt(loanId), q.repayAtMaturity);
    }

    /// @dev SPEC §2: a fee that does not divide the principal rounds up (the pool's side), in the lens as in `borrow`.
    function test_quote_originationFeeRoundsUp_matchesBorrow() public {
        vm.prank(gov);
        pool.setFees(37, 0);
        uint256 principal = 40_000 * USDC + 1;
        // 40_000_000_001 * 37 / 10_000 = 148_000_000.0037: rounded up to 148_000_001.
        Quote memory q = lens.quote(address(apes), principal, 30 days);
        assertEq(q.originationFee, 148_000_001, "fee rounded up");
        assertEq(q.amountReceived, principal - 148_000_001);

        uint256 before = usdc.balanceOf(carol);
        uint256 cashBefore = pool.cash();
        (uint256 loanId,) = _borrow(carol, apes, principal, 30 days);
        assertEq(usdc.balanceOf(carol) - before, q.amountReceived, "borrow sends the principal less the fee rounded up");
        assertEq(cashBefore - pool.cash(), q.amountReceived, "the pool keeps the fee rounded up");
        assertEq(pool.loan(loanId).apr, q.apr);
    }

    function test_quote_aboveKink() public view {
        // punks: 8 % + 15 % + 150 % * (90 % - 70 %) / 30 % = 123 %
        Quote memory q = lens.quote(address(punks), 900_000 * USDC, 10 days);
        assertEq(q.apr, 1.23e18);
        assertEq(q.interestAtMaturity, 30_328_767_124);
        assertEq(q.repayAtMaturity, 930_328_767_124);
    }

    function test_quote_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionNotListed.selector, address(0xCA7)));
        lens.quote(address(0xCA7), 1, 30 days);
        vm.expectRevert(IStrataPool.ZeroAmount.selector);
        lens.quote(address(apes), 0, 30 days);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.DurationOutOfRange.selector, 7 days - 1, 7 days, 90 days));
        lens.quote(address(apes), 1, 7 days - 1);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.DurationOutOfRange.selector, 90 days + 1, 7 days, 90 days));
        lens.quote(address(apes), 1, 90 days + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IStrataPool.InsufficientCash.selector, 1_000_000 * USDC + 1, 1_000_000 * USDC)
        );
        lens.quote(address(apes), 1_000_000 * USDC + 1, 30 days);
        lens.quote(address(apes), 1_000_000 * USDC, 30 days); // all the cash is quotable
    }

    function test_quote_availableCashExcludesQueue() public {
        // carol's junior deposit makes 100k of subordination room ((300k - 20 % x 1.1M) / 0.8); alice's request of a
        // quarter of her junior (50k) waits out its notice: the cash owed to it is not lendable.
        _deposit(Tranche.Junior, carol, 100_000 * USDC);
        uint256 shares = junior.balanceOf(alice) / 4;
        vm.prank(alice);
        junior.requestRedeem(shares, alice, alice);
        (uint256 pending,) = pool.queueState(Tranche.Junior);
        assertEq(pending, shares, "not served");
        assertEq(pool.availableCash(), 1_050_000 * USDC);
        vm.expectRevert(
            abi.encodeWithSelector(IStrataPool.InsufficientCash.selector, 1_050_000 * USDC + 1, 1_050_000 * USDC)
        );
        lens.quote(address(apes), 1_050_000 * USDC + 1, 30 days);
        Quote memory q = lens.quote(address(apes), 1_050_000 * USDC, 30 days);
        assertEq(q.amountReceived, 1_050_000 * USDC);
    }
}

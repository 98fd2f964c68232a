// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LoanInterest} from "../../src/interest/LoanInterest.sol";
import {FixedPointMath} from "../../src/libraries/FixedPointMath.sol";
import {LoanInterestHarness} from "../harness/LoanInterestHarness.sol";
import {Test} from "forge-std/Test.sol";

contract LoanInterestTest is Test {
    uint256 internal constant D = 365 days * 1e18;
    uint256 internal constant MAX_P = type(uint96).max;
    uint256 internal constant MAX_A = type(uint64).max;

    LoanInterestHarness internal h;

    function setUp() public {
        h = new LoanInterestHarness();
    }

    // ---------------------------------------------------------------- interest, exact values

    function test_constants() public pure {
        assertEq(LoanInterest.DENOMINATOR, 31_536_000e18);
        assertEq(LoanInterest.MAX_PRINCIPAL, MAX_P);
        assertEq(LoanInterest.MAX_APR, MAX_A);
    }

    function test_interest_usdc1000At10PctFor30Days() public view {
        // 1e9 * 0.1e18 * 2_592_000 / 31_536_000e18 = 8_219_178.08... -> 8_219_179 (rounded up)
        assertEq(h.interest(1000e6, 0.1e18, 30 days), 8_219_179);
    }

    function test_interest_exactValues() public view {
        assertEq(h.interest(1000e18, 0.1e18, 365 days), 100e18, "one year at 10 % on 18 decimals is exact");
        assertEq(h.interest(1000e6, 0.1e18, 365 days), 100e6, "one year at 10 % on 6 decimals is exact");
        assertEq(h.interest(1000e6, 0.1e18, 2 * 365 days), 200e6, "interest is simple, not compounded");
        assertEq(h.interest(1, 0.01e18, 1), 1, "any positive interest rounds up to 1 wei");
        assertEq(h.interest(1000e6, 0.1e18, 0), 0, "zero elapsed");
        assertEq(h.interest(0, 0.1e18, 30 days), 0, "zero principal");
        assertEq(h.interest(1000e6, 0, 30 days), 0, "zero apr");
        // 10_000 USDC at 7.5 % for 1 day: 1e10 * 0.075e18 * 86_400 / D = 2_054_794.52... -> 2_054_795
        assertEq(h.interest(10_000e6, 0.075e18, 1 days), 2_054_795);
        // Largest operands for 100 years, checked against Python's exact integer arithmetic.
        assertEq(h.interest(MAX_P, MAX_A, 100 * 365 days), 146_150_163_733_090_291_812_445_667_018_358);
    }

    function test_loanRate() public view {
        assertEq(h.loanRate(1000e6, 0.1e18), 1e26);
        assertEq(h.loanRate(MAX_P, MAX_A), MAX_P * MAX_A);
        assertEq(h.loanRate(0, MAX_A), 0);
    }

    function test_interest_revertsOnPrincipalOutOfRange() public {
        vm.expectRevert(abi.encodeWithSelector(LoanInterest.InterestOperandOutOfRange.selector, MAX_P + 1, 0.1e18));
        h.interest(MAX_P + 1, 0.1e18, 1);
        vm.expectRevert(abi.encodeWithSelector(LoanInterest.InterestOperandOutOfRange.selector, MAX_P + 1, 0.1e18));
        h.loanRate(MAX_P + 1, 0.1e18);
    }

    function test_interest_revertsOnAprOutOfRange() public {
        vm.expectRevert(abi.encodeWithSelector(LoanInterest.InterestOperandOutOfRange.selector, 1e6, MAX_A + 1));
        h.interest(1e6, MAX_A + 1, 1);
        vm.expectRevert(abi.encodeWithSelector(LoanInterest.InterestOperandOutOfRange.selector, 1e6, MAX_A + 1));
        h.loanRate(1e6, MAX_A + 1);
    }

    function test_interest_revertsWhenResultOverflows() public {
        uint256 rate = MAX_P * MAX_A;
        uint256 elapsed = type(uint256).max;
        vm.expectRevert(abi.encodeWithSelector(FixedPointMath.MathOverflowOrDivByZero.selector, rate, elapsed, D));
        h.interest(MAX_P, MAX_A, elapsed);
    }

    // ---------------------------------------------------------------- accrued, exact values

    function test_accrued_singleLoanIsOneWeiBelowPerLoan() public view {
        uint256 start = 1_700_000_000;
        uint256 rate = 1000e6 * uint256(0.1e18);
        uint256 agg = h.accrued(rate, rate * start, start + 30 days);
        assertEq(agg, 8_219_178, "rounded down");
        // The gap per loan is at most 1 wei, and this shows it is reached: the bound `<= N` is tight.
        assertEq(h.interest(1000e6, 0.1e18, 30 days) - agg, 1);
    }

    function test_accrued_exactValues() public view {
        assertEq(h.accrued(0, 0, 1_700_000_000), 0, "empty book");
        uint256 rate = 1000e18 * uint256(0.1e18);
        assertEq(h.accrued(rate, rate * 1000, 1000), 0, "t == start");
        assertEq(h.accrued(rate, rate * 1000, 1000 + 365 days), 100e18, "one year");
        // Two loans, 1,000 USDC at 10 % from t=0 and 2,000 USDC at 5 % from t=10 days, read at t=40 days:
        // 1e26 * 40 days + 1e26 * 30 days = 6.048e32 -> / D = 19_178_082.19 -> 19_178_082
        uint256 r1 = 1000e6 * uint256(0.1e18);
        uint256 r2 = 2000e6 * uint256(0.05e18);
        assertEq(h.accrued(r1 + r2, r2 * 10 days, 40 days), 19_178_082);
        // Per loan: 10_958_904.1 -> 10_958_905 and 8_219_178.08 -> 8_219_179: a gap of exactly N = 2 wei.
        assertEq(h.interest(1000e6, 0.1e18, 40 days), 10_958_905);
        assertEq(h.interest(2000e6, 0.05e18, 30 days), 8_219_179);
    }

    function test_accrued_exactWhenTimesRateSumExceeds256Bits() public view {
        // t * rateSum = 3 * 2^255 does not fit in 256 bits; t * rateSum - rateTimeSum = 2^255 + 1 does.
        uint256 rateSum = uint256(1) << 255;
        uint256 rateTimeSum = type(uint256).max;
        uint256 expected = 1_835_871_531_540_401_373_407_708_412_745_559_168_145_452_572_704_854;
        assertEq(h.accrued(rateSum, rateTimeSum, 3), expected);
        assertEq(expected, ((uint256(1) << 255) + 1) / D);
    }

    function test_accrued_remainderBorrow() public view {
        // rateTimeSum's remainder mod D is above t * rateSum's: the borrow branch.
        // t*R = 3D + 1, S = D + 2 -> floor((2D - 1) / D) = 1
        assertEq(h.accrued(3 * D + 1, D + 2, 1), 1);
        // t*R = 3D + 2, S = D + 1 -> floor((2D + 1) / D) = 2
        assertEq(h.accrued(3 * D + 2, D + 1, 1), 2);
        // t*R = S + 1 -> 0; t*R == S -> 0
        assertEq(h.accrued(D + 1, D, 1), 0);
        assertEq(h.accrued(D, D, 1), 0);
    }

    function test_accrued_revertsOnFutureStart() public {
        uint256 rate = 1e26;
        vm.expectRevert(abi.encodeWithSelector(LoanInterest.AccruedUnderflow.selector, 999, rate, rate * 1000));
        h.accrued(rate, rate * 1000, 999);
        // Same quotient, remainder borrow only: t*R = D + 1, S = D + 2.
        vm.expectRevert(abi.encodeWithSelector(LoanInterest.AccruedUnderflow.selector, 1, D + 1, D + 2));
        h.accrued(D + 1, D + 2, 1);
        vm.expectRevert(abi.encodeWithSelector(LoanInterest.AccruedUnderflow.selector, 0, 0, 1));
        h.accrued(0, 1, 0);
    }

    /// @dev The 512-bit path (`rateSum >= 2^216` or `t >= 2^40`) refuses a future start too, by quotient and by the
    ///      remainder borrow alone, and still returns 0 at `t * rateSum == rateTimeSum`.
    function test_accrued_revertsOnFutureStart_widePath() public {
        // t * rateSum = 2^255 < rateTimeSum = 2^256 - 1: the quotients already differ.
        uint256 big = uint256(1) << 255;
        vm.expectRevert(abi.encodeWithSelector(LoanInterest.AccruedUnderflow.selector, 1, big, type(uint256).max));
        h.accrued(big, type(uint256).max, 1);
        // rateSum = 2^216 (the first value off the fast path): rateTimeSum one above shares its quotient, so only the
        // remainder borrow makes q1 < q2 + borrow.
        uint256 wide = uint256(1) << 216;
        assertTrue(wide % D != D - 1, "the +1 stays within the quotient");
        assertEq(h.accrued(wide, wide, 1), 0, "t * rateSum == rateTimeSum");
        vm.expectRevert(abi.encodeWithSelector(LoanInterest.AccruedUnderflow.selector, 1, wide, wide + 1));
        h.accrued(wide, wide + 1, 1);
        // t = 2^40 (off the fast path by time): one unit of rate-time past t * rateSum.
        uint256 t = uint256(1) << 40;
        vm.expectRevert(abi.encodeWithSelector(LoanInterest.AccruedUnderflow.selector, t, D, t * D + 1));
        h.accrued(D, t * D + 1, t);
        assertEq(h.accrued(D, t * D - D, t), 1, "one rate-year accrued on the wide path");
    }

    function test_accrued_revertsWhenResultOverflows() public {
        uint256 max = type(uint256).max;
        vm.expectRevert(abi.encodeWithSelector(FixedPointMath.MathOverflowOrDivByZero.selector, max, max, D));
        h.accrued(max, 0, max);
    }

    // ---------------------------------------------------------------- fuzz

    function testFuzz_interest_equalsCeilOfExactProduct(uint256 p, uint256 a, uint256 e) public view {
        p = bound(p, 0, MAX_P);
        a = bound(a, 0, MAX_A);
        e = bound(e, 0, type(uint64).max); // p * a * e < 2^224: plain arithmetic is exact here
        uint256 num = p * a * e;
        assertEq(h.interest(p, a, e), num / D + (num % D == 0 ? 0 : 1));
    }

    function testFuzz_interest_monotoneInTime(uint256 p, uint256 a, uint256 e1, uint256 e2) public view {
        p = bound(p, 0, MAX_P);
        a = bound(a, 0, MAX_A);
        e1 = bound(e1, 0, 1000 * 365 days);
        e2 = bound(e2, e1, 1000 * 365 days);
        assertLe(h.interest(p, a, e1), h.interest(p, a, e2));
    }

    function testFuzz_interest_monotoneInPrincipal(uint256 p1, uint256 p2, uint256 a, uint256 e) public view {
        p1 = bound(p1, 0, MAX_P);
        p2 = bound(p2, p1, MAX_P);
        a = bound(a, 0, MAX_A);
        e = bound(e, 0, 1000 * 365 days);
        assertLe(h.interest(p1, a, e), h.interest(p2, a, e));
    }

    function testFuzz_interest_monotoneInApr(uint256 p, uint256 a1, uint256 a2, uint256 e) public view {
        p = bound(p, 0, MAX_P);
        a1 = bound(a1, 0, MAX_A);
        a2 = bound(a2, a1, MAX_A);
        e = bound(e, 0, 1000 * 365 days);
        assertLe(h.interest(p, a1, e), h.interest(p, a2, e));
    }

    function testFuzz_accrued_equalsFloorOfExactNumerator(uint256 rateSum, uint256 rateTimeSum, uint256 t) public view {
        rateSum = bound(rateSum, 0, type(uint200).max);
        t = bound(t, 0, type(uint40).max);
        rateTimeSum = bound(rateTimeSum, 0, t * rateSum);
        assertEq(h.accrued(rateSum, rateTimeSum, t), (t * rateSum - rateTimeSum) / D);
    }

    struct Book {
        uint256 rateSum;
        uint256 rateTimeSum;
        uint256 perLoanSum;
        uint256 exactNumerator;
    }

    /// @dev Adds one pseudo-random loan to `b`: principals over many magnitudes (dust to ~7.9e28), aprs up to
    ///      1,000 %, starts between `t0` and `t`.
    function _addLoan(Book memory b, uint256 r, uint256 t0, uint256 t) internal view {
        uint256 p = bound(r >> 128, 0, MAX_P >> ((r >> 8) % 96));
        uint256 a = bound(uint64(r >> 64), 0, 10e18);
        uint256 elapsed = t - bound(uint32(r >> 16), t0, t);
        uint256 rate = h.loanRate(p, a);
        assertEq(rate, p * a);
        b.rateSum += rate;
        b.rateTimeSum += rate * (t - elapsed);
        uint256 owed = h.interest(p, a, elapsed);
        b.perLoanSum += owed;
        b.exactNumerator += rate * elapsed;
        // Each loan rounds up by less than 1 wei.
        assertGe(owed * D, rate * elapsed);
        assertLt(owed * D, rate * elapsed + D);
    }

    /// @dev N random loans (random principals, aprs, starts): the O(1) aggregate equals the floor of the exact sum,
    ///      never exceeds the sum of per-loan interests, and is at most 1 wei per loan below it.
    function testFuzz_accrued_aggregateOfRandomLoans(uint256 seed, uint256 n, uint256 t) public view {
        n = bound(n, 1, 50);
        uint256 t0 = 1_700_000_000;
        t = bound(t, t0, t0 + 10 * 365 days);
        Book memory b;
        for (uint256 i; i < n; ++i) {
            _addLoan(b, uint256(keccak256(abi.encode(seed, i))), t0, t);
        }
        uint256 agg = h.accrued(b.rateSum, b.rateTimeSum, t);
        assertEq(agg, b.exactNumerator / D, "aggregate is the floor of the exact total");
        assertLe(agg, b.perLoanSum, "aggregate never overstates");
        assertLe(b.perLoanSum - agg, n, "at most 1 wei per loan");
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPointMath} from "../libraries/FixedPointMath.sol";

/// @title LoanInterest
/// @notice Simple, pro-rata loan interest (SPEC §3) per loan, and its O(1) aggregate over the loan book (SPEC §4).
/// @dev Per loan: `interest = ceil(principal * apr * elapsed / (YEAR * WAD))` (debt rounds up, SPEC §2).
///      Aggregate: the pool keeps `rateSum = Σ principal_i * apr_i` and `rateTimeSum = Σ principal_i * apr_i * start_i`
///      over active loans, so the exact numerator of the book's interest at `t` is `t * rateSum - rateTimeSum`
///      (`= Σ principal_i * apr_i * (t - start_i)`), and `accrued = floor(that / (YEAR * WAD))` (NAV never
///      overstates). Rounding gap, with `n_i` each loan's numerator and `D = YEAR * WAD`:
///      `Σ ceil(n_i / D) - floor(Σ n_i / D) = (Σ ((-n_i) mod D) + (Σ n_i mod D)) / D <= (N + 1)(D - 1) / D < N + 1`,
///      and it is an integer, so `0 <= Σ interest_i - accrued <= N`: at most 1 wei per loan. The bound is tight
///      (a single loan whose numerator is not a multiple of D has a gap of exactly 1 wei), so "< N" does not hold.
library LoanInterest {
    /// @notice `YEAR * WAD`: the denominator turning `principal * aprWad * seconds` into asset units.
    uint256 internal constant DENOMINATOR = FixedPointMath.YEAR * FixedPointMath.WAD;
    /// @notice Largest principal `interest` and `loanRate` accept (`type(uint96).max`, ~7.9e28 asset units).
    uint256 internal constant MAX_PRINCIPAL = type(uint96).max;
    /// @notice Largest APR `interest` and `loanRate` accept (`type(uint64).max`, ~1,844 % as a WAD).
    uint256 internal constant MAX_APR = type(uint64).max;

    /// @notice `principal > MAX_PRINCIPAL` or `aprWad > MAX_APR`: `principal * aprWad` is only proved to fit in range.
    error InterestOperandOutOfRange(uint256 principal, uint256 aprWad);
    /// @notice `t * rateSum < rateTimeSum`: some loan in the aggregate starts after `t` (an inconsistent book).
    error AccruedUnderflow(uint256 t, uint256 rateSum, uint256 rateTimeSum);

    /// @notice A loan's contribution to the pool's `rateSum`: `principal * aprWad`.
    /// @dev No overflow: `principal <= 2^96 - 1` and `aprWad <= 2^64 - 1`, so the product is below `2^160`.
    /// @param principal Principal in asset units, at most `MAX_PRINCIPAL`.
    /// @param aprWad APR as a WAD, at most `MAX_APR`.
    /// @return The product `principal * aprWad` (< 2^160).
    function loanRate(uint256 principal, uint256 aprWad) internal pure returns (uint256) {
        if (principal > MAX_PRINCIPAL || aprWad > MAX_APR) revert InterestOperandOutOfRange(principal, aprWad);
        unchecked {
            return principal * aprWad;
        }
    }

    /// @notice Interest owed on `principal` at `aprWad` after `elapsed` seconds:
    ///         `ceil(principal * aprWad * elapsed / (365 days * 1e18))`.
    /// @dev `principal * aprWad < 2^160` (see `loanRate`), so it is computed exactly in 256 bits; the product with
    ///      `elapsed` is then taken in 512 bits by `FixedPointMath.mulDivUp`, so the only remaining failure is a
    ///      result above 2^256 (`elapsed` beyond ~2^180 s), which reverts with `MathOverflowOrDivByZero`.
    ///      Non-decreasing in each of `principal`, `aprWad` and `elapsed`; zero when any of them is zero.
    /// @param principal Principal in asset units, at most `MAX_PRINCIPAL`.
    /// @param aprWad APR as a WAD, at most `MAX_APR`.
    /// @param elapsed Seconds since the loan started.
    /// @return Interest in asset units, rounded up.
    function interest(uint256 principal, uint256 aprWad, uint256 elapsed) internal pure returns (uint256) {
        return FixedPointMath.mulDivUp(loanRate(principal, aprWad), elapsed, DENOMINATOR);
    }

    /// @notice The late fee owed at `t` (SPEC §3): `lateFeeBps` of principal, rounded up, once `t > maturity`.
    function lateFee(uint256 principal, uint256 lateFeeBps, uint256 maturity, uint256 t)
        internal
        pure
        returns (uint256)
    {
        return t > maturity ? FixedPointMath.mulDivUp(principal, lateFeeBps, FixedPointMath.BPS) : 0;
    }

    /// @notice Interest accrued at `t` by the whole book: `floor((t * rateSum - rateTimeSum) / (365 days * 1e18))`.
    /// @dev Exact for every input whose result fits in 256 bits, even when `t * rateSum` itself does not:
    ///      with `t * rateSum = q1 * D + r1` (512-bit `mulDivDown` and `mulmod`) and `rateTimeSum = q2 * D + r2`,
    ///      `floor((t * rateSum - rateTimeSum) / D) = q1 - q2 - (r1 < r2 ? 1 : 0)`. Reverts with `AccruedUnderflow`
    ///      exactly when `t * rateSum < rateTimeSum`. Never exceeds the sum of the per-loan `interest` values, and
    ///      is at most 1 wei per loan below it (see the library NatSpec).
    /// @param rateSum `Σ principal_i * apr_i` over the active loans.
    /// @param rateTimeSum `Σ principal_i * apr_i * start_i` over the active loans.
    /// @param t The timestamp to evaluate at (not before any loan's start).
    /// @return Accrued interest of the book in asset units, rounded down.
    function accrued(uint256 rateSum, uint256 rateTimeSum, uint256 t) internal pure returns (uint256) {
        // Fast path (the pool's case: its rateSum is 192-bit, timestamps 40-bit): the product fits in 256 bits.
        if (rateSum < 1 << 216 && t < 1 << 40) {
            uint256 num = t * rateSum;
            if (num < rateTimeSum) revert AccruedUnderflow(t, rateSum, rateTimeSum);
            unchecked {
                return (num - rateTimeSum) / DENOMINATOR;
            }
        }
        uint256 q1 = FixedPointMath.mulDivDown(t, rateSum, DENOMINATOR);
        uint256 r1 = mulmod(t, rateSum, DENOMINATOR);
        uint256 q2 = rateTimeSum / DENOMINATOR;
        uint256 r2 = rateTimeSum % DENOMINATOR;
        uint256 borrow = r1 < r2 ? 1 : 0;
        // q2 <= (2^256 - 1) / D, so q2 + borrow cannot overflow.
        if (q1 < q2 + borrow) revert AccruedUnderflow(t, rateSum, rateTimeSum);
        unchecked {
            return q1 - q2 - borrow;
        }
    }
}

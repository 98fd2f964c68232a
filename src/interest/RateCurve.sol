// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPointMath} from "../libraries/FixedPointMath.sol";

/// @notice A kinked (two-slope) utilization rate curve, all fields WAD (1e18 = 100 %/year, or 100 % utilization).
/// @dev Four `uint64` fields: the struct packs into one storage slot. Every bound in `RateCurveLib` fits in 64 bits
///      (`MAX_SLOPE2 = 10e18 < 2^64 ~ 1.8e19`), so a validated curve loses nothing to the narrow types.
/// @param baseRate APR at zero utilization.
/// @param slope1 APR added between zero utilization and the kink (reached exactly at `U = kink`).
/// @param slope2 APR added between the kink and full utilization (reached exactly at `U = WAD`).
/// @param kink The utilization at which the slope changes, strictly between 0 and WAD.
struct RateCurve {
    uint64 baseRate;
    uint64 slope1;
    uint64 slope2;
    uint64 kink;
}

using RateCurveLib for RateCurve global;

/// @title RateCurveLib
/// @notice Utilization and APR of the kinked curve of SPEC §3, and the hard bounds governance cannot exceed (SPEC §8).
/// @dev Rounding (SPEC §2): utilization and each scaled slope round UP, so the rate a borrower locks is never
///      below the exact curve value (a higher rate favours the pool); the error is below 1 wei per rounded term
///      (at most 2 wei of APR in total). The ported SDK (`ts-sdk/src/math/interest.ts`) equals this code to the wei.
library RateCurveLib {
    /// @notice Lowest kink governance may set (1 % utilization).
    uint256 internal constant MIN_KINK = 0.01e18;
    /// @notice Highest kink governance may set (99 % utilization).
    uint256 internal constant MAX_KINK = 0.99e18;
    /// @notice Highest base rate (100 % APR).
    uint256 internal constant MAX_BASE_RATE = 1e18;
    /// @notice Highest first slope (200 % APR).
    uint256 internal constant MAX_SLOPE1 = 2e18;
    /// @notice Highest second slope (1,000 % APR).
    uint256 internal constant MAX_SLOPE2 = 10e18;
    /// @notice Highest APR the curve may reach at full utilization, `baseRate + slope1 + slope2` (1,000 % APR).
    uint256 internal constant MAX_APR = 10e18;

    /// @notice A curve field is outside its hard bounds: `parameter` is `kink`, `baseRate`, `slope1`, `slope2` or
    ///         `maxApr` (`baseRate + slope1 + slope2`), `value` the offending value, `[min, max]` the bounds (the one
    ///         shape of every out-of-bounds parameter in the protocol, as `IStrataPool.ParameterOutOfBounds`).
    error ParameterOutOfBounds(bytes32 parameter, uint256 value, uint256 min, uint256 max);
    /// @notice `apr` was asked of a curve whose kink is 0 or >= WAD: the scaling `1/kink` or `1/(WAD - kink)`
    ///         is undefined. A curve that passed `validate` never triggers it.
    error DegenerateKink(uint256 kink);

    /// @notice Pool utilization `borrowed / (borrowed + cash)` as a WAD, rounded up; 0 when nothing is borrowed.
    /// @dev Always in `[0, WAD]` (the numerator never exceeds the denominator). Rounding up means a non-zero
    ///      borrow never reads as zero utilization. `borrowed + cash` overflowing 2^256 (impossible for real
    ///      token amounts) reverts with the compiler's checked-arithmetic panic.
    /// @param borrowed Outstanding principal, in asset units.
    /// @param cash Idle cash, in asset units (the pool's ledger, never `balanceOf`).
    /// @return The utilization as a WAD.
    function utilization(uint256 borrowed, uint256 cash) internal pure returns (uint256) {
        if (borrowed == 0) return 0;
        return FixedPointMath.mulDivUp(borrowed, FixedPointMath.WAD, borrowed + cash);
    }

    /// @notice The curve's APR at `utilizationWad`:
    ///         `base + slope1 * min(U, kink) / kink + slope2 * max(U - kink, 0) / (WAD - kink)`, `U` capped at WAD.
    /// @dev Each division rounds up. Properties (fuzzed in `test/interest/RateCurve.t.sol`): non-decreasing in `U`;
    ///      `apr(0) == base`; `apr(kink) == base + slope1` exactly (both branches agree at the kink, so the curve is
    ///      continuous there); `apr(WAD) == base + slope1 + slope2` exactly, which bounds every value.
    ///      Reverts with `DegenerateKink` if `kink == 0 || kink >= WAD` instead of dividing by zero or silently
    ///      returning a curve that never reaches its second slope.
    /// @param c The curve.
    /// @param utilizationWad Utilization as a WAD; values above WAD are treated as WAD.
    /// @return The APR as a WAD.
    function apr(RateCurve memory c, uint256 utilizationWad) internal pure returns (uint256) {
        uint256 kink = c.kink;
        if (kink == 0 || kink >= FixedPointMath.WAD) revert DegenerateKink(kink);
        uint256 u = FixedPointMath.min(utilizationWad, FixedPointMath.WAD);
        if (u <= kink) {
            return uint256(c.baseRate) + FixedPointMath.mulDivUp(c.slope1, u, kink);
        }
        return uint256(c.baseRate) + uint256(c.slope1)
            + FixedPointMath.mulDivUp(c.slope2, u - kink, FixedPointMath.WAD - kink);
    }

    /// @notice The curve's APR at full utilization, `baseRate + slope1 + slope2`: the highest rate it can quote.
    /// @param c The curve.
    /// @return The maximum APR as a WAD.
    function maxApr(RateCurve memory c) internal pure returns (uint256) {
        return uint256(c.baseRate) + uint256(c.slope1) + uint256(c.slope2);
    }

    /// @notice Reverts unless the curve is within the hard bounds: `MIN_KINK <= kink <= MAX_KINK`,
    ///         `baseRate <= MAX_BASE_RATE`, `slope1 <= MAX_SLOPE1`, `slope2 <= MAX_SLOPE2`, `maxApr <= MAX_APR`.
    /// @dev Checked in that order; the first violated bound is reported with the offending value and the bound.
    /// @param c The curve to check.
    function validate(RateCurve memory c) internal pure {
        if (c.kink < MIN_KINK || c.kink > MAX_KINK) revert ParameterOutOfBounds("kink", c.kink, MIN_KINK, MAX_KINK);
        if (c.baseRate > MAX_BASE_RATE) revert ParameterOutOfBounds("baseRate", c.baseRate, 0, MAX_BASE_RATE);
        if (c.slope1 > MAX_SLOPE1) revert ParameterOutOfBounds("slope1", c.slope1, 0, MAX_SLOPE1);
        if (c.slope2 > MAX_SLOPE2) revert ParameterOutOfBounds("slope2", c.slope2, 0, MAX_SLOPE2);
        uint256 top = maxApr(c);
        if (top > MAX_APR) revert ParameterOutOfBounds("maxApr", top, 0, MAX_APR);
    }
}

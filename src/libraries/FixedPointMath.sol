// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title FixedPointMath
/// @notice The protocol's only fixed-point library: WAD (1e18) rates, basis-point (1e4) ratios, and `mulDiv` with an
///         explicit rounding direction. Every caller states the direction in the function name (`Down` / `Up`);
///         the rule (SPEC §2) is that rounding always favours the pool: debt rounds up, payouts round down.
library FixedPointMath {
    /// @dev 1.0 as a WAD.
    uint256 internal constant WAD = 1e18;
    /// @dev 100 % in basis points.
    uint256 internal constant BPS = 10_000;
    /// @dev Seconds in the protocol's year (SPEC §2: 365 days).
    uint256 internal constant YEAR = 365 days;

    /// @notice Thrown when `x * y / d` is undefined (`d == 0`) or does not fit in 256 bits.
    error MathOverflowOrDivByZero(uint256 x, uint256 y, uint256 d);

    /// @notice `floor(x * y / d)` with a full 512-bit intermediate product.
    function mulDivDown(uint256 x, uint256 y, uint256 d) internal pure returns (uint256 z) {
        uint256 prod0;
        uint256 prod1;
        assembly ("memory-safe") {
            let mm := mulmod(x, y, not(0))
            prod0 := mul(x, y)
            prod1 := sub(sub(mm, prod0), lt(mm, prod0))
        }
        if (d == 0 || prod1 >= d) revert MathOverflowOrDivByZero(x, y, d);
        if (prod1 == 0) {
            unchecked {
                return prod0 / d;
            }
        }
        // 512 by 256 division (Remco Bloemen's method, as in OpenZeppelin Math.mulDiv).
        assembly ("memory-safe") {
            let remainder := mulmod(x, y, d)
            prod1 := sub(prod1, gt(remainder, prod0))
            prod0 := sub(prod0, remainder)
            let twos := and(sub(0, d), d)
            d := div(d, twos)
            prod0 := div(prod0, twos)
            twos := add(div(sub(0, twos), twos), 1)
            prod0 := or(prod0, mul(prod1, twos))
            let inv := xor(mul(3, d), 2)
            inv := mul(inv, sub(2, mul(d, inv)))
            inv := mul(inv, sub(2, mul(d, inv)))
            inv := mul(inv, sub(2, mul(d, inv)))
            inv := mul(inv, sub(2, mul(d, inv)))
            inv := mul(inv, sub(2, mul(d, inv)))
            inv := mul(inv, sub(2, mul(d, inv)))
            z := mul(prod0, inv)
        }
    }

    /// @notice `ceil(x * y / d)` with a full 512-bit intermediate product.
    function mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256 z) {
        z = mulDivDown(x, y, d);
        if (mulmod(x, y, d) != 0) {
            if (z == type(uint256).max) revert MathOverflowOrDivByZero(x, y, d);
            unchecked {
                ++z;
            }
        }
    }

    /// @notice `floor(x * y / WAD)`.
    function wMulDown(uint256 x, uint256 y) internal pure returns (uint256) {
        return mulDivDown(x, y, WAD);
    }

    /// @notice `ceil(x * y / WAD)`.
    function wMulUp(uint256 x, uint256 y) internal pure returns (uint256) {
        return mulDivUp(x, y, WAD);
    }

    /// @notice `floor(x * WAD / y)`.
    function wDivDown(uint256 x, uint256 y) internal pure returns (uint256) {
        return mulDivDown(x, WAD, y);
    }

    /// @notice `ceil(x * WAD / y)`.
    function wDivUp(uint256 x, uint256 y) internal pure returns (uint256) {
        return mulDivUp(x, WAD, y);
    }

    /// @notice `floor(x * bps / 10_000)`.
    function bpsDown(uint256 x, uint256 bps) internal pure returns (uint256) {
        return mulDivDown(x, bps, BPS);
    }

    /// @notice `ceil(x * bps / 10_000)`.
    function bpsUp(uint256 x, uint256 bps) internal pure returns (uint256) {
        return mulDivUp(x, bps, BPS);
    }

    /// @notice `e^(rate * elapsed / YEAR) - 1` as a WAD, by the third-order Taylor expansion used by Morpho Blue.
    /// @dev Rounds down (the senior claim it scales must never be overstated by the approximation). The error is
    ///      below 1e-6 relative for `rate * elapsed / YEAR <= 0.1` and always an under-estimate.
    /// @param rateWad APR as a WAD.
    /// @param elapsed Seconds.
    function wTaylorCompoundedDown(uint256 rateWad, uint256 elapsed) internal pure returns (uint256) {
        uint256 firstTerm = mulDivDown(rateWad, elapsed, YEAR);
        uint256 secondTerm = mulDivDown(firstTerm, firstTerm, 2 * WAD);
        uint256 thirdTerm = mulDivDown(secondTerm, firstTerm, 3 * WAD);
        return firstTerm + secondTerm + thirdTerm;
    }

    /// @notice `min(a, b)`.
    function min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    /// @notice `max(a, b)`.
    function max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }

    /// @notice `max(a - b, 0)`.
    function zeroFloorSub(uint256 a, uint256 b) internal pure returns (uint256) {
        unchecked {
            return a > b ? a - b : 0;
        }
    }
}

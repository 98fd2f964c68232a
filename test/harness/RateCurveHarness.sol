// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RateCurve, RateCurveLib} from "../../src/interest/RateCurve.sol";

/// @notice Exposes RateCurveLib externally, for forge tests and for the SDK's exact-equality tests against a chain.
contract RateCurveHarness {
    /// @notice `RateCurveLib.utilization`.
    function utilization(uint256 borrowed, uint256 cash) external pure returns (uint256) {
        return RateCurveLib.utilization(borrowed, cash);
    }

    /// @notice `RateCurveLib.apr`.
    function apr(RateCurve memory c, uint256 utilizationWad) external pure returns (uint256) {
        return RateCurveLib.apr(c, utilizationWad);
    }

    /// @notice `RateCurveLib.maxApr`.
    function maxApr(RateCurve memory c) external pure returns (uint256) {
        return RateCurveLib.maxApr(c);
    }

    /// @notice `RateCurveLib.validate`.
    function validate(RateCurve memory c) external pure {
        RateCurveLib.validate(c);
    }

    /// @notice The library's hard bounds, in declaration order.
    function bounds()
        external
        pure
        returns (uint256 minKink, uint256 maxKink, uint256 maxBase, uint256 maxS1, uint256 maxS2, uint256 maxApr_)
    {
        return (
            RateCurveLib.MIN_KINK,
            RateCurveLib.MAX_KINK,
            RateCurveLib.MAX_BASE_RATE,
            RateCurveLib.MAX_SLOPE1,
            RateCurveLib.MAX_SLOPE2,
            RateCurveLib.MAX_APR
        );
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPointMath} from "../../src/libraries/FixedPointMath.sol";

/// @notice Exposes FixedPointMath externally, for forge tests and for the SDK's exact-equality tests against a chain.
contract MathHarness {
    function mulDivDown(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return FixedPointMath.mulDivDown(x, y, d);
    }

    function mulDivUp(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return FixedPointMath.mulDivUp(x, y, d);
    }

    function wTaylorCompoundedDown(uint256 rate, uint256 elapsed) external pure returns (uint256) {
        return FixedPointMath.wTaylorCompoundedDown(rate, elapsed);
    }

    function bpsDown(uint256 x, uint256 bps) external pure returns (uint256) {
        return FixedPointMath.bpsDown(x, bps);
    }

    function bpsUp(uint256 x, uint256 bps) external pure returns (uint256) {
        return FixedPointMath.bpsUp(x, bps);
    }
}

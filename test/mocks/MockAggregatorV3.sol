// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "../../src/interfaces/AggregatorV3Interface.sol";

/// @notice A controllable Chainlink feed: answer, timestamp and decimals are set by the test, and each read can be
///         made to revert or to return truncated data.
contract MockAggregatorV3 is AggregatorV3Interface {
    enum Mode {
        Normal,
        Revert,
        ShortData
    }

    error MockFeedReverted();

    uint8 internal _decimals;
    uint80 internal _roundId;
    int256 internal _answer;
    uint256 internal _updatedAt;
    Mode public roundMode;
    Mode public decimalsMode;

    constructor(uint8 decimals_) {
        _decimals = decimals_;
    }

    function setDecimals(uint8 decimals_) external {
        _decimals = decimals_;
    }

    function setRound(int256 answer, uint256 updatedAt) external {
        _roundId++;
        _answer = answer;
        _updatedAt = updatedAt;
    }

    function setRoundMode(Mode mode) external {
        roundMode = mode;
    }

    function setDecimalsMode(Mode mode) external {
        decimalsMode = mode;
    }

    function decimals() external view returns (uint8) {
        _apply(decimalsMode);
        return _decimals;
    }

    function description() external pure returns (string memory) {
        return "MOCK / FLOOR";
    }

    function version() external pure returns (uint256) {
        return 4;
    }

    function getRoundData(uint80 roundId_) external view returns (uint80, int256, uint256, uint256, uint80) {
        _apply(roundMode);
        return (roundId_, _answer, _updatedAt, _updatedAt, roundId_);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        _apply(roundMode);
        return (_roundId, _answer, _updatedAt, _updatedAt, _roundId);
    }

    function _apply(Mode mode) internal pure {
        if (mode == Mode.Revert) revert MockFeedReverted();
        if (mode == Mode.ShortData) {
            assembly {
                mstore(0, 1)
                return(0, 16)
            }
        }
    }
}

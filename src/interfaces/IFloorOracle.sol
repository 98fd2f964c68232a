// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IFloorOracle
/// @notice The price source behind every listed collection (SPEC §6). Implemented by the push-based
///         `AppraisalOracle` and by `ChainlinkFloorAdapter`; the pool stores one source per collection.
interface IFloorOracle {
    /// @notice The collection's floor price in pool-asset units, when it was last updated, and whether it is fresh
    ///         (`block.timestamp - updatedAt <= maxAge` and `price > 0`). Never reverts for a known or unknown
    ///         collection: an unknown one returns `(0, 0, false)`.
    /// @dev Consumers MUST refuse new risk (borrowing, health-based liquidation) when `fresh` is false.
    function floorPrice(address collection) external view returns (uint256 price, uint256 updatedAt, bool fresh);
}

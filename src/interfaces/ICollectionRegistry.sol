// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CollectionParams} from "./IStrataPool.sol";

/// @title ICollectionRegistry
/// @notice The collections a pool lends against and their governance parameters (SPEC §3), with per-collection pause.
interface ICollectionRegistry {
    /// @notice The collection is not listed.
    error CollectionNotListed(address collection);

    /// @notice Emitted on listing or any parameter change, with the old and new values.
    event CollectionConfigured(address indexed collection, CollectionParams oldParams, CollectionParams newParams);
    /// @notice Emitted when borrowing against a collection is paused or unpaused.
    event CollectionPausedSet(address indexed collection, bool paused);

    /// @notice Lists `collection` or updates its parameters. Only governance; every field within hard bounds.
    /// @dev Live loans keep the terms copied into them at origination: a change never worsens them.
    function configureCollection(address collection, CollectionParams calldata params) external;

    /// @notice Pauses (guardian or governance) or unpauses (governance only) new borrowing against `collection`.
    function setCollectionPaused(address collection, bool paused) external;

    /// @notice The parameters, listing and pause state of `collection` (zero values when not listed).
    function collection(address collection)
        external
        view
        returns (CollectionParams memory params, bool listed, bool paused);

    /// @notice The price source of `collection` (zero when not listed).
    function oracleOf(address collection) external view returns (address);
}

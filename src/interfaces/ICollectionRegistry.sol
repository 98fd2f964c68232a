// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RateCurve} from "../interest/RateCurve.sol";
import {CollectionParams, IStrataPool, RarityProof} from "./IStrataPool.sol";

/// @notice What a new loan against a collection gets, once every collection-level rule has passed.
struct BorrowTerms {
    RateCurve curve;
    uint256 rarityBps;
    uint16 liquidationThresholdBps;
    uint16 liquidationPenaltyBps;
    uint16 lateFeeBps;
}

/// @title ICollectionRegistry
/// @notice The collections a pool lends against and their governance parameters (SPEC §3), with per-collection pause.
interface ICollectionRegistry {
    /// @notice Emitted on listing or any parameter change, with the old and new values.
    event CollectionConfigured(address indexed collection, CollectionParams oldParams, CollectionParams newParams);
    /// @notice Emitted when borrowing against a collection is paused or unpaused, with the previous state.
    event CollectionPausedSet(address indexed collection, bool wasPaused, bool paused);
    /// @notice The multiplier of a borrow without a rarity proof against `collection`'s rarity list `rarityRoot`
    ///         changed (0: a proof is required). A change of the root resets it to 0 (SPEC §3.4).
    event NoProofRaritySet(address indexed collection, bytes32 rarityRoot, uint256 oldBps, uint256 newBps);
    /// @notice The pool's copy of `collection`'s configuration was written again from this registry's record
    ///         (`syncPool`). Every other change writes the copy in the call that emits its own event.
    event PoolConfigSynced(address indexed collection);

    /// @notice Lists `collection` or updates its parameters. Only governance; every field within hard bounds.
    /// @dev Live loans keep the terms copied into them at origination: a change never worsens them.
    function configureCollection(address collection, CollectionParams calldata params) external;

    /// @notice Pauses (guardian or governance) or unpauses (governance only) new borrowing against `collection`.
    function setCollectionPaused(address collection, bool paused) external;

    /// @notice Sets the multiplier a borrow without a rarity proof gets against `collection`'s current rarity list
    ///         (SPEC §3.4): governance sets it to the list's smallest multiplier (the governance tooling computes it
    ///         from the rarity file and refuses a larger one), never above 1×. Governance only; the collection must
    ///         be listed with a rarity root.
    /// @param collection The listed collection.
    /// @param bps The proof-less multiplier, within `[1, 10_000]`.
    function setNoProofRarity(address collection, uint256 bps) external;

    /// @notice The multiplier of a borrow without a rarity proof against `collection`: 10,000 (1×) without a rarity
    ///         list; with one, the governance-set value, or 0 when none is set (a proof is then required).
    function noProofRarity(address collection) external view returns (uint256 bps);

    /// @notice Writes the pool's copy of listed `collection`'s configuration from this registry's record (issue #30).
    ///         Anyone may call it: it copies what governance set, nothing else. Every change through this registry
    ///         already writes the copy; this fills it for a collection listed before the pool kept one (an upgrade's
    ///         batch calls it for each listed collection, SPEC §8.6).
    /// @param collection The listed collection (`CollectionNotListed` otherwise).
    function syncPool(address collection) external;

    /// @notice The pool whose copy of the configuration this registry writes.
    function pool() external view returns (IStrataPool);

    /// @notice The parameters, listing and pause state of `collection` (zero values when not listed).
    function collection(address collection)
        external
        view
        returns (CollectionParams memory params, bool listed, bool paused);

    /// @notice The price source of `collection` (zero when not listed).
    function oracleOf(address collection) external view returns (address);

    /// @notice The appraisal of a token of `collection` with rarity multiplier `rarityBps`: floor × rarity (SPEC §3),
    ///         rounded down, and whether the floor price is fresh. Never reverts.
    function appraisal(address collection, uint256 rarityBps) external view returns (uint256 value, bool fresh);

    /// @notice Applies every collection-level rule of a new loan (SPEC §3): listed and not paused, duration within
    ///         bounds, a valid rarity proof (capped by governance), a fresh price, `principal <= appraisal × LTV`, and
    ///         the collection's exposure after the loan within its cap. Reverts with the pool's custom errors.
    /// @param exposureAfter The collection's outstanding principal including this loan (the pool's books).
    function borrowTerms(
        address collection,
        uint256 tokenId,
        uint256 principal,
        uint256 duration,
        uint256 exposureAfter,
        RarityProof calldata rarity
    ) external view returns (BorrowTerms memory terms);

    /// @notice Applies the collection-level rules of an extension (SPEC §3): listed and not paused, duration within
    ///         bounds, a fresh price, and the loan healthy (`debt <= appraisal × threshold`). Returns the curve.
    function extensionCurve(
        uint256 loanId,
        address collection,
        uint256 rarityBps,
        uint256 liquidationThresholdBps,
        uint256 debt,
        uint256 duration
    ) external view returns (RateCurve memory curve);
}

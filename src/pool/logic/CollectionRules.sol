// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {RateCurve} from "../../interest/RateCurve.sol";
import {BorrowTerms} from "../../interfaces/ICollectionRegistry.sol";
import {IFloorOracle} from "../../interfaces/IFloorOracle.sol";
import {CollectionConfig, CollectionParams, IStrataPool, RarityProof} from "../../interfaces/IStrataPool.sol";
import {FixedPointMath} from "../../libraries/FixedPointMath.sol";
import {RarityProof as RarityProofLib} from "../../oracle/RarityProof.sol";

/// @title CollectionRules
/// @notice The collection-level rules of lending (SPEC §3.3, §3.4, §3.9): listing, pause, term bounds, the rarity
///         multiplier, the appraisal (floor × rarity, rounded down) at a fresh price, the LTV and exposure bounds of a
///         borrow, and the health bound of an extension. One source for every caller: the pool's `borrow` and
///         `extend` (on the pool's copy of the configuration, issue #30), the registry's views and the liquidator's
///         appraisal. Internal functions only: each caller runs them in its own code.
library CollectionRules {
    using FixedPointMath for uint256;

    /// @notice The configuration the pool keeps for a collection, derived from the registry's record: its parameters,
    ///         listing and pause flags, and the effective proof-less multiplier (`noProof`, SPEC §3.4).
    function config(CollectionParams memory p, bool listed, bool paused, uint256 noProof)
        internal
        pure
        returns (CollectionConfig memory c)
    {
        c.oracle = p.oracle;
        c.ltvBps = p.ltvBps;
        c.liquidationThresholdBps = p.liquidationThresholdBps;
        c.liquidationPenaltyBps = p.liquidationPenaltyBps;
        c.lateFeeBps = p.lateFeeBps;
        c.maxRarityBps = p.maxRarityBps;
        // casting to 'uint16' is safe because the multiplier is at most 10,000 (`PoolParameters`)
        // forge-lint: disable-next-line(unsafe-typecast)
        c.noProofRarityBps = uint16(noProof);
        c.minDuration = p.minDuration;
        c.maxDuration = p.maxDuration;
        c.exposureCap = p.exposureCap;
        c.listed = listed;
        c.paused = paused;
        c.curve = p.curve;
    }

    /// @notice Every collection-level rule of a new loan (SPEC §3.3): listed and not paused, `duration` within bounds,
    ///         the rarity multiplier (a valid proof, capped by governance; without one the proof-less multiplier, or
    ///         `RarityProofRequired`), `principal <= appraisal × LTV` at a fresh price, and the collection's exposure
    ///         after the loan within its cap. Reverts with the pool's custom errors.
    /// @param c The collection's configuration.
    /// @param rarityRoot Its rarity root; read by the caller only when `rarity` carries a proof (otherwise unused).
    /// @param exposureAfter The collection's outstanding principal including this loan.
    function borrowTerms(
        CollectionConfig memory c,
        bytes32 rarityRoot,
        address collection,
        uint256 tokenId,
        uint256 principal,
        uint256 duration,
        uint256 exposureAfter,
        RarityProof calldata rarity
    ) internal view returns (BorrowTerms memory terms) {
        checkTerm(c, collection, duration);
        if (rarity.proof.length != 0) {
            if (!RarityProofLib.verify(rarityRoot, tokenId, rarity.multiplierBps, rarity.proof)) {
                revert IStrataPool.InvalidRarityProof(collection, tokenId, rarity.multiplierBps);
            }
            terms.rarityBps = rarity.multiplierBps.min(c.maxRarityBps);
        } else {
            // No proof: 1× without a rarity list, never above the list's smallest multiplier with one (SPEC §3.4).
            if (c.noProofRarityBps == 0) revert IStrataPool.RarityProofRequired(collection, tokenId);
            terms.rarityBps = c.noProofRarityBps;
        }
        uint256 maxPrincipal = freshAppraisal(c.oracle, collection, terms.rarityBps).bpsDown(c.ltvBps);
        if (principal > maxPrincipal) revert IStrataPool.ExceedsLtv(principal, maxPrincipal);
        if (exposureAfter > c.exposureCap) {
            revert IStrataPool.ExceedsExposureCap(collection, exposureAfter, c.exposureCap);
        }
        terms.curve = c.curve;
        terms.liquidationThresholdBps = c.liquidationThresholdBps;
        terms.liquidationPenaltyBps = c.liquidationPenaltyBps;
        terms.lateFeeBps = c.lateFeeBps;
    }

    /// @notice The collection-level rules of an extension (SPEC §3.9): listed and not paused, `duration` within
    ///         bounds, and the loan healthy at a fresh price (`debt <= appraisal × threshold`, else `LoanUnhealthy`).
    ///         Returns the collection's current curve.
    function extensionCurve(
        CollectionConfig memory c,
        uint256 loanId,
        address collection,
        uint256 rarityBps,
        uint256 liquidationThresholdBps,
        uint256 debt,
        uint256 duration
    ) internal view returns (RateCurve memory) {
        checkTerm(c, collection, duration);
        uint256 limit = freshAppraisal(c.oracle, collection, rarityBps).bpsDown(liquidationThresholdBps);
        if (debt > limit) revert IStrataPool.LoanUnhealthy(loanId);
        return c.curve;
    }

    /// @notice Reverts unless the collection is listed, not paused, and `duration` within its term bounds.
    function checkTerm(CollectionConfig memory c, address collection, uint256 duration) internal pure {
        if (!c.listed) revert IStrataPool.CollectionNotListed(collection);
        if (c.paused) revert IStrataPool.CollectionPaused(collection);
        if (duration < c.minDuration || duration > c.maxDuration) {
            revert IStrataPool.DurationOutOfRange(duration, c.minDuration, c.maxDuration);
        }
    }

    /// @notice The appraisal of a token of `collection` with multiplier `rarityBps` (SPEC §3.4): the floor of `oracle`
    ///         times the multiplier, rounded down (`bpsDown`: never overstated), and whether the floor is fresh.
    ///         `(0, false)` without an oracle. Never reverts on a zero oracle.
    function appraisal(address oracle, address collection, uint256 rarityBps)
        internal
        view
        returns (uint256 value, bool fresh)
    {
        if (oracle == address(0)) return (0, false);
        uint256 floor;
        (floor,, fresh) = IFloorOracle(oracle).floorPrice(collection);
        value = floor.bpsDown(rarityBps);
    }

    /// @notice `appraisal`, reverting with `StalePrice` unless the floor is fresh.
    function freshAppraisal(address oracle, address collection, uint256 rarityBps)
        internal
        view
        returns (uint256 value)
    {
        bool fresh;
        (value, fresh) = appraisal(oracle, collection, rarityBps);
        if (!fresh) revert IStrataPool.StalePrice(collection);
    }
}

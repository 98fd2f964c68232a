// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

import {Governed} from "../governance/Governed.sol";
import {RateCurve} from "../interest/RateCurve.sol";
import {BorrowTerms, ICollectionRegistry} from "../interfaces/ICollectionRegistry.sol";
import {IFloorOracle} from "../interfaces/IFloorOracle.sol";
import {CollectionParams, IStrataPool, RarityProof} from "../interfaces/IStrataPool.sol";
import {FixedPointMath} from "../libraries/FixedPointMath.sol";
import {RarityProof as RarityProofLib} from "../oracle/RarityProof.sol";
import {PoolParameters} from "./PoolParameters.sol";

/// @title CollectionRegistry
/// @notice The pool's list of approved collections, their parameters (LTV, liquidation threshold and penalty, late
///         fee, rarity root and cap, durations, exposure cap, oracle source, rate curve) and the collection-level
///         rules of lending against them: appraisal = floor × rarity, eligibility of a new loan or an extension
///         (SPEC §3, §6). Only governance lists and changes; a guardian can pause a collection, never unpause it.
/// @dev A contract of its own, beside the pool, so that the pool stays under the EIP-170 code-size limit; the pool
///      makes one call to it per borrow or extension. It reverts with the pool's custom errors.
contract CollectionRegistry is ICollectionRegistry, Governed, UUPSUpgradeable {
    using FixedPointMath for uint256;

    /// @dev `noProofRarityBps` was appended in 0.3 (SPEC §3.4): the multiplier of a borrow without a proof, kept in
    ///      the slot every borrow already reads (`listed`, `paused`) so a proof-less borrow never reads the root:
    ///      10,000 for a collection listed without a rarity root, governance's value for one with a root, and 0 when
    ///      unset: then the root decides (none: 1×, a listing from before 0.3; one: a proof is required).
    struct Entry {
        CollectionParams params;
        bool listed;
        bool paused;
        uint16 noProofRarityBps;
    }

    /// @custom:storage-location erc7201:strata.storage.CollectionRegistry
    struct RegistryStorage {
        mapping(address collection => Entry) entries;
    }

    // keccak256(abi.encode(uint256(keccak256("strata.storage.CollectionRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant REGISTRY_STORAGE = 0x766c80e6db181c1a5d0b4dba5c29442e641fb9f6f1e026b4196bc363075d1c00;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the registry behind its proxy.
    function initialize(address governance_, address guardian_) external initializer {
        __Governed_init(governance_, guardian_);
    }

    /// @inheritdoc ICollectionRegistry
    function configureCollection(address collectionAddr, CollectionParams calldata params) external onlyGovernance {
        if (collectionAddr == address(0)) revert ZeroAddress();
        PoolParameters.validateCollection(params);
        Entry storage e = _rs().entries[collectionAddr];
        CollectionParams memory old = e.params;
        e.params = params;
        e.listed = true;
        emit CollectionConfigured(collectionAddr, old, params);
        // Without a list every token is 1×; a new list needs its own proof-less multiplier (SPEC §3.4): until
        // governance sets it, a proof is required, never a fallback to 1×.
        uint256 noProof = e.noProofRarityBps;
        uint256 next =
            params.rarityRoot == bytes32(0) ? FixedPointMath.BPS : old.rarityRoot != params.rarityRoot ? 0 : noProof;
        if (next != noProof) {
            emit NoProofRaritySet(collectionAddr, params.rarityRoot, noProof, next);
            e.noProofRarityBps = uint16(next);
        }
    }

    /// @inheritdoc ICollectionRegistry
    function setNoProofRarity(address collectionAddr, uint256 bps) external onlyGovernance {
        Entry storage e = _rs().entries[collectionAddr];
        if (!e.listed) revert IStrataPool.CollectionNotListed(collectionAddr);
        bytes32 root = e.params.rarityRoot;
        // Without a rarity list every token borrows at 1×: there is nothing to set.
        if (root == bytes32(0)) revert IStrataPool.ParameterOutOfBounds("rarityRoot", 0, 1, type(uint256).max);
        PoolParameters.check("noProofRarityBps", bps, 1, PoolParameters.MAX_NO_PROOF_RARITY_BPS);
        emit NoProofRaritySet(collectionAddr, root, e.noProofRarityBps, bps);
        e.noProofRarityBps = uint16(bps);
    }

    /// @inheritdoc ICollectionRegistry
    function noProofRarity(address collectionAddr) external view returns (uint256) {
        return _noProofRarity(_rs().entries[collectionAddr]);
    }

    /// @inheritdoc ICollectionRegistry
    function setCollectionPaused(address collectionAddr, bool isPaused) external onlyPauser(isPaused) {
        Entry storage e = _rs().entries[collectionAddr];
        if (!e.listed) revert IStrataPool.CollectionNotListed(collectionAddr);
        emit CollectionPausedSet(collectionAddr, e.paused, isPaused);
        e.paused = isPaused;
    }

    /// @inheritdoc ICollectionRegistry
    function collection(address collectionAddr)
        external
        view
        returns (CollectionParams memory params, bool listed, bool isPaused)
    {
        Entry storage e = _rs().entries[collectionAddr];
        return (e.params, e.listed, e.paused);
    }

    /// @inheritdoc ICollectionRegistry
    function oracleOf(address collectionAddr) external view returns (address) {
        return _rs().entries[collectionAddr].params.oracle;
    }

    /// @inheritdoc ICollectionRegistry
    function appraisal(address collectionAddr, uint256 rarityBps) public view returns (uint256 value, bool fresh) {
        address oracle = _rs().entries[collectionAddr].params.oracle;
        if (oracle == address(0)) return (0, false);
        uint256 floor;
        (floor,, fresh) = IFloorOracle(oracle).floorPrice(collectionAddr);
        value = floor.bpsDown(rarityBps);
    }

    /// @inheritdoc ICollectionRegistry
    function borrowTerms(
        address collectionAddr,
        uint256 tokenId,
        uint256 principal,
        uint256 duration,
        uint256 exposureAfter,
        RarityProof calldata rarity
    ) external view returns (BorrowTerms memory terms) {
        Entry storage e = _entry(collectionAddr, duration);
        CollectionParams storage p = e.params;
        terms.rarityBps = FixedPointMath.BPS;
        if (rarity.proof.length != 0) {
            if (!RarityProofLib.verify(p.rarityRoot, tokenId, rarity.multiplierBps, rarity.proof)) {
                revert IStrataPool.InvalidRarityProof(collectionAddr, tokenId, rarity.multiplierBps);
            }
            terms.rarityBps = rarity.multiplierBps.min(p.maxRarityBps);
        } else {
            // No proof: 1× without a rarity list, never above the list's smallest multiplier with one (SPEC §3.4).
            uint256 noProof = _noProofRarity(e);
            if (noProof == 0) revert IStrataPool.RarityProofRequired(collectionAddr, tokenId);
            terms.rarityBps = noProof;
        }
        uint256 maxPrincipal = _freshAppraisal(collectionAddr, terms.rarityBps).bpsDown(p.ltvBps);
        if (principal > maxPrincipal) revert IStrataPool.ExceedsLtv(principal, maxPrincipal);
        if (exposureAfter > p.exposureCap) {
            revert IStrataPool.ExceedsExposureCap(collectionAddr, exposureAfter, p.exposureCap);
        }
        terms.curve = p.curve;
        terms.liquidationThresholdBps = p.liquidationThresholdBps;
        terms.liquidationPenaltyBps = p.liquidationPenaltyBps;
        terms.lateFeeBps = p.lateFeeBps;
    }

    /// @inheritdoc ICollectionRegistry
    function extensionCurve(
        uint256 loanId,
        address collectionAddr,
        uint256 rarityBps,
        uint256 liquidationThresholdBps,
        uint256 debt,
        uint256 duration
    ) external view returns (RateCurve memory) {
        CollectionParams storage p = _entry(collectionAddr, duration).params;
        uint256 limit = _freshAppraisal(collectionAddr, rarityBps).bpsDown(liquidationThresholdBps);
        if (debt > limit) revert IStrataPool.LoanUnhealthy(loanId);
        return p.curve;
    }

    /// @dev The proof-less multiplier of `e` (0: a proof is required). The stored value decides without reading the
    ///      root, except for an entry never configured since 0.3 (stored 0).
    function _noProofRarity(Entry storage e) private view returns (uint256 noProof) {
        noProof = e.noProofRarityBps;
        if (noProof == 0 && e.params.rarityRoot == bytes32(0)) noProof = FixedPointMath.BPS;
    }

    /// @dev The entry of a listed, unpaused collection, with `duration` within its bounds.
    function _entry(address collectionAddr, uint256 duration) private view returns (Entry storage e) {
        e = _rs().entries[collectionAddr];
        if (!e.listed) revert IStrataPool.CollectionNotListed(collectionAddr);
        if (e.paused) revert IStrataPool.CollectionPaused(collectionAddr);
        CollectionParams storage p = e.params;
        if (duration < p.minDuration || duration > p.maxDuration) {
            revert IStrataPool.DurationOutOfRange(duration, p.minDuration, p.maxDuration);
        }
    }

    function _freshAppraisal(address collectionAddr, uint256 rarityBps) private view returns (uint256 value) {
        bool fresh;
        (value, fresh) = appraisal(collectionAddr, rarityBps);
        if (!fresh) revert IStrataPool.StalePrice(collectionAddr);
    }

    function _rs() private pure returns (RegistryStorage storage $) {
        assembly {
            $.slot := REGISTRY_STORAGE
        }
    }

    function _authorizeUpgrade(address) internal override onlyGovernance {}
}

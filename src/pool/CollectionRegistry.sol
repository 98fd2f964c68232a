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

    struct Entry {
        CollectionParams params;
        bool listed;
        bool paused;
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
        CollectionParams storage p = _borrowable(collectionAddr, duration);
        terms.rarityBps = FixedPointMath.BPS;
        if (rarity.proof.length != 0) {
            if (!RarityProofLib.verify(p.rarityRoot, tokenId, rarity.multiplierBps, rarity.proof)) {
                revert IStrataPool.InvalidRarityProof(collectionAddr, tokenId, rarity.multiplierBps);
            }
            terms.rarityBps = rarity.multiplierBps.min(p.maxRarityBps);
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
        CollectionParams storage p = _borrowable(collectionAddr, duration);
        uint256 limit = _freshAppraisal(collectionAddr, rarityBps).bpsDown(liquidationThresholdBps);
        if (debt > limit) revert IStrataPool.LoanUnhealthy(loanId);
        return p.curve;
    }

    /// @dev A listed, unpaused collection and a duration within its bounds.
    function _borrowable(address collectionAddr, uint256 duration) private view returns (CollectionParams storage p) {
        Entry storage e = _rs().entries[collectionAddr];
        if (!e.listed) revert IStrataPool.CollectionNotListed(collectionAddr);
        if (e.paused) revert IStrataPool.CollectionPaused(collectionAddr);
        p = e.params;
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

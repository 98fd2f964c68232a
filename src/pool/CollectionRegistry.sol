// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

import {Governed} from "../governance/Governed.sol";
import {RateCurve} from "../interest/RateCurve.sol";
import {BorrowTerms, ICollectionRegistry} from "../interfaces/ICollectionRegistry.sol";
import {CollectionConfig, CollectionParams, IStrataPool, RarityProof} from "../interfaces/IStrataPool.sol";
import {FixedPointMath} from "../libraries/FixedPointMath.sol";
import {PoolParameters} from "./PoolParameters.sol";
import {CollectionRules} from "./logic/CollectionRules.sol";

/// @title CollectionRegistry
/// @notice The pool's list of approved collections, their parameters (LTV, liquidation threshold and penalty, late
///         fee, rarity root and cap, durations, exposure cap, oracle source, rate curve), and views of the
///         collection-level rules of lending against them (`CollectionRules`: appraisal = floor × rarity, eligibility of
///         a new loan or an extension; SPEC §3, §6). Only governance lists and changes; a guardian can pause a
///         collection, never unpause it.
/// @dev A contract of its own, beside the pool, so that the pool stays under the EIP-170 code-size limit. Since 0.4
///      (issue #30) the pool keeps a copy of each collection's lending configuration, which this registry writes in
///      the same call as every change of its own record (`_push`), so `borrow` and `extend` make no call here; the
///      rules themselves are `CollectionRules`, which the pool and this registry's views both run. It reverts with the
///      pool's custom errors.
contract CollectionRegistry is ICollectionRegistry, Governed, UUPSUpgradeable {
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

    /// @dev The pool whose copy of the configuration this registry writes: an immutable of the implementation (issue
    ///      #30), as the pool's own wiring is; the deploy and upgrade scripts pass the pool's proxy.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IStrataPool private immutable poolContract;

    /// @notice Disables initializers on the implementation and fixes the pool it writes to.
    /// @param pool_ The pool (its proxy).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IStrataPool pool_) {
        poolContract = pool_;
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
        _push(collectionAddr, e);
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
        _push(collectionAddr, e);
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
        _push(collectionAddr, e);
    }

    /// @inheritdoc ICollectionRegistry
    function syncPool(address collectionAddr) external {
        Entry storage e = _rs().entries[collectionAddr];
        if (!e.listed) revert IStrataPool.CollectionNotListed(collectionAddr);
        _push(collectionAddr, e);
        emit PoolConfigSynced(collectionAddr);
    }

    /// @inheritdoc ICollectionRegistry
    function pool() external view returns (IStrataPool) {
        return poolContract;
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
    function appraisal(address collectionAddr, uint256 rarityBps) external view returns (uint256 value, bool fresh) {
        return CollectionRules.appraisal(_rs().entries[collectionAddr].params.oracle, collectionAddr, rarityBps);
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
        Entry storage e = _rs().entries[collectionAddr];
        return CollectionRules.borrowTerms(
            _config(e), e.params.rarityRoot, collectionAddr, tokenId, principal, duration, exposureAfter, rarity
        );
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
        return CollectionRules.extensionCurve(
            _config(_rs().entries[collectionAddr]),
            loanId,
            collectionAddr,
            rarityBps,
            liquidationThresholdBps,
            debt,
            duration
        );
    }

    /// @dev The configuration the pool keeps for the collection of entry `e` (`CollectionRules.config`).
    function _config(Entry storage e) private view returns (CollectionConfig memory) {
        return CollectionRules.config(e.params, e.listed, e.paused, _noProofRarity(e));
    }

    /// @dev Writes the pool's copy of entry `e` (issue #30): every change of an entry ends here, in the same call.
    function _push(address collectionAddr, Entry storage e) private {
        poolContract.setCollectionConfig(collectionAddr, _config(e), e.params.rarityRoot);
    }

    /// @dev The proof-less multiplier of `e` (0: a proof is required). The stored value decides without reading the
    ///      root, except for an entry never configured since 0.3 (stored 0).
    function _noProofRarity(Entry storage e) private view returns (uint256 noProof) {
        noProof = e.noProofRarityBps;
        if (noProof == 0 && e.params.rarityRoot == bytes32(0)) noProof = FixedPointMath.BPS;
    }

    function _rs() private pure returns (RegistryStorage storage $) {
        assembly {
            $.slot := REGISTRY_STORAGE
        }
    }

    function _authorizeUpgrade(address) internal override onlyGovernance {}
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

import {Governed} from "../governance/Governed.sol";
import {ICollectionRegistry} from "../interfaces/ICollectionRegistry.sol";
import {CollectionParams} from "../interfaces/IStrataPool.sol";
import {PoolParameters} from "./PoolParameters.sol";

/// @title CollectionRegistry
/// @notice The pool's list of approved collections and their parameters: LTV, liquidation threshold and penalty,
///         late fee, rarity root and cap, durations, exposure cap, oracle source and rate curve (SPEC §3). Only
///         governance lists and changes; a guardian can pause a collection, never unpause it.
/// @dev A contract of its own (not part of the pool) to keep the pool under the EIP-170 code-size limit.
contract CollectionRegistry is ICollectionRegistry, Governed, UUPSUpgradeable {
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
    function setCollectionPaused(address collectionAddr, bool isPaused) external {
        if (isPaused) {
            if (msg.sender != governance() && !isGuardian(msg.sender)) revert NotGuardian(msg.sender);
        } else if (msg.sender != governance()) {
            revert NotGovernance(msg.sender);
        }
        Entry storage e = _rs().entries[collectionAddr];
        if (!e.listed) revert CollectionNotListed(collectionAddr);
        e.paused = isPaused;
        emit CollectionPausedSet(collectionAddr, isPaused);
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

    function _rs() private pure returns (RegistryStorage storage $) {
        assembly {
            $.slot := REGISTRY_STORAGE
        }
    }

    function _authorizeUpgrade(address) internal override onlyGovernance {}
}

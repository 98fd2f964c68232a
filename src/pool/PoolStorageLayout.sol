// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "solmate/tokens/ERC20.sol";

import {RateState} from "../interest/RateIntegrity.sol";
import {ICollectionRegistry} from "../interfaces/ICollectionRegistry.sol";
import {IDelegateRegistry} from "../interfaces/IDelegateRegistry.sol";
import {CollectionConfig, LoanStatus} from "../interfaces/IStrataPool.sol";

/// @title PoolStorageLayout
/// @notice The pool's storage types in their own file (issue #29): the ERC-7201 namespaced `PoolStorage` and the loan,
///         terms and collection records it maps to. `StrataPool` inherits them and its logic libraries (`LoanLogic`,
///         `PoolValues`, `QueueHold`, `PoolAdmin`) import them from here, not from the pool (no import cycle).
/// @dev Declares no state variable: the layout lives at the ERC-7201 slot of `strata.storage.Pool`, append-only across
///      releases (storage-layout/StrataPool.json, `npm run test:upgrades`).
abstract contract PoolStorageLayout {
    /// @dev A loan as stored. The terms locked at origination live in `terms[termsId]` (interned: loans made under
    ///      the same parameters share one record). Once impaired, `principal` holds the loan's book value at
    ///      impairment and `start` the impairment time.
    ///      Two formats share this declaration (`LoanStore`, issue #30), told apart by the second word's top byte,
    ///      which no field declares (it is zero in every loan made before 0.4):
    ///      - 0, legacy (0.1–0.3): the collection is `collectionAt[collectionId]`, the token id the third word;
    ///      - 1, two slots (0.4): the collection is `terms[termsId].collection`, and `collectionId` holds the token id
    ///        (every id below `LoanStore.INLINE_TOKEN_LIMIT`); the third word is never written;
    ///      - 2, wide (0.4): the collection as in 1, the token id in the third word (ids at or above the limit).
    struct StoredLoan {
        address borrower;
        uint96 principal;
        uint32 collectionId;
        uint40 start;
        uint40 maturity;
        LoanStatus status;
        uint64 apr;
        uint32 rarityBps;
        uint32 termsId;
        uint256 tokenId;
    }

    /// @dev Terms copied into a loan at origination (SPEC §3): a later governance change never worsens them.
    struct LoanTerms {
        uint16 liquidationThresholdBps;
        uint16 liquidationPenaltyBps;
        uint16 lateFeeBps;
        uint16 protocolFeeBps;
        uint32 gracePeriod;
        // ---- appended in 0.4 (#30), in the record's free bytes: the collection the record was made for (each record
        //      belongs to one collection). Zero in the records made before 0.4, which only legacy loans use.
        address collection;
    }

    /// @dev The pool's own per-collection state, one slot: outstanding principal, the collection's id, its current
    ///      terms record and that record's packed key.
    struct CollectionState {
        uint96 exposure;
        uint32 id;
        uint32 termsId;
        uint96 termsKey;
    }

    /// @custom:storage-location erc7201:strata.storage.Pool
    struct PoolStorage {
        ERC20 asset;
        ICollectionRegistry registry;
        address seniorVault;
        address juniorVault;
        address liquidator;
        uint96 impairedBook;
        address treasury;
        uint128 cash;
        uint128 totalPrincipal;
        uint192 rateSum;
        uint32 impairedCount;
        // ---- 0.4 (#30), in the free bytes of the accrual slot, which every borrow writes: the next loan id, once
        //      the first borrow since 0.4 has moved it here from `nextLoanId` (0: not yet). See `LoanStore.takeId`.
        uint32 loanIdCursor;
        uint256 rateTimeSum;
        uint128 seniorClaim;
        uint40 seniorLastUpdate;
        uint64 seniorRate;
        // ---- 0.3 (#28), in the free bytes of the senior slot: how the claim accrues. 0 on a pool upgraded from 0.2
        //      (the full `seniorRate`, until its first change of principal or cash); 1 since (`seniorRate × u`).
        uint8 seniorAccrualMode;
        // ---- 0.3 (#28), beside it: whether either queue has pending shares (kept by the queue hooks; valid once
        //      `seniorAccrualMode` is 1), so that the common case reads no queue slot to find the available cash.
        bool queuesPending;
        uint128 protocolFees;
        uint16 minJuniorRatioBps;
        uint16 originationFeeBps;
        uint16 protocolFeeBps;
        uint32 gracePeriod;
        bool borrowsPaused;
        bool depositsPaused;
        uint64 nextLoanId;
        uint32 collectionCount;
        uint32 termsCount;
        uint128[2] supply;
        uint128[2] pendingShares;
        mapping(uint256 loanId => StoredLoan) loans;
        mapping(address collection => CollectionState) collections;
        mapping(uint32 id => address) collectionAt;
        mapping(uint32 termsId => LoanTerms) terms;
        // ---- appended in 0.2 (#12): the time-weighted utilization that prices loans (SPEC §3 "Rate integrity").
        RateState rate;
        // ---- appended in 0.3 (#27): queue holds (SPEC §5.7). Stored zeros read as the defaults.
        uint16 holdThresholdBps;
        uint32 queueCooldown;
        uint40 seniorServableAfter;
        uint40 juniorServableAfter;
        // ---- appended in 0.4 (#30): the pool's copy of each collection's lending configuration and rarity root,
        //      written only by the registry with every change of its record (`setCollectionConfig`), so `borrow` and
        //      `extend` read them here instead of calling the registry.
        mapping(address collection => CollectionConfig) collectionConfigs;
        mapping(address collection => bytes32) rarityRoots;
    }

    /// @notice The addresses an implementation is built for (constructor immutables, issue #30): those of the proxy it
    ///         serves, which `initialize` and the upgrade script check.
    struct Wiring {
        IDelegateRegistry delegateRegistry;
        ERC20 asset;
        ICollectionRegistry registry;
        address seniorVault;
        address juniorVault;
        address liquidator;
    }

    /// @notice Initialization parameters (see `initialize`).
    struct InitParams {
        address asset;
        address registry;
        address governance;
        address guardian;
        address seniorVault;
        address juniorVault;
        address liquidator;
        address treasury;
        uint256 seniorRate;
        uint256 minJuniorRatioBps;
        uint256 originationFeeBps;
        uint256 protocolFeeBps;
        uint256 gracePeriod;
        uint256 queueHoldThresholdBps;
        uint256 queueCooldown;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {LoanStatus} from "../../interfaces/IStrataPool.sol";
import {PoolStorageLayout} from "../PoolStorageLayout.sol";

/// @title LoanStore
/// @notice The one codec of the pool's loan records (issue #30): where a loan's collection and token id are, in either
///         of the formats `PoolStorageLayout.StoredLoan` documents, and how a new loan is written in two slots.
/// @dev Internal functions only (inlined into the pool and its logic libraries). The other fields (`borrower`,
///      `principal`, `start`, `maturity`, `status`, `apr`, `rarityBps`, `termsId`) sit at the same place in every
///      format and are read and written through the struct; Solidity's packed-field writes keep the format byte,
///      which no field declares. Its TypeScript mirror is the SDK's raw-storage loan decoder (`fetch/loan.ts`).
library LoanStore {
    /// @notice Legacy (before 0.4): the collection in `collectionAt[collectionId]`, the token id in the third word.
    uint256 internal constant LEGACY = 0;
    /// @notice Two slots: the collection in `terms[termsId].collection`, the token id in the `collectionId` field.
    uint256 internal constant INLINE = 1;
    /// @notice Wide token id: the collection as `INLINE`, the token id in the third word.
    uint256 internal constant WIDE = 2;
    /// @notice Token ids below this are stored inline (the `collectionId` field's 32 bits); the others, wide.
    uint256 internal constant INLINE_TOKEN_LIMIT = type(uint32).max;
    /// @notice The format byte's top bit: the loan was ever given a delegate (0.4 formats only; never cleared). A
    ///         loan without it has nothing to revoke when its token leaves custody, so its delegate slot is not read.
    uint256 internal constant DELEGATED = 0x80;
    /// @notice The format byte's second bit (0.4, #30): the loan was impaired with its token kept in the pool, which
    ///         delivers it at the auction's end (`StrataPool.completeLiquidation`, `markUnsold`). A loan impaired before
    ///         0.4 lacks it: its token went to the liquidator, which delivers it. Set by `impair`, never cleared.
    uint256 internal constant POOL_HELD = 0x40;
    /// @dev The format byte without its flags (`DELEGATED`, `POOL_HELD`): `LEGACY`, `INLINE` or `WIDE`.
    uint256 private constant FORMAT_MASK = 0x3F;

    /// @dev Bit offsets of the second word (`StoredLoan` from `collectionId` on), as solc packs it.
    uint256 private constant START_SHIFT = 32;
    uint256 private constant MATURITY_SHIFT = 72;
    uint256 private constant STATUS_SHIFT = 112;
    uint256 private constant APR_SHIFT = 120;
    uint256 private constant RARITY_SHIFT = 184;
    uint256 private constant TERMS_SHIFT = 216;
    uint256 private constant FORMAT_SHIFT = 248;

    /// @notice The format of loan `l` (`LEGACY`, `INLINE` or `WIDE`).
    function format(PoolStorageLayout.StoredLoan storage l) internal view returns (uint256) {
        return _formatByte(l) & FORMAT_MASK;
    }

    /// @notice Whether loan `l` may have a delegate to revoke: a legacy loan always may (its delegations predate the
    ///         flag), a 0.4 loan only once `markDelegated`.
    function mayHaveDelegate(PoolStorageLayout.StoredLoan storage l) internal view returns (bool) {
        uint256 b = _formatByte(l);
        return b & FORMAT_MASK == LEGACY || b & DELEGATED != 0;
    }

    /// @notice Flags active loan `l` as given a delegate (a no-op on a legacy loan, which is always read as possibly
    ///         having one, and when already flagged). An active loan never has `POOL_HELD` (set at impairment), so its
    ///         byte is `LEGACY` exactly when its format is.
    function markDelegated(PoolStorageLayout.StoredLoan storage l) internal {
        uint256 b = _formatByte(l);
        if (b == LEGACY || b & DELEGATED != 0) return;
        assembly ("memory-safe") {
            let slot := add(l.slot, 1)
            sstore(slot, or(sload(slot), shl(FORMAT_SHIFT, DELEGATED)))
        }
    }

    /// @notice Flags loan `l` as impaired with its token kept in the pool (any format: a legacy loan impaired since
    ///         0.4 keeps its token in the pool too).
    function markPoolHeld(PoolStorageLayout.StoredLoan storage l) internal {
        assembly ("memory-safe") {
            let slot := add(l.slot, 1)
            sstore(slot, or(sload(slot), shl(FORMAT_SHIFT, POOL_HELD)))
        }
    }

    function _formatByte(PoolStorageLayout.StoredLoan storage l) private view returns (uint256 b) {
        assembly ("memory-safe") {
            b := shr(FORMAT_SHIFT, sload(add(l.slot, 1)))
        }
    }

    /// @notice The next loan id (`StrataPool.nextLoanId`): the cursor, or before the first borrow since 0.4 the
    ///         legacy counter.
    function nextId(PoolStorageLayout.PoolStorage storage $) internal view returns (uint256) {
        uint256 cursor = $.loanIdCursor;
        return cursor != 0 ? cursor : $.nextLoanId;
    }

    /// @notice Takes the next loan id: from the cursor beside `rateSum` (written by the same borrow anyway), moved
    ///         there from the legacy `nextLoanId` once. Ids stay below 2^32 - 1 (`SafeCast` reverts past them).
    function takeId(PoolStorageLayout.PoolStorage storage $) internal returns (uint256 id) {
        id = nextId($);
        $.loanIdCursor = SafeCast.toUint32(id + 1);
    }

    /// @notice The collection and token id of loan `l`, and its whole format byte (the format and the flags
    ///         `DELEGATED`, `POOL_HELD`), from one read of its second word.
    function locate(PoolStorageLayout.PoolStorage storage $, PoolStorageLayout.StoredLoan storage l)
        internal
        view
        returns (address collection, uint256 tokenId, uint256 formatByte)
    {
        uint256 word;
        assembly ("memory-safe") {
            word := sload(add(l.slot, 1))
        }
        formatByte = word >> FORMAT_SHIFT;
        uint256 f = formatByte & FORMAT_MASK;
        uint32 low = uint32(word); // `collectionId` (legacy) or the token id (inline)
        if (f == LEGACY) return ($.collectionAt[low], l.tokenId, formatByte);
        collection = $.terms[uint32(word >> TERMS_SHIFT)].collection;
        tokenId = f == INLINE ? low : l.tokenId;
    }

    /// @notice The collection of loan `l`, given its terms record (read anyway by whoever prices the loan).
    function collectionOf(
        PoolStorageLayout.PoolStorage storage $,
        PoolStorageLayout.StoredLoan storage l,
        PoolStorageLayout.LoanTerms memory t
    ) internal view returns (address) {
        return format(l) == LEGACY ? $.collectionAt[l.collectionId] : t.collection;
    }

    /// @notice The token id of loan `l`.
    function tokenIdOf(PoolStorageLayout.StoredLoan storage l) internal view returns (uint256) {
        return format(l) == INLINE ? l.collectionId : l.tokenId;
    }

    /// @notice Writes a new active loan: two slots (a third only for a token id at or above `INLINE_TOKEN_LIMIT`).
    /// @dev The caller bounds the values: `principal < 2^96` (`PrincipalTooLarge`), `start` and `maturity` below
    ///      2^40 (timestamps plus a registry-bounded duration), `apr < 2^64` (a bounded curve), `rarityBps` and
    ///      `termsId` below 2^32 (a bounded multiplier; one record per parameter change of a collection).
    function write(
        PoolStorageLayout.StoredLoan storage l,
        address borrower,
        uint256 principal,
        uint256 tokenId,
        uint256 maturity,
        uint256 apr,
        uint256 rarityBps,
        uint256 termsId
    ) internal {
        l.borrower = borrower;
        l.principal = uint96(principal);
        uint256 f = tokenId < INLINE_TOKEN_LIMIT ? INLINE : WIDE;
        // Each field cast to its declared width, as the struct's own writes would.
        uint256 word = (f == INLINE ? tokenId : 0) | uint256(uint40(block.timestamp)) << START_SHIFT
            | uint256(uint40(maturity)) << MATURITY_SHIFT | uint256(LoanStatus.Active) << STATUS_SHIFT
            | uint256(uint64(apr)) << APR_SHIFT | uint256(uint32(rarityBps)) << RARITY_SHIFT | uint256(uint32(termsId))
            << TERMS_SHIFT | f << FORMAT_SHIFT;
        assembly ("memory-safe") {
            sstore(add(l.slot, 1), word)
        }
        if (f == WIDE) l.tokenId = tokenId;
    }
}

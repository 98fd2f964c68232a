// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title StorageReader
/// @notice Read helper of the TypeScript SDK, never deployed. Its runtime code is placed at a contract's address by an
///         `eth_call` state override, so that it reads that contract's own storage in one call frame: the SDK reads a
///         10,000-loan book this way (ts-sdk/src/fetch/loan.ts `fetchLoans`, via "storage"), and checks the result against the
///         pool's `loan(id)` view in its property tests.
contract StorageReader {
    /// @notice For each key, `count` consecutive words of the mapping entry at `keccak256(abi.encode(key, slot))`.
    /// @param slot The mapping's storage slot.
    /// @param keys The mapping keys (uint256-encoded).
    /// @param count Words to read per entry (the struct's slot count).
    /// @return words `keys.length * count` words, entry by entry.
    function readMapping(bytes32 slot, uint256[] calldata keys, uint256 count)
        external
        view
        returns (bytes32[] memory words)
    {
        words = new bytes32[](keys.length * count);
        for (uint256 i; i < keys.length; ++i) {
            bytes32 base = keccak256(abi.encode(keys[i], slot));
            for (uint256 j; j < count; ++j) {
                bytes32 w;
                assembly ("memory-safe") {
                    w := sload(add(base, j))
                }
                words[i * count + j] = w;
            }
        }
    }

    /// @notice For each key in `fromKey ..< toKey`, the `count` consecutive words of its mapping entry, kept only
    ///         when `entry[filterWord] & filterMask == filterValue` (a zero mask keeps every entry).
    /// @dev One call reads a whole id range without sending the ids: the SDK enumerates the pool's loans
    ///      `1 ..< nextLoanId` and keeps the active ones (status byte masked) in the node, not over the wire.
    /// @param slot The mapping's storage slot.
    /// @param fromKey The first key read.
    /// @param toKey The key after the last one read.
    /// @param count Words per entry.
    /// @param filterWord The entry word the filter looks at (`< count`).
    /// @param filterMask The bits of that word compared.
    /// @param filterValue The value those bits must have.
    /// @return keys The keys kept, ascending.
    /// @return words `keys.length * count` words, entry by entry.
    function readRange(
        bytes32 slot,
        uint256 fromKey,
        uint256 toKey,
        uint256 count,
        uint256 filterWord,
        uint256 filterMask,
        uint256 filterValue
    ) external view returns (uint256[] memory keys, bytes32[] memory words) {
        uint256 n = toKey > fromKey ? toKey - fromKey : 0;
        keys = new uint256[](n);
        words = new bytes32[](n * count);
        uint256 kept;
        for (uint256 key = fromKey; key < toKey; ++key) {
            bytes32 base = keccak256(abi.encode(key, slot));
            bytes32 f;
            assembly ("memory-safe") {
                f := sload(add(base, filterWord))
            }
            if (uint256(f) & filterMask != filterValue) continue;
            for (uint256 j; j < count; ++j) {
                bytes32 w;
                assembly ("memory-safe") {
                    w := sload(add(base, j))
                }
                words[kept * count + j] = w;
            }
            keys[kept++] = key;
        }
        uint256 wordCount = kept * count;
        assembly ("memory-safe") {
            mstore(keys, kept)
            mstore(words, wordCount)
        }
    }
}

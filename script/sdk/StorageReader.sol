// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title StorageReader
/// @notice Read helper of the TypeScript SDK, never deployed. Its runtime code is placed at a contract's address by an
///         `eth_call` state override, so that it reads that contract's own storage in one call frame: the SDK reads a
///         10,000-loan book this way (ts-sdk/src/fetch.ts `fetchLoansFromStorage`), and checks the result against the
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
}

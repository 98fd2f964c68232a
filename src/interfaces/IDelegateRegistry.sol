// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IDelegateRegistry (subset)
/// @notice The part of the delegate.xyz v2 `DelegateRegistry` the pool uses (SPEC §3.7), with the exact signatures of
///         the deployed registry (canonical address `0x00000000000000447e69651d841bD8D104Bed493`). A delegation is
///         keyed by `(from, rights, to, contract_, tokenId)`: revoking it takes the same `rights` it was made with.
///         Empty rights (`""`) mean all rights, and an all-rights delegation answers every `checkDelegateForERC721`
///         query for that token whatever `rights` it asks about. `ts-sdk/test/delegate-registry.test.ts` checks these
///         selectors and the event's topic against the official ABI (npm package delegatexyz sdk, `v2` export).
interface IDelegateRegistry {
    /// @notice Emitted by the registry on every `delegateERC721` call, enabling or revoking.
    event DelegateERC721(
        address indexed from,
        address indexed to,
        address indexed contract_,
        uint256 tokenId,
        bytes32 rights,
        bool enable
    );

    /// @notice Delegates (`enable = true`) or revokes (`false`) the caller's rights over one ERC-721 token to `to`.
    /// @return hash The delegation's key in the registry.
    function delegateERC721(address to, address contract_, uint256 tokenId, bytes32 rights, bool enable)
        external
        payable
        returns (bytes32 hash);

    /// @notice Whether `to` may act for `from` on the token: an all-rights delegation at wallet, contract or token
    ///         level, or (for non-empty `rights`) one made with exactly `rights` at any of those levels.
    function checkDelegateForERC721(address to, address from, address contract_, uint256 tokenId, bytes32 rights)
        external
        view
        returns (bool valid);
}

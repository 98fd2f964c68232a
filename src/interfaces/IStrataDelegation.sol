// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDelegateRegistry} from "./IDelegateRegistry.sol";
import {RarityProof} from "./IStrataPool.sol";

/// @title IStrataDelegation
/// @notice The pool's delegate.xyz v2 delegation of locked tokens to a borrower's chosen address (SPEC §3.7). While a
///         loan names a delegate, the pool holds an all-rights (`rights = ""`) ERC-721 delegation of the loan's token
///         to it; the pool revokes it (same rights) before the token leaves custody. Mechanism: docs/ACCOUNTING.md.
interface IStrataDelegation {
    /// @notice Delegation is disabled: this pool was deployed without a delegate registry.
    error DelegationDisabled();
    /// @notice Loan `loanId` is still active: its delegation is not stale.
    error LoanStillActive(uint256 loanId);

    /// @notice Loan `loanId`'s delegate changed from `previous` to `delegate` (zero: none). Emitted when the pool's
    ///         registry delegation is made, moved, cleared, or revoked as the token leaves custody.
    event LoanDelegateSet(uint256 indexed loanId, address indexed previous, address indexed delegate);

    /// @notice The registry reverted (or ran out of its gas allowance) revoking `delegate` of loan `loanId` while the
    ///         token left custody; the repayment or liquidation went ahead. The delegation may still be live in the
    ///         registry: `revokeStaleDelegate(loanId)` retries (anyone, any time).
    event LoanDelegateRevokeFailed(uint256 indexed loanId, address indexed delegate, bytes reason);

    /// @notice As `IStrataPool.borrow`, and delegates the locked token to `delegate` (zero: none) in the registry.
    function borrow(
        address collection,
        uint256 tokenId,
        uint256 principal,
        uint256 duration,
        uint256 maxApr,
        RarityProof calldata rarity,
        address delegate
    ) external returns (uint256 loanId);

    /// @notice Names `delegate` for active loan `loanId` (zero clears): the previous delegation is revoked and the
    ///         new one made. Borrower only; allowed while borrowing is paused (it adds no risk).
    function setDelegate(uint256 loanId, address delegate) external;

    /// @notice Retries the revocation of a delegation whose revocation failed when its loan closed (see
    ///         `LoanDelegateRevokeFailed`). Anyone; only for a loan that is no longer active.
    function revokeStaleDelegate(uint256 loanId) external;

    /// @notice The delegate the pool has delegated loan `loanId`'s token to (zero: none). After a failed revocation
    ///         of a closed loan, the delegate still to be revoked.
    function delegateOf(uint256 loanId) external view returns (address);

    /// @notice The delegate.xyz v2 registry this implementation uses (zero: delegation disabled).
    function delegateRegistry() external view returns (IDelegateRegistry);
}

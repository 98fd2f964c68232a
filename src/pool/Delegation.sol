// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDelegateRegistry} from "../interfaces/IDelegateRegistry.sol";
import {IStrataDelegation} from "../interfaces/IStrataDelegation.sol";

/// @title Delegation
/// @notice The one place the pool talks to the delegate.xyz v2 registry (SPEC §3.7). Internal functions, inlined into
///         the pool, on their own ERC-7201 namespace (`strata.storage.PoolDelegation`): one address per loan, the
///         delegate the pool has delegated the loan's token to.
/// @dev Every delegation is made with `rights = ""` (all rights) and revoked with the same rights: the registry keys a
///      delegation by its rights, so a revocation with other rights would leave it live. Making and moving a
///      delegation (borrow, `setDelegate`) reverts if the registry does: that is the borrower's own request.
///      Releasing it as the token leaves custody (full repayment, impairment) never reverts: a low-level call bounded
///      by `REVOKE_GAS` whose failure is caught, so a failing registry cannot block a repayment or a liquidation
///      (SPEC §8.4); on failure the delegate stays recorded and `retry` revokes it later.
library Delegation {
    /// @custom:storage-location erc7201:strata.storage.PoolDelegation
    struct DelegationStorage {
        mapping(uint256 loanId => address) delegateOf;
    }

    /// @dev Gas allowance of a revocation: the canonical registry needs about 10k (one cold record, one write, one
    ///      event). Bounded so that a registry burning all gas still leaves the repayment or liquidation enough.
    uint256 internal constant REVOKE_GAS = 100_000;

    // keccak256(abi.encode(uint256(keccak256("strata.storage.PoolDelegation")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE = 0xdf7a4057c979ee9f9ea5ebcf11b2dec777f4f87dfe2a31e57cb538c974508200;

    function delegateOf(uint256 loanId) internal view returns (address) {
        return _s().delegateOf[loanId];
    }

    /// @notice Points loan `loanId`'s delegation of `collection`/`tokenId` at `to` (zero clears). A no-op when
    ///         unchanged. Reverts if delegation is disabled or the registry reverts.
    function set(IDelegateRegistry reg, uint256 loanId, address collection, uint256 tokenId, address to) internal {
        if (address(reg) == address(0)) revert IStrataDelegation.DelegationDisabled();
        DelegationStorage storage $ = _s();
        address previous = $.delegateOf[loanId];
        if (previous == to) return;
        $.delegateOf[loanId] = to;
        emit IStrataDelegation.LoanDelegateSet(loanId, previous, to);
        if (previous != address(0)) reg.delegateERC721(previous, collection, tokenId, "", false);
        if (to != address(0)) reg.delegateERC721(to, collection, tokenId, "", true);
    }

    /// @notice Revokes loan `loanId`'s delegation, if any, before its token leaves custody. Never reverts: on a
    ///         registry failure the delegate stays recorded (for `retry`) and `LoanDelegateRevokeFailed` is emitted.
    function release(IDelegateRegistry reg, uint256 loanId, address collection, uint256 tokenId) internal {
        DelegationStorage storage $ = _s();
        address previous = $.delegateOf[loanId];
        if (previous == address(0)) return;
        delete $.delegateOf[loanId];
        // A low-level call: unlike try/catch it also survives a registry without code or with malformed return data.
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory reason) = address(reg).call{gas: REVOKE_GAS}(
            abi.encodeCall(IDelegateRegistry.delegateERC721, (previous, collection, tokenId, "", false))
        );
        if (ok) {
            emit IStrataDelegation.LoanDelegateSet(loanId, previous, address(0));
        } else {
            $.delegateOf[loanId] = previous;
            emit IStrataDelegation.LoanDelegateRevokeFailed(loanId, previous, reason);
        }
    }

    /// @notice Retries the revocation `release` could not make (the caller checks the loan is closed). Reverts if the
    ///         registry still does, so a retry either revokes or changes nothing.
    function retry(IDelegateRegistry reg, uint256 loanId, address collection, uint256 tokenId) internal {
        DelegationStorage storage $ = _s();
        address previous = $.delegateOf[loanId];
        if (previous == address(0)) return;
        delete $.delegateOf[loanId];
        emit IStrataDelegation.LoanDelegateSet(loanId, previous, address(0));
        reg.delegateERC721(previous, collection, tokenId, "", false);
    }

    function _s() private pure returns (DelegationStorage storage $) {
        assembly {
            $.slot := STORAGE
        }
    }
}

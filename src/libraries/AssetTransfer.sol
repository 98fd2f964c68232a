// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "solmate/tokens/ERC20.sol";
import {SafeTransferLib} from "solmate/utils/SafeTransferLib.sol";

/// @title AssetTransfer
/// @notice Inbound transfers of the pool asset, checked by balance difference (SPEC §8): a fee-on-transfer or
///         otherwise short-delivering token is rejected with a custom error instead of corrupting the cash ledger.
library AssetTransfer {
    /// @notice The token delivered `received` where `expected` was sent.
    error FeeOnTransferNotSupported(uint256 expected, uint256 received);

    /// @notice Moves exactly `amount` of `token` from `from` to `to`, or reverts.
    function pullExact(ERC20 token, address from, address to, uint256 amount) internal {
        uint256 before = balanceOf(token, to);
        SafeTransferLib.safeTransferFrom(token, from, to, amount);
        uint256 received = balanceOf(token, to) - before;
        if (received != amount) revert FeeOnTransferNotSupported(amount, received);
    }

    /// @notice `token.balanceOf(account)`, as the high-level call answers it, without its separate code-size check and
    ///         ABI copying (issue #30: about 250 gas a call): the token's own revert bubbles up, and a call that
    ///         succeeds with less than a 32-byte answer (a token without code answers nothing) reverts empty.
    function balanceOf(ERC20 token, address account) internal view returns (uint256 amount) {
        assembly ("memory-safe") {
            mstore(0x00, 0x70a08231) // balanceOf(address), its selector in bytes 28-31 of the first word
            mstore(0x20, account)
            let ok := staticcall(gas(), token, 0x1c, 0x24, 0x00, 0x20)
            if iszero(and(ok, gt(returndatasize(), 0x1f))) {
                // a failed call: its revert data, copied past the free memory pointer (it may not fit the scratch
                // space); a call that succeeded with a short answer: no data, as the high-level call
                let p := mload(0x40)
                let n := mul(iszero(ok), returndatasize())
                returndatacopy(p, 0x00, n)
                revert(p, n)
            }
            amount := mload(0x00)
        }
    }
}

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

    /// @notice `token.balanceOf(account)`: reverts unless the call succeeds with at least a 32-byte answer (a token
    ///         without code answers nothing), bubbling the token's own revert data. What the high-level call does,
    ///         without its separate code-size check and ABI copying (issue #30: about 250 gas a call).
    function balanceOf(ERC20 token, address account) internal view returns (uint256 amount) {
        assembly ("memory-safe") {
            mstore(0x00, 0x70a08231) // balanceOf(address), its selector in bytes 28-31 of the first word
            mstore(0x20, account)
            // `staticcall` is evaluated before `returndatasize()` (Yul evaluates arguments right to left)
            if iszero(and(gt(returndatasize(), 0x1f), staticcall(gas(), token, 0x1c, 0x24, 0x00, 0x20))) {
                returndatacopy(0x00, 0x00, returndatasize())
                revert(0x00, returndatasize())
            }
            amount := mload(0x00)
        }
    }
}

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
        uint256 before = token.balanceOf(to);
        SafeTransferLib.safeTransferFrom(token, from, to, amount);
        uint256 received = token.balanceOf(to) - before;
        if (received != amount) revert FeeOnTransferNotSupported(amount, received);
    }
}

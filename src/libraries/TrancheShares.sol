// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FixedPointMath} from "./FixedPointMath.sol";

/// @title TrancheShares
/// @notice The one rule that prices a tranche's new shares (SPEC §5, ERC-4626 with virtual shares): shares a deposit
///         buys and assets a mint takes, at the tranche's deposit value. The pool prices a deposit with it when it
///         books one (a single vault→pool call, issue #30); the vault's previews use it over the same values, so
///         `previewDeposit` is what `deposit` mints. Its TypeScript mirror is the SDK's `Tranche` entity.
library TrancheShares {
    using FixedPointMath for uint256;

    /// @notice Virtual-share offset (decimals) against first-depositor inflation.
    uint8 internal constant DECIMALS_OFFSET = 6;
    /// @notice `10 ** DECIMALS_OFFSET` virtual shares, and one virtual asset, in every conversion.
    uint256 internal constant VIRTUAL_SHARES = 10 ** DECIMALS_OFFSET;

    /// @notice Shares a deposit of `assets` buys from a tranche of `supply` shares worth `value`, rounded down.
    function forDeposit(uint256 assets, uint256 supply, uint256 value) internal pure returns (uint256) {
        return assets.mulDivDown(supply + VIRTUAL_SHARES, value + 1);
    }

    /// @notice Assets a redemption of `shares` pays from a tranche of `supply` shares worth `value`, rounded down
    ///         (OpenZeppelin's `_convertToAssets(shares, Floor)` with the same virtual shares).
    function forRedeem(uint256 shares, uint256 supply, uint256 value) internal pure returns (uint256) {
        return shares.mulDivDown(value + 1, supply + VIRTUAL_SHARES);
    }

    /// @notice The largest deposit whose shares fit the 128-bit share ledger of a tranche of `supply` shares worth
    ///         `value`, rounded down (so what it buys never exceeds the room).
    function maxDepositForLedger(uint256 supply, uint256 value) internal pure returns (uint256) {
        return (type(uint128).max - supply).mulDivDown(value + 1, supply + VIRTUAL_SHARES);
    }

    /// @notice Assets a mint of `shares` takes from a tranche of `supply` shares worth `value`, rounded up.
    function forMint(uint256 shares, uint256 supply, uint256 value) internal pure returns (uint256) {
        return shares.mulDivUp(value + 1, supply + VIRTUAL_SHARES);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "solmate/tokens/ERC20.sol";

/// @title DevStablecoin
/// @notice DEVELOPMENT ONLY: a 6-decimal USD stand-in with open minting, deployed by `script/Deploy.s.sol` when the
///         network config has no `asset` (local anvil). Never a pool asset on a real network: the deploy script
///         refuses to deploy it outside chain id 31337.
contract DevStablecoin is ERC20 {
    constructor() ERC20("Dev USD", "dUSD", 6) {}

    /// @notice Anyone may mint: this token has no value.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721} from "solmate/tokens/ERC721.sol";

/// @title DevCollection
/// @notice DEVELOPMENT ONLY: an ERC-721 with open minting for the local demo (`npm start`). Deployed by
///         `script/Deploy.s.sol` only on chain id 31337 and only when the config asks for it.
contract DevCollection is ERC721 {
    constructor(string memory name_, string memory symbol_) ERC721(name_, symbol_) {}

    /// @notice Anyone may mint any unminted id.
    function mint(address to, uint256 id) external {
        _mint(to, id);
    }

    function tokenURI(uint256) public pure override returns (string memory) {
        return "";
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721} from "solmate/tokens/ERC721.sol";

/// @notice Test-only ERC-721 collection with open minting.
contract MockCollection is ERC721 {
    constructor(string memory name_, string memory symbol_) ERC721(name_, symbol_) {}

    function mint(address to, uint256 id) external {
        _mint(to, id);
    }

    function tokenURI(uint256) public pure override returns (string memory) {
        return "";
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721} from "solmate/tokens/ERC721.sol";

/// @notice Receives a call on every transfer of a `MaliciousERC721` (the callback the pool's plain `transferFrom`
///         never gives an honest collection).
interface ITransferHook {
    function onNftTransfer(address from, address to, uint256 id) external;
}

/// @notice Test-only hostile collection: after every `transferFrom` it calls `hook`, which may re-enter the protocol
///         in the middle of a borrow, repayment, liquidation, purchase or redemption.
contract MaliciousERC721 is ERC721 {
    address public hook;

    constructor() ERC721("Malicious", "EVIL") {}

    function setHook(address hook_) external {
        hook = hook_;
    }

    function mint(address to, uint256 id) external {
        _mint(to, id);
    }

    function transferFrom(address from, address to, uint256 id) public override {
        super.transferFrom(from, to, id);
        if (hook != address(0)) ITransferHook(hook).onNftTransfer(from, to, id);
    }

    function tokenURI(uint256) public pure override returns (string memory) {
        return "";
    }
}

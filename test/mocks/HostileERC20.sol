// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITransferHook} from "./MaliciousERC721.sol";
import {MockStablecoin} from "./MockStablecoin.sol";

/// @notice Test-only hostile pool asset. (1) ERC-777-like: after every `transfer`/`transferFrom` it calls `hook`
///         (a superset of ERC-777's sender and recipient hooks: it fires on every movement, whoever is involved), so an
///         attacker can re-enter the protocol in the middle of any payment. (2) USDC-like blacklist: a transfer from or
///         to a blacklisted account reverts.
contract HostileERC20 is MockStablecoin {
    error Blacklisted(address account);

    address public hook;
    mapping(address account => bool) public blacklisted;

    constructor() MockStablecoin("Hostile USD", "hUSD", 6) {}

    function setHook(address hook_) external {
        hook = hook_;
    }

    function setBlacklisted(address account, bool isBlacklisted) external {
        blacklisted[account] = isBlacklisted;
    }

    function transfer(address to, uint256 amount) public override returns (bool) {
        _checkBlacklist(msg.sender, to);
        super.transfer(to, amount);
        _callHook(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        _checkBlacklist(from, to);
        super.transferFrom(from, to, amount);
        _callHook(from, to, amount);
        return true;
    }

    function _checkBlacklist(address from, address to) internal view {
        if (blacklisted[from]) revert Blacklisted(from);
        if (blacklisted[to]) revert Blacklisted(to);
    }

    function _callHook(address from, address to, uint256 amount) internal {
        if (hook != address(0)) ITransferHook(hook).onNftTransfer(from, to, amount);
    }
}

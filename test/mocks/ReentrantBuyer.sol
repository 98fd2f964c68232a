// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITransferHook} from "./MaliciousERC721.sol";

/// @notice Test-only attacker account: borrows, repays, buys or redeems through `exec`, and, when armed, re-enters
///         `target` with `data` from the hostile collection's transfer callback. The re-entry's revert data is kept
///         (not bubbled) so a test can assert both the reason and that the outer operation still completed.
contract ReentrantBuyer is ITransferHook {
    address public target;
    bytes public data;
    bool public armed;
    bool public reentered;
    bool public reentrySucceeded;
    bytes public reentryRevert;

    function arm(address target_, bytes calldata data_) external {
        target = target_;
        data = data_;
        armed = true;
    }

    function exec(address to, bytes calldata callData) external returns (bytes memory ret) {
        bool ok;
        (ok, ret) = to.call(callData);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

    function onNftTransfer(address, address, uint256) external {
        if (!armed) return;
        armed = false;
        reentered = true;
        (bool ok, bytes memory ret) = target.call(data);
        reentrySucceeded = ok;
        if (!ok) reentryRevert = ret;
    }
}

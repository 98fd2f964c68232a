// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console} from "forge-std/console.sol";

import {TimelockBatch} from "./TimelockBatch.sol";

/// @title Execute
/// @notice Executes the timelock batch of a proposal file once its delay has passed.
///
///         PROPOSAL=proposals/local-list-collections.json NETWORK=local \
///           forge script script/governance/Execute.s.sol --rpc-url <URL> --private-key <EXECUTOR_KEY> --broadcast
///
///         Reverts with `NotReady` (and the timestamp it becomes ready) before the delay, and `NotScheduled` for an
///         unknown proposal. If the broadcaster is not an executor, prints the `executeBatch` calldata instead.
contract Execute is TimelockBatch {
    /// @notice The operation is scheduled but its delay has not passed.
    error NotReady(bytes32 id, uint256 readyAt, uint256 now_);
    /// @notice The operation was never scheduled (or was cancelled).
    error NotScheduled(bytes32 id);
    /// @notice The operation was already executed.
    error AlreadyExecuted(bytes32 id);

    function run() external returns (Batch memory b, bool executed) {
        return executeAs(vm.envString("PROPOSAL"), vm.envOr("NETWORK", string("local")), address(0));
    }

    /// @notice The script's logic; `sender` zero means forge's broadcaster (`--private-key`, `--account`, …).
    function executeAs(string memory proposal, string memory network, address sender)
        public
        returns (Batch memory b, bool executed)
    {
        b = loadBatch(proposal, network);
        checkReady(b);
        if (sender == address(0)) {
            vm.startBroadcast();
            (, sender,) = vm.readCallers();
        } else {
            vm.startBroadcast(sender);
        }
        bytes32 executor = b.timelock.EXECUTOR_ROLE();
        if (b.timelock.hasRole(executor, sender) || b.timelock.hasRole(executor, address(0))) {
            b.timelock.executeBatch(b.targets, b.values, b.payloads, b.predecessor, b.salt);
            executed = true;
            console.log("Executed:", b.description);
        } else {
            console.log("Broadcaster", sender, "is not an executor: nothing sent. executeBatch calldata:");
            console.logBytes(executeCalldata(b));
        }
        vm.stopBroadcast();
    }

    /// @notice Reverts unless `b` is ready for execution.
    function checkReady(Batch memory b) public view {
        if (b.timelock.isOperationDone(b.id)) revert AlreadyExecuted(b.id);
        uint256 readyAt = b.timelock.getTimestamp(b.id);
        if (readyAt == 0) revert NotScheduled(b.id);
        if (readyAt > block.timestamp) revert NotReady(b.id, readyAt, block.timestamp);
    }
}

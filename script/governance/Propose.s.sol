// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console} from "forge-std/console.sol";

import {TimelockBatch} from "./TimelockBatch.sol";

/// @title Propose
/// @notice Schedules the timelock batch of a proposal file and prints the `scheduleBatch` / `executeBatch` calldata
///         for a multisig.
///
///         PROPOSAL=proposals/local-list-collections.json NETWORK=local \
///           forge script script/governance/Propose.s.sol --rpc-url <URL> --private-key <PROPOSER_KEY> --broadcast
///
///         If the broadcaster is not a proposer (e.g. the proposer is a Safe), nothing is sent: submit the printed
///         `scheduleBatch` calldata from the Safe instead. DELAY overrides the delay (default: the timelock minimum).
contract Propose is TimelockBatch {
    function run() external returns (Batch memory b, bool scheduled) {
        return proposeAs(vm.envString("PROPOSAL"), vm.envOr("NETWORK", string("local")), address(0));
    }

    /// @notice The script's logic; `sender` zero means forge's broadcaster (`--private-key`, `--account`, …).
    function proposeAs(string memory proposal, string memory network, address sender)
        public
        returns (Batch memory b, bool scheduled)
    {
        b = loadBatch(proposal, network);
        uint256 delay = vm.envOr("DELAY", b.timelock.getMinDelay());
        _printBatch(b, delay);
        if (sender == address(0)) {
            vm.startBroadcast();
            (, sender,) = vm.readCallers();
        } else {
            vm.startBroadcast(sender);
        }
        if (b.timelock.hasRole(b.timelock.PROPOSER_ROLE(), sender)) {
            b.timelock.scheduleBatch(b.targets, b.values, b.payloads, b.predecessor, b.salt, delay);
            scheduled = true;
            console.log("Scheduled; executable at", block.timestamp + delay);
        } else {
            console.log("Broadcaster", sender, "is not a proposer: nothing sent, submit the calldata above.");
        }
        vm.stopBroadcast();
    }
}

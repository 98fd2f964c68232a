// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Script} from "forge-std/Script.sol";
import {console} from "forge-std/console.sol";

/// @title TimelockBatch
/// @notice Shared by the governance scripts: loads a proposal file and the deployment it targets, and computes the
///         timelock batch (targets, values, payloads, predecessor 0, salt = keccak256(description)).
///
///         Proposal file (`proposals/*.json`):
///         {
///           "description": "human text; its hash is the salt, so it must be unique per proposal",
///           "calls": [ { "target": "registry" | "0x…", "value": 0, "signature": "f(uint256)", "data": "0x…" } ]
///         }
///         `target` is an address or a key of `deployments/<NETWORK>.json` (pool, registry, oracle, seniorVault, …).
///         `signature` is checked against the selector of `data`, so a mislabelled payload never reaches the multisig.
///         Make `data` with `cast calldata "<signature>" <args…>`.
abstract contract TimelockBatch is Script {
    /// @notice A proposal, resolved against a deployment.
    struct Batch {
        TimelockController timelock;
        string description;
        address[] targets;
        uint256[] values;
        bytes[] payloads;
        bytes32 predecessor;
        bytes32 salt;
        bytes32 id;
    }

    /// @notice A call's `data` does not start with the selector of its `signature`.
    error SelectorMismatch(uint256 index, string signature, bytes4 selector);
    /// @notice The proposal has no calls.
    error EmptyProposal(string path);

    /// @notice Loads proposal `proposalPath` (relative to the project root) against `deployments/<network>.json`.
    function loadBatch(string memory proposalPath, string memory network) public view returns (Batch memory b) {
        string memory deployment = vm.readFile(string.concat(vm.projectRoot(), "/deployments/", network, ".json"));
        string memory json = vm.readFile(string.concat(vm.projectRoot(), "/", proposalPath));
        b.timelock = TimelockController(payable(vm.parseJsonAddress(deployment, ".timelock")));
        b.description = vm.parseJsonString(json, ".description");
        uint256 n;
        while (vm.keyExistsJson(json, string.concat(".calls[", vm.toString(n), "]"))) ++n;
        if (n == 0) revert EmptyProposal(proposalPath);
        b.targets = new address[](n);
        b.values = new uint256[](n);
        b.payloads = new bytes[](n);
        for (uint256 i; i < n; ++i) {
            string memory key = string.concat(".calls[", vm.toString(i), "]");
            string memory target = vm.parseJsonString(json, string.concat(key, ".target"));
            b.targets[i] = _isHexAddress(target)
                ? vm.parseAddress(target)
                : vm.parseJsonAddress(deployment, string.concat(".", target));
            if (vm.keyExistsJson(json, string.concat(key, ".value"))) {
                b.values[i] = vm.parseJsonUint(json, string.concat(key, ".value"));
            }
            b.payloads[i] = vm.parseJsonBytes(json, string.concat(key, ".data"));
            if (vm.keyExistsJson(json, string.concat(key, ".signature"))) {
                string memory sig = vm.parseJsonString(json, string.concat(key, ".signature"));
                bytes4 selector = bytes4(keccak256(bytes(sig)));
                if (b.payloads[i].length < 4 || bytes4(b.payloads[i]) != selector) {
                    revert SelectorMismatch(i, sig, selector);
                }
            }
        }
        b.salt = keccak256(bytes(b.description));
        b.id = b.timelock.hashOperationBatch(b.targets, b.values, b.payloads, b.predecessor, b.salt);
    }

    /// @notice The calldata a proposer (multisig) sends to the timelock to schedule `b` with `delay`.
    function scheduleCalldata(Batch memory b, uint256 delay) public pure returns (bytes memory) {
        return abi.encodeCall(
            TimelockController.scheduleBatch, (b.targets, b.values, b.payloads, b.predecessor, b.salt, delay)
        );
    }

    /// @notice The calldata an executor sends to the timelock to execute `b` once ready.
    function executeCalldata(Batch memory b) public pure returns (bytes memory) {
        return abi.encodeCall(TimelockController.executeBatch, (b.targets, b.values, b.payloads, b.predecessor, b.salt));
    }

    function _printBatch(Batch memory b, uint256 delay) internal pure {
        console.log("Proposal:", b.description);
        console.log("Timelock:", address(b.timelock));
        console.log("Operation id:");
        console.logBytes32(b.id);
        for (uint256 i; i < b.targets.length; ++i) {
            console.log("  call", i, "target", b.targets[i]);
        }
        console.log("scheduleBatch calldata (to: timelock, value: 0), delay", delay, "s:");
        console.logBytes(scheduleCalldata(b, delay));
        console.log("executeBatch calldata (to: timelock, value: 0), after the delay:");
        console.logBytes(executeCalldata(b));
    }

    function _isHexAddress(string memory s) private pure returns (bool) {
        bytes memory x = bytes(s);
        return x.length == 42 && x[0] == "0" && (x[1] == "x" || x[1] == "X");
    }
}

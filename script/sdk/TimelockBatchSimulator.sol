// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title TimelockBatchSimulator
/// @notice Read helper of the TypeScript SDK, never deployed. `Governance.propose` places its runtime code at the
///         timelock's address by an `eth_call` state override (and the timelock's own code at a scratch address), then
///         calls `simulate` from the timelock's address: the batch runs in sequence as `executeBatch` would run it,
///         each call seeing the state the earlier ones left, with the timelock as `msg.sender`. A call to the timelock
///         itself (e.g. `updateDelay`) runs the timelock's real code by `delegatecall` in the timelock's storage, where
///         `msg.sender` is still the timelock. The whole batch is reverted at the end of the `eth_call`.
contract TimelockBatchSimulator {
    /// @notice Call `index` of the batch reverted with `reason`.
    /// @param index The call's position in the batch.
    /// @param reason The call's revert data.
    error BatchCallReverted(uint256 index, bytes reason);

    /// @notice The batch's arrays differ in length.
    /// @param targets Number of targets.
    /// @param values Number of values.
    /// @param payloads Number of payloads.
    error BatchLengthMismatch(uint256 targets, uint256 values, uint256 payloads);

    /// @notice Runs `targets[i].call{value: values[i]}(payloads[i])` in order; reverts with the first failure.
    /// @param targets The batch's targets.
    /// @param values The batch's values.
    /// @param payloads The batch's calldata.
    /// @param timelockCode Where the timelock's real code was placed (for calls to the timelock itself).
    /// @return count The number of calls run.
    function simulate(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata payloads,
        address timelockCode
    ) external payable returns (uint256 count) {
        if (targets.length != values.length || targets.length != payloads.length) {
            revert BatchLengthMismatch(targets.length, values.length, payloads.length);
        }
        for (uint256 i; i < targets.length; ++i) {
            bool ok;
            bytes memory ret;
            if (targets[i] == address(this)) {
                // slither-disable-next-line controlled-delegatecall
                (ok, ret) = timelockCode.delegatecall(payloads[i]);
            } else {
                // slither-disable-next-line arbitrary-send-eth
                (ok, ret) = targets[i].call{value: values[i]}(payloads[i]);
            }
            if (!ok) revert BatchCallReverted(i, ret);
        }
        return targets.length;
    }
}

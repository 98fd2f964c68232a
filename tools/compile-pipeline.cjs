// Which files go through solc's IR pipeline (`viaIR`): the contracts that ship, `src/`, in every build that optimizes
// (issue #30). Measured on the gas tests: borrow -5.4k, repay -3.5k, deposit -2.8k, liquidate -4.7k, and smaller code
// (the pool 22,493 -> 22,007 B, LoanLogic 18,135 -> 15,309 B). Everything else (tests, scripts, mocks) keeps the
// legacy pipeline: compiling the test tree through the IR pipeline took over 15 minutes on 2 cores instead of a few,
// and forge's own per-path restrictions would force every test that imports `src/` through it too.
// The tests deploy the protocol from forge's artifacts (`vm.deployCode`, script/lib/StrataDeployer.sol), so they run
// the IR bytecode that ships. A build without the optimizer (`forge coverage`) stays on the legacy pipeline, which
// is what coverage instruments. Read by tools/solc.cjs (forge) and hardhat.config.ts; docs/BENCHMARKS.md "Compile".
"use strict";

/** Sources compiled through the IR pipeline. */
const IR_SOURCES = /^src\//;

/** Whether `file` (a standard-JSON source key, relative to the project root) compiles via IR under `settings`. */
function viaIR(file, settings) {
  return settings?.optimizer?.enabled === true && IR_SOURCES.test(file);
}

module.exports = { IR_SOURCES, viaIR };

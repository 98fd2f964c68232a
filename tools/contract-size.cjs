#!/usr/bin/env node
// Prints the runtime size of the pool and its linked library from forge's artifacts (out/), and fails when the pool
// leaves less than the required headroom under EIP-170 (24,576 bytes): 2 KB kept free for the next features.
//   node tools/contract-size.cjs          (run by `npm test` after the forge build)
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const EIP170 = 24576;
const HEADROOM = 2048;
const root = join(__dirname, "..");
const size = (name) => {
  const a = JSON.parse(readFileSync(join(root, "out", `${name}.sol`, `${name}.json`), "utf8"));
  return (a.deployedBytecode.object.replace(/^0x/, "").length) / 2;
};
let failed = false;
for (const [name, limit] of [["StrataPool", EIP170 - HEADROOM], ["LoanLogic", EIP170], ["PoolAdmin", EIP170]]) {
  const n = size(name);
  const ok = n <= limit;
  failed ||= !ok;
  process.stdout.write(
    `${name.padEnd(12)} runtime ${String(n).padStart(6)} B   EIP-170 headroom ${String(EIP170 - n).padStart(6)} B   limit ${limit} B  ${ok ? "ok" : "TOO LARGE"}\n`,
  );
}
process.exit(failed ? 1 : 0);

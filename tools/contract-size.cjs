#!/usr/bin/env node
// Prints the runtime size of the pool and its linked library from forge's artifacts (out/), and fails when the pool
// leaves less than the required headroom under EIP-170 (24,576 bytes): 2 KB kept free for the next features.
// Also fails when an artifact of a `src/` contract was not built through the pipeline tools/compile-pipeline.cjs
// gives it (the IR pipeline): forge's cache does not know the pipeline, so an out/ or cache_forge/ from before
// issue #30 would keep legacy code for every unchanged source (`forge clean` once).
//   node tools/contract-size.cjs          (run by `npm test` after the forge build)
const { readFileSync, readdirSync } = require("node:fs");
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

// Every artifact of a `src/` file (forge names the artifact directory after the file), built as the pipeline says.
const { viaIR } = require("./compile-pipeline.cjs");
const out = join(root, "out");
const wrong = [];
let checked = 0;
for (const dir of readdirSync(out)) {
  if (!dir.endsWith(".sol")) continue;
  for (const file of readdirSync(join(out, dir))) {
    if (!file.endsWith(".json")) continue;
    const meta = JSON.parse(readFileSync(join(out, dir, file), "utf8")).metadata;
    const target = Object.keys(meta?.settings?.compilationTarget ?? {})[0];
    if (!target || !target.startsWith("src/")) continue;
    checked++;
    const want = viaIR(target, { optimizer: meta.settings.optimizer });
    if ((meta.settings.viaIR === true) !== want) wrong.push(`${target}:${file.replace(/\.json$/, "")} (viaIR ${meta.settings.viaIR === true}, want ${want})`);
  }
}
if (wrong.length) {
  failed = true;
  process.stdout.write(`artifacts not built through their pipeline (tools/compile-pipeline.cjs), run \`forge clean\` then build:\n  ${wrong.join("\n  ")}\n`);
} else {
  process.stdout.write(`pipeline     ${checked} artifacts of src/ built as tools/compile-pipeline.cjs says\n`);
}
process.exit(failed ? 1 : 0);

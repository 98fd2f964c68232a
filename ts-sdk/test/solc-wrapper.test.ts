// tools/solc.cjs: the split compilation (several solcjs workers, each generating code for its share of the files)
// must produce exactly what one process produces: same contracts, same source ids and ASTs, same diagnostics.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const wrapper = fileURLToPath(new URL("../../tools/solc.cjs", import.meta.url));

function input() {
  const sources: Record<string, { content: string }> = {};
  for (let i = 0; i < 10; i++) {
    const parent = i > 0 ? ` is C${i - 1}` : "";
    const imp = i > 0 ? `import "f${i - 1}.sol";\n` : "";
    // No SPDX line: every file yields the same warning, which the merge must report once per file, not per worker.
    sources[`f${i}.sol`] = { content: `pragma solidity 0.8.28;\n${imp}contract C${i}${parent} { function g${i}() external {} }\n` };
  }
  const outputSelection = Object.fromEntries(
    Object.keys(sources).map((f) => [f, { "*": ["abi", "evm.bytecode.object"], "": ["ast"] }]),
  );
  return JSON.stringify({ language: "Solidity", sources, settings: { outputSelection } });
}

function compile(jobs: string) {
  const out = execFileSync(process.execPath, [wrapper, "--standard-json"], {
    input: input(),
    env: { ...process.env, STRATA_SOLC_JOBS: jobs },
    maxBuffer: 64 << 20,
  });
  const o = JSON.parse(out.toString("utf8"));
  const sorted = (x: Record<string, unknown>) => Object.keys(x).sort().map((k) => [k, x[k]]);
  return { contracts: sorted(o.contracts), sources: sorted(o.sources), errors: o.errors ?? [] };
}

describe("tools/solc.cjs", () => {
  it("a split compilation equals a single-process one", () => {
    const one = compile("1");
    const two = compile("2");
    expect(one.contracts).toHaveLength(10);
    expect(one.errors.length).toBeGreaterThan(0);
    expect(two).toEqual(one);
  });
});

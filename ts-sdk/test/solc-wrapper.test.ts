// tools/solc.cjs: the split compilation (several solcjs workers, each generating code for its share of the files)
// must produce exactly what one process produces: same contracts, same source ids and ASTs, same diagnostics.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
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

// tools/compile-pipeline.cjs through the wrapper: `src/` is generated via IR in an optimized build, everything else
// (and every file of an unoptimized one, as `forge coverage` sends) through the legacy pipeline; the output is one.
describe("tools/solc.cjs pipelines", () => {
  const sources = {
    "src/A.sol": { content: "// SPDX-License-Identifier: MIT\npragma solidity 0.8.28;\ncontract A { uint256 public x; function set(uint256 v) external { x = v; } }\n" },
    "test/T.sol": { content: '// SPDX-License-Identifier: MIT\npragma solidity 0.8.28;\nimport "src/A.sol";\ncontract T { function make() external returns (address) { return address(new A()); } }\n' },
  };
  const run = (optimizer: boolean, jobs = "1") => {
    const outputSelection = Object.fromEntries(Object.keys(sources).map((f) => [f, { "*": ["metadata", "evm.deployedBytecode.object"], "": ["ast"] }]));
    const input = JSON.stringify({ language: "Solidity", sources, settings: { optimizer: { enabled: optimizer, runs: 200 }, outputSelection } });
    const out = JSON.parse(execFileSync(process.execPath, [wrapper, "--standard-json"], { input, env: { ...process.env, STRATA_SOLC_JOBS: jobs }, maxBuffer: 64 << 20 }).toString("utf8"));
    const viaIR = (file: string, name: string) => JSON.parse(out.contracts[file][name].metadata).settings.viaIR === true;
    return { out, viaIR };
  };

  it("generates src/ via IR and the rest through the legacy pipeline, in one output", () => {
    const { out, viaIR } = run(true);
    expect(viaIR("src/A.sol", "A")).toBe(true);
    expect(viaIR("test/T.sol", "T")).toBe(false);
    expect(Object.keys(out.sources).sort()).toEqual(["src/A.sol", "test/T.sol"]);
    expect(out.sources["src/A.sol"].id).not.toBe(out.sources["test/T.sol"].id);
    expect(out.sources["test/T.sol"].ast).toBeDefined();
    expect(run(true, "2").out).toEqual(out); // split or not, the same output
  });

  it("an unoptimized build (forge coverage) stays on the legacy pipeline", () => {
    const { viaIR } = run(false);
    expect(viaIR("src/A.sol", "A")).toBe(false);
    expect(viaIR("test/T.sol", "T")).toBe(false);
  });
});

// tools/solc-plan.cjs: which worker generates code for which files.
const require = createRequire(import.meta.url);
const { plan, analyse } = require("../../tools/solc-plan.cjs") as {
  plan: (input: unknown, n: number, opts?: { selected?: string[]; costs?: Record<string, number> }) => { files: string[]; cost: number }[];
  analyse: (input: unknown, costs?: Record<string, number>) => { needs: (file: string) => Map<string, number> };
};

const body = (n: number) => Array.from({ length: n }, (_, i) => `  function f${i}() external pure returns (uint256) { return ${i}; }`).join("\n");
function project(files: Record<string, string>) {
  return { language: "Solidity", sources: Object.fromEntries(Object.entries(files).map(([f, content]) => [f, { content }])) };
}

describe("tools/solc-plan.cjs", () => {
  const files = {
    "big/A.sol": `pragma solidity 0.8.28;\nimport {B} from "../lib/B.sol";\ncontract A { B b = new B(); // new C() in a comment\n${body(40)}\n}\n`,
    "lib/B.sol": `pragma solidity 0.8.28;\nimport "./Base.sol";\ncontract B is Base(1), Other { uint256[] x = new uint256[](2);\n${body(40)}\n}\n`,
    "lib/Base.sol": `pragma solidity 0.8.28;\nabstract contract Base { constructor(uint256) {}\n${body(40)}\n}\nabstract contract Other {}\n`,
    "c/C.sol": `pragma solidity 0.8.28;\ncontract C {\n${body(60)}\n}\n`,
    "c/D.sol": `pragma solidity 0.8.28;\ncontract D {\n${body(60)}\n}\n`,
    "c/L.sol": `pragma solidity 0.8.28;\nlibrary L { function g() internal pure returns (uint256) { return 1; }\n${"  // filler\n".repeat(500)}}\n`,
  };

  it("counts what a file's code embeds (bases included; arrays, comments and internal-only libraries not)", () => {
    const { needs } = analyse(project(files), {});
    expect([...needs("big/A.sol").keys()].sort()).toEqual(["big/A.sol:A", "lib/B.sol:B"]);
    expect([...needs("lib/Base.sol").keys()]).toEqual([]); // abstract: no code of its own
    expect(needs("c/L.sol").get("c/L.sol:L")).toBe(0);
    // B's estimate includes its abstract base's body
    expect(needs("lib/B.sol").get("lib/B.sol:B")!).toBeGreaterThan(needs("c/C.sol").get("c/C.sol:C")! * 0.9);
  });

  it("keeps an embedded contract with its embedder and assigns every file exactly once", () => {
    const groups = plan(project(files), 2, { costs: {} });
    const all = groups.flatMap((g) => g.files).sort();
    expect(all).toEqual(Object.keys(files).sort());
    const withA = groups.find((g) => g.files.includes("big/A.sol"))!;
    expect(withA.files).toContain("lib/B.sol");
    const other = groups.find((g) => g !== withA)!;
    expect(other.files).toEqual(expect.arrayContaining(["c/C.sol", "c/D.sol"]));
  });

  it("balances by measured init code size when the table knows a contract", () => {
    // Measured: C is far larger than its source suggests, so it gets a worker of its own.
    const costs = { "c/C.sol:C": 1_000_000 };
    const groups = plan(project(files), 2, { costs });
    const withC = groups.find((g) => g.files.includes("c/C.sol"))!;
    expect(withC.files.filter((f) => !f.startsWith("lib/Base") && !f.startsWith("c/L"))).toEqual(["c/C.sol"]);
  });
});

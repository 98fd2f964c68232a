// The I/O of `npm run bench:gas -- --breakdown` (the logic is tools/bench/gas-breakdown.ts): finds the gas test of an
// operation in test/gas/, runs that one test under `forge test --debug --dump`, reads the names of the contracts from
// forge's artifacts in out/, and returns the breakdown with the figures it is checked against.
//
// The run writes no file of the repository: FOUNDRY_SNAPSHOTS points forge's snapshot directory at a temporary one (a
// one-test run would otherwise rewrite snapshots/<group>.json with that test's figure alone), and the dump (~30-60 MB)
// goes to the same temporary directory, removed afterwards.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Breakdown,
  type ContractInfo,
  type ContractLookup,
  attribute,
  findMeasured,
  formatBreakdown,
  parseDump,
  specTargets,
  total,
} from "./gas-breakdown.ts";
import { specNames } from "./gas-table.ts";

/** The SPEC §10 core operations the breakdown covers by default (issue #30's targets). */
export const CORE_OPERATIONS: readonly string[] = ["borrow", "borrow_with_delegate", "repay", "deposit", "redeem", "liquidate", "buy"];

/** A gas test: `function test_gas_<operation>()` declared in `contract <contract>` of `file`. */
export interface GasTest {
  operation: string;
  contract: string;
  test: string;
  file: string;
}

/**
 * Every `test_gas_<name>` declared in test/gas/*.t.sol, by operation (`<name>` in snake case). Only the declaring contract counts (the
 * 18-decimal variants inherit the tests without declaring them).
 */
export function discoverGasTests(root: string): Map<string, GasTest> {
  const dir = join(root, "test/gas");
  const out = new Map<string, GasTest>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".t.sol")).sort()) {
    const text = readFileSync(join(dir, f), "utf8");
    const contracts = [...text.matchAll(/^(?:abstract\s+)?contract\s+(\w+)/gm)].map((m) => ({ name: m[1], at: m.index }));
    for (const m of text.matchAll(/function\s+(test_gas_(\w+))\s*\(/g)) {
      const owner = contracts.filter((c) => c.at < m.index).at(-1);
      const operation = snakeCase(m[2]);
      if (!owner || out.has(operation)) continue;
      out.set(operation, { operation, contract: owner.name, test: m[1], file: `test/gas/${f}` });
    }
  }
  return out;
}

/** `pushPrice` -> `push_price` (SPEC §10.2 names are snake case; a few tests are named in camel case). */
export const snakeCase = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

/** Contract name -> its methods, from forge's artifacts (out/<File>.sol/<Name>.json, `methodIdentifiers`). */
export function artifactLookup(root: string): ContractLookup {
  const outDir = join(root, "out");
  const where = new Map<string, string>();
  if (existsSync(outDir)) {
    for (const d of readdirSync(outDir)) {
      if (!d.endsWith(".sol")) continue;
      for (const f of readdirSync(join(outDir, d))) if (f.endsWith(".json") && !where.has(f.slice(0, -5))) where.set(f.slice(0, -5), join(outDir, d, f));
    }
  }
  const cache = new Map<string, ContractInfo | undefined>();
  return (name) => {
    if (!cache.has(name)) {
      const file = where.get(name);
      let info: ContractInfo | undefined;
      if (file) {
        const ids = (JSON.parse(readFileSync(file, "utf8")) as { methodIdentifiers?: Record<string, string> }).methodIdentifiers ?? {};
        info = { methods: Object.fromEntries(Object.entries(ids).map(([sig, sel]) => [sel, sig])) };
      }
      cache.set(name, info);
    }
    return cache.get(name);
  };
}

export interface OperationBreakdown {
  operation: string;
  /** `<Contract>.<test>` that was run. */
  test: string;
  breakdown: Breakdown;
  /** The figure forge wrote in this same run (FOUNDRY_SNAPSHOTS), null if it wrote none. */
  sameRun: number | null;
  /** The committed figure, snapshots/<group>.json as it is in the working tree, null when there is none. */
  snapshot: number | null;
  /**
   * forge's report of a failed test (e.g. a ceiling exceeded), null if it passed; the breakdown still comes from its
   * trace. Read from the output: with --debug, forge 1.7.1 exits 0 even when the test fails.
   */
  failure: string | null;
  seconds: number;
}

/** Runs the gas test of `operation` under the debugger and attributes its measured call. */
export function runBreakdown(root: string, operation: string, tests = discoverGasTests(root), lookup = artifactLookup(root)): OperationBreakdown {
  const t = tests.get(operation);
  if (!t) throw new Error(`no test_gas_${operation} in test/gas/*.t.sol (known: ${[...tests.keys()].join(", ")})`);
  const tmp = mkdtempSync(join(tmpdir(), "strata-gas-breakdown-"));
  const started = Date.now();
  try {
    const dump = join(tmp, "dump.json");
    const args = ["forge", "test", "--match-contract", `^${t.contract}$`, "--match-test", `^${t.test}\\(`, "--debug", "--dump", dump];
    const r = spawnSync(process.execPath, [join(root, "tools/foundry.cjs"), ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, FOUNDRY_PROFILE: "ci", FOUNDRY_SNAPSHOTS: join(tmp, "snapshots") },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (!existsSync(dump)) {
      throw new Error(`forge test --debug for ${t.contract}.${t.test} wrote no dump (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
    }
    const trace = parseDump(readFileSync(dump, "utf8"));
    const measured = findMeasured(trace.root);
    const breakdown = attribute(trace, lookup, measured);
    const group = measured.group || t.contract;
    const figure = (file: string) => {
      if (!existsSync(file)) return null;
      const v = (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>)[measured.name];
      return v === undefined ? null : Number(v);
    };
    return {
      operation,
      test: `${t.contract}.${t.test}`,
      breakdown,
      sameRun: figure(join(tmp, "snapshots", `${group}.json`)),
      snapshot: figure(join(root, "snapshots", `${group}.json`)),
      failure: r.status !== 0 ? `forge exit ${r.status ?? r.signal}` : (/^\[FAIL[^\n]*/m.exec(r.stdout)?.[0] ?? null),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** What is wrong with a breakdown, if anything: the components must add up to the figure forge measured. */
export function breakdownProblems(b: OperationBreakdown): string[] {
  const p: string[] = [];
  const sum = total(b.breakdown);
  if (sum !== b.breakdown.measured) p.push(`${b.operation}: the components add up to ${sum}, the measured call spent ${b.breakdown.measured}`);
  if (b.sameRun === null) p.push(`${b.operation}: forge wrote no snapshot figure for ${b.breakdown.group}.${b.breakdown.name} in this run`);
  else if (b.sameRun !== sum) p.push(`${b.operation}: the components add up to ${sum}, forge measured ${b.sameRun} in the same run`);
  return p;
}

/**
 * `npm run bench:gas -- --breakdown [--ops a,b|all] [--json]`: the breakdown of each operation (default: the SPEC §10
 * core operations; `all`: every SPEC §10.2 vault and pool name that has a gas test). Returns the exit code: 1 if a
 * breakdown does not add up to the figure forge measured in the same run, or if a test failed (the breakdown of a
 * failing test is still printed: a ceiling it exceeds is what it is for).
 */
export function breakdownMain(root: string, argv: readonly string[]): number {
  const json = argv.includes("--json");
  const say = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);
  const tests = discoverGasTests(root);
  const spec = readFileSync(join(root, "docs/SPEC.md"), "utf8");
  const opsArg = argv.includes("--ops") ? argv[argv.indexOf("--ops") + 1] : undefined;
  if (argv.includes("--ops") && (!opsArg || opsArg.startsWith("--"))) {
    say("bench:gas --breakdown: --ops needs a list (e.g. --ops borrow,repay) or all");
    return 2;
  }
  const ops =
    opsArg === "all"
      ? [...specNames(spec, "vault"), ...specNames(spec, "pool")].filter((n) => tests.has(n))
      : opsArg
        ? opsArg.split(",").map((x) => x.trim()).filter(Boolean)
        : [...CORE_OPERATIONS];
  const unknown = ops.filter((o) => !tests.has(o));
  if (unknown.length > 0) {
    say(`bench:gas --breakdown: no gas test for ${unknown.join(", ")} (test/gas/*.t.sol has: ${[...tests.keys()].join(", ")})`);
    return 2;
  }
  const lookup = artifactLookup(root);
  const results: OperationBreakdown[] = [];
  const problems: string[] = [];
  for (const op of ops) {
    const t = tests.get(op)!;
    say(`forge test --match-contract '^${t.contract}$' --match-test '^${t.test}\\(' --debug --dump <tmp>  (${op})`);
    let r: OperationBreakdown;
    try {
      r = runBreakdown(root, op, tests, lookup);
    } catch (e) {
      problems.push(`${op}: ${(e as Error).message}`);
      continue;
    }
    results.push(r);
    problems.push(...breakdownProblems(r));
    if (r.failure !== null) problems.push(`${op}: ${r.test} failed (${r.failure}); its trace is broken down all the same`);
  }
  const figures: Record<string, number> = {};
  for (const g of ["vault", "pool"]) {
    const f = join(root, "snapshots", `${g}.json`);
    if (existsSync(f)) for (const [k, v] of Object.entries(JSON.parse(readFileSync(f, "utf8")) as Record<string, string>)) figures[k] ??= Number(v);
  }
  const targets = specTargets(spec, figures);
  const cols = results.map((r) => ({ operation: r.operation, breakdown: r.breakdown, snapshot: r.snapshot, target: targets[r.breakdown.name] ?? null }));
  const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim();
  const dirty = spawnSync("git", ["status", "--porcelain", "--", "src", "test"], { cwd: root, encoding: "utf8" }).stdout.trim() !== "";
  const at = `commit ${commit}${dirty ? " + uncommitted changes under src/ or test/" : ""}`;
  if (json) {
    const operations = results.map((r, i) => ({
      operation: r.operation,
      test: r.test,
      call: r.breakdown.call,
      group: r.breakdown.group,
      name: r.breakdown.name,
      measured: r.breakdown.measured,
      sum: total(r.breakdown),
      sameRun: r.sameRun,
      snapshot: r.snapshot,
      difference: r.snapshot === null ? null : total(r.breakdown) - r.snapshot,
      target: cols[i].target,
      refunds: r.breakdown.refunds,
      components: r.breakdown.components,
    }));
    process.stdout.write(`${JSON.stringify({ commit, dirty, operations, problems, ok: problems.length === 0 }, null, 2)}\n`);
  } else if (results.length > 0) {
    say(`\nWhere the gas of each measured call goes (execution gas as vm.snapshotGasLastCall records it), ${at}`);
    say(formatBreakdown(cols));
    say("\nEach column is one forge trace (--debug): every step of the measured call and of everything it calls is in");
    say("exactly one row; storage is the contract whose storage it is (a library's is its caller's); a token, registry,");
    say("oracle or delegate-registry row is the whole call (account access, its code, its storage, its events).");
    for (const r of results) {
      const diff = r.snapshot === null ? null : total(r.breakdown) - r.snapshot;
      const notes = [
        `${r.test} → ${r.breakdown.call}`,
        r.breakdown.refunds > 0 ? `refunds earned ${r.breakdown.refunds.toLocaleString("en-US")} (not subtracted from the figure)` : "",
        diff ? `differs from snapshots/${r.breakdown.group}.json by ${diff}: the code differs from the committed figure (npm run bench:gas rewrites the snapshots)` : "",
      ].filter(Boolean);
      say(`  ${r.operation}: ${notes.join("; ")}`);
    }
  }
  for (const p of problems) say(`FAIL: ${p}`);
  return problems.length === 0 ? 0 : 1;
}

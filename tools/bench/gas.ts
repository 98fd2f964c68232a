// `npm run bench:gas`: runs the gas tests (test/gas/ only; they rewrite snapshots/*.json), then prints every SPEC §10
// operation (warm, and cold where SPEC §10.2 has a `_first` name) next to the peer figures (MetaStreet v2 quoted with
// its source and basis; OpenZeppelin's bare ERC-4626 measured in the same run) with the ratio Strata / peer, and the
// scale table (1 to 10,000 loans, 1 and 100 lenders) with the spread per operation. Exit code 1 if the forge run fails
// or any spread exceeds 1 %. Figures are read from the snapshots the run has just written, never from this file.
//
//   npm run bench:gas                  # forge test --match-path 'test/gas/*', then the tables
//   npm run bench:gas -- --json        # the same data as JSON on stdout
//   npm run bench:gas -- --no-run      # the tables of the snapshots already in snapshots/ (no forge run)
//   npm run bench:gas -- --before REV  # also the figures committed at git revision REV, and the change
//   npm run bench:gas -- --breakdown   # where the gas of each SPEC §10 core operation goes (issue #30): one forge
//                                      # --debug run per operation, every unit of gas in one component, each column
//                                      # checked against the figure forge measured (tools/bench/gas-breakdown.ts);
//                                      # --ops borrow,repay (or all) picks the operations, --json prints JSON
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  GONDI,
  METASTREET,
  OZ_SOURCE,
  SCALE_BOUND,
  type Snapshots,
  formatOperations,
  formatScale,
  operationRows,
  pct,
  scaleRows,
} from "./gas-table.ts";
import { breakdownMain } from "./gas-breakdown-run.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const argv = process.argv.slice(2);
const args = new Set(argv);
const beforeRev = argv.includes("--before") ? argv[argv.indexOf("--before") + 1] : undefined;
if (argv.includes("--before") && (!beforeRev || beforeRev.startsWith("--"))) {
  process.stderr.write("bench:gas: --before needs a git revision (e.g. --before HEAD~3)\n");
  process.exit(2);
}
if (args.has("--breakdown")) {
  if (args.has("--no-run") || beforeRev) {
    process.stderr.write("bench:gas: --breakdown always runs the tests it breaks down (no --no-run, no --before)\n");
    process.exit(2);
  }
  process.exit(breakdownMain(ROOT, argv));
}
const json = args.has("--json");
const say = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);

if (!args.has("--no-run")) {
  say("forge test --match-path 'test/gas/*'  (rewrites snapshots/*.json)");
  const r = spawnSync(process.execPath, [join(ROOT, "tools/foundry.cjs"), "forge", "test", "--match-path", "test/gas/*"], {
    cwd: ROOT,
    stdio: ["ignore", json ? process.stderr : "inherit", "inherit"],
  });
  if (r.status !== 0) {
    say(`forge test failed (exit ${r.status ?? r.signal}): no figures printed`);
    process.exit(1);
  }
}

const snaps: Snapshots = {};
for (const g of ["vault", "pool", "scale", "peer"]) {
  const f = join(ROOT, "snapshots", `${g}.json`);
  if (existsSync(f)) snaps[g] = JSON.parse(readFileSync(f, "utf8"));
}
const spec = readFileSync(join(ROOT, "docs/SPEC.md"), "utf8");
let before: Snapshots | undefined;
if (beforeRev) {
  before = {};
  for (const g of ["vault", "pool"]) {
    const r = spawnSync("git", ["show", `${beforeRev}:snapshots/${g}.json`], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) {
      say(`bench:gas: no snapshots/${g}.json at ${beforeRev}: ${r.stderr.trim()}`);
      process.exit(2);
    }
    before[g] = JSON.parse(r.stdout);
  }
}
const ops = operationRows(snaps, spec, ["vault", "pool"], before);
const scale = scaleRows(snaps.scale ?? {});
const failing = scale.rows.filter((r) => !r.ok);
const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();

if (json) {
  const sources = { metastreet: Object.values(METASTREET).flat()[0]?.source, openzeppelin: OZ_SOURCE };
  process.stdout.write(`${JSON.stringify({ commit, operations: ops, scale: { ...scale, bound: SCALE_BOUND }, sources, ok: failing.length === 0 }, null, 2)}\n`);
} else {
  say(`\nStrata gas per SPEC §10 operation (execution gas, first call of its transaction, warm state), commit ${commit}`);
  say(formatOperations(ops, beforeRev));
  say(`\nPeers: MetaStreet v2 — ${Object.values(METASTREET).flat()[0]?.source}.`);
  say(`       Gondi v3 — ${Object.values(GONDI).flat()[0]?.source}.`);
  say(`       OZ ERC-4626 — ${OZ_SOURCE}.`);
  say(`\nScale (snapshots/scale.json): the same operations as the book and the lender count grow`);
  say(formatScale(scale));
}
if (ops.some((o) => o.missing)) say(`\nnot measured (in SPEC §10.2, no snapshot yet): ${ops.filter((o) => o.missing).map((o) => `${o.group}.${o.operation}`).join(", ")}`);
if (failing.length > 0) {
  say(`\nFAIL: spread above ${pct(SCALE_BOUND)}: ${failing.map((r) => `${r.operation} ${pct(r.spread)}`).join(", ")}`);
  process.exit(1);
}

#!/usr/bin/env node
// Proves that tools/solc.cjs's split compilation writes exactly what one solcjs process writes: builds the same forge
// target twice from scratch (STRATA_SOLC_JOBS=1, then split across N workers), each into its own temporary out/ and
// cache, and compares every artifact forge wrote, field by field (bytecode, deployed bytecode, link and immutable
// references, ABI, method identifiers, storage layout, metadata, source id, AST, ...). Exits 1 on any difference.
//
//   node tools/solc-split-check.cjs [--jobs N] [forge build paths...]   (default: npm start's set, 2 workers)
//   node tools/solc-split-check.cjs --all                               (the whole tree: sources, scripts, tests)
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { nativeBinary } = require("./foundry.cjs");

const root = path.resolve(__dirname, "..");
const NPM_START_SET = ["src", "script/Deploy.s.sol", "script/sdk"];

function parseArgs(argv) {
  let jobs = 2;
  let targets = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--jobs") jobs = Number(argv[++i]);
    else if (argv[i] === "--all") targets = null;
    else targets?.push(argv[i]);
  }
  if (!Number.isInteger(jobs) || jobs < 2) throw new Error(`--jobs must be an integer >= 2, got ${jobs}`);
  return { jobs, targets: targets && targets.length === 0 ? NPM_START_SET : targets };
}

/** A clean forge build of `targets` (null: everything) into `dir`; returns the wall time in seconds. */
function build(dir, targets, jobs) {
  const t = Date.now();
  const r = spawnSync(nativeBinary("forge"), ["build", ...(targets || [])], {
    cwd: root,
    env: {
      ...process.env,
      FOUNDRY_OUT: path.join(dir, "out"),
      FOUNDRY_CACHE_PATH: path.join(dir, "cache"),
      STRATA_SOLC_JOBS: String(jobs),
      STRATA_SOLC_VERBOSE: "1",
    },
    encoding: "utf8",
  });
  process.stdout.write(r.stdout + r.stderr);
  if (r.status !== 0) throw new Error(`forge build (STRATA_SOLC_JOBS=${jobs}) exited ${r.status}`);
  return (Date.now() - t) / 1000;
}

/** Every artifact under `out` (build-info excluded: it records the build's own id and input paths). */
function artifacts(out) {
  const found = new Map();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "build-info") walk(p);
      } else if (e.name.endsWith(".json")) found.set(path.relative(out, p), JSON.parse(fs.readFileSync(p, "utf8")));
    }
  };
  walk(out);
  return found;
}

function main() {
  const { jobs, targets } = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-solc-split-"));
  try {
    const what = targets ? targets.join(" ") : "(everything)";
    process.stdout.write(`forge build ${what}: one solcjs process\n`);
    const tOne = build(path.join(tmp, "one"), targets, 1);
    process.stdout.write(`forge build ${what}: split across ${jobs} workers\n`);
    const tSplit = build(path.join(tmp, "split"), targets, jobs);
    const one = artifacts(path.join(tmp, "one", "out"));
    const split = artifacts(path.join(tmp, "split", "out"));
    const problems = [];
    for (const name of new Set([...one.keys(), ...split.keys()])) {
      const a = one.get(name);
      const b = split.get(name);
      if (!a || !b) {
        problems.push(`${name}: only in the ${a ? "single-process" : "split"} build`);
        continue;
      }
      for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) problems.push(`${name}: field "${field}" differs`);
      }
    }
    const withCode = [...one.values()].filter((a) => (a.deployedBytecode?.object || "0x").length > 2).length;
    process.stdout.write(
      `${one.size} artifacts (${withCode} with deployed code); wall time ${tOne.toFixed(1)} s in one process, ` +
        `${tSplit.toFixed(1)} s split across ${jobs}\n`,
    );
    if (problems.length) {
      process.stdout.write(`${problems.length} difference(s):\n${problems.slice(0, 50).join("\n")}\n`);
      process.exitCode = 1;
    } else process.stdout.write("identical: every artifact, every field\n");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();

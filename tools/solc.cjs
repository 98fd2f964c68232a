#!/usr/bin/env node
// Native-solc-compatible front end for solcjs, so that forge can compile offline.
// forge calls `solc --version` and `solc --standard-json [--base-path P] [--include-path P]...`.
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require("solc");

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
if (!args.includes("--standard-json")) {
  process.stderr.write("tools/solc.cjs: only --version and --standard-json are supported\n");
  process.exit(1);
}
const roots = [process.cwd()];
for (let i = 0; i < args.length; i++) {
  if ((args[i] === "--base-path" || args[i] === "--include-path" || args[i] === "--allow-paths") && args[i + 1]) {
    for (const p of args[i + 1].split(",")) roots.push(path.resolve(p));
    i++;
  }
}
function findImports(importPath) {
  const candidates = path.isAbsolute(importPath) ? [importPath] : roots.map((r) => path.join(r, importPath));
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, "utf8") };
  }
  return { error: `File not found: ${importPath}` };
}
// solc-js passes the input JSON as a `string` argument, which Emscripten copies onto the wasm *stack*: past ~1.3 MB of
// standard JSON (about 100 sources with forge's output selection) that overflows the stack and solc dies with
// "RuntimeError: memory access out of bounds". So the input goes through the heap (solidity_alloc) instead, and the
// call is made on the raw `solidity_compile(input, callback, context)` export, exactly as solc-js does otherwise.
function compileViaHeap(input) {
  const soljson = require("solc/soljson");
  const compile = soljson.cwrap("solidity_compile", "string", ["number", "number", "number"]);
  const toCString = (str) => {
    const length = soljson.lengthBytesUTF8(str) + 1;
    const ptr = soljson._solidity_alloc(length);
    soljson.stringToUTF8(str, ptr, length);
    return ptr;
  };
  const callback = soljson.addFunction((context, kind, data, contents, error) => {
    const k = soljson.UTF8ToString(kind);
    const result = k === "source" ? findImports(soljson.UTF8ToString(data)) : { error: `callback ${k} not supported` };
    if (typeof result.contents === "string") soljson.setValue(contents, toCString(result.contents), "*");
    if (typeof result.error === "string") soljson.setValue(error, toCString(result.error), "*");
  }, "viiiii");
  try {
    return compile(toCString(input), callback, 0);
  } finally {
    soljson.removeFunction(callback);
    soljson._solidity_reset();
  }
}
// Parallel compilation. solcjs is single-threaded, and forge hands the whole project to one `solc` call, so on a
// multi-core machine the wrapper splits the work: every worker receives the same sources (so source ids and ASTs are
// identical across workers) but an output selection restricted to its own share of the files, and generates code only
// for those (plus whatever their `new` expressions embed). The outputs are merged: contracts and sources by file,
// diagnostics de-duplicated (every worker analyses every file and reports the same warnings). The bytecode is
// identical to a single-process build (checked for every contract of src/).
// The split costs CPU: each worker analyses everything and compiles the contracts its files deploy with `new`
// (every test deploys the whole protocol). Measured on 2 cores: sources + scripts (115 files) 38 s of CPU in one
// process, 66 s split in two, so no gain; the whole tree (156 files) 148 s in one process, 196 s split in two (about
// 100 s of wall time instead of 148 s). Hence the default: split only inputs of at least SPLIT_MIN_FILES files.
// STRATA_SOLC_JOBS overrides the worker count (1 disables the split).
const SPLIT_MIN_FILES = 130;
const os = require("os");
const { spawn } = require("child_process");

function jobs(input) {
  const files = Object.keys(input.sources || {});
  const cpus = Math.min(os.availableParallelism?.() ?? os.cpus().length, 4);
  const requested = Number(process.env.STRATA_SOLC_JOBS || (files.length >= SPLIT_MIN_FILES ? cpus : 1));
  const sel = input.settings?.outputSelection;
  // Split only a per-file (or "*") output selection, which is what forge sends; anything else compiles as given.
  if (process.env.STRATA_SOLC_WORKER || !sel || files.length < 8) return 1;
  if (!Object.keys(sel).every((k) => k === "*" || k in input.sources)) return 1;
  return Math.max(1, Math.min(requested, Math.floor(files.length / 4)));
}

/** Splits the files into `n` groups of similar total size (longest first, each to the lightest group). */
function partition(input, n) {
  const groups = Array.from({ length: n }, () => ({ files: [], size: 0 }));
  const files = Object.entries(input.sources).map(([f, s]) => [f, (s.content || "").length]);
  files.sort((a, b) => b[1] - a[1]);
  for (const [f, size] of files) {
    const g = groups.reduce((a, b) => (b.size < a.size ? b : a));
    g.files.push(f);
    g.size += size;
  }
  return groups.map((g) => g.files);
}

function runWorker(input) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, ...args], {
      env: { ...process.env, STRATA_SOLC_WORKER: "1" },
      stdio: ["pipe", "pipe", "inherit"],
    });
    const chunks = [];
    child.stdout.on("data", (c) => chunks.push(c));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))) : reject(new Error(`solc worker exited ${code}`)),
    );
    child.stdin.end(JSON.stringify(input));
  });
}

async function compileParallel(input, n) {
  const sel = input.settings.outputSelection;
  const outputs = await Promise.all(
    partition(input, n).map((files) => {
      const outputSelection = Object.fromEntries(files.filter((f) => sel[f] || sel["*"]).map((f) => [f, sel[f] || sel["*"]]));
      return runWorker({ ...input, settings: { ...input.settings, outputSelection } });
    }),
  );
  const merged = { contracts: {}, sources: {}, errors: [] };
  const seen = new Set();
  for (const out of outputs) {
    Object.assign(merged.contracts, out.contracts || {});
    for (const [file, src] of Object.entries(out.sources || {})) {
      if (!merged.sources[file] || (src.ast && !merged.sources[file].ast)) merged.sources[file] = src;
    }
    for (const e of out.errors || []) {
      const key = JSON.stringify(e);
      if (!seen.has(key)) seen.add(key), merged.errors.push(e);
    }
  }
  if (merged.errors.length === 0) delete merged.errors;
  return JSON.stringify(merged);
}

const raw = fs.readFileSync(0, "utf8");
const parsed = JSON.parse(raw);
const n = jobs(parsed);
if (n <= 1) process.stdout.write(compileViaHeap(raw));
else
  compileParallel(parsed, n).then(
    (out) => process.stdout.write(out),
    (e) => {
      process.stderr.write(`tools/solc.cjs: ${e.message}\n`);
      process.exit(1);
    },
  );

#!/usr/bin/env node
// Native-solc-compatible front end for solcjs, so that forge can compile offline.
// forge calls `solc --version` and `solc --standard-json [--base-path P] [--include-path P]...`.
"use strict";
const fs = require("fs");
const path = require("path");

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${require("solc").version()}\n`);
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
// diagnostics de-duplicated (every worker that analyses a file reports the same warnings). The bytecode is identical
// to a single-process build: `node tools/solc-split-check.cjs` builds with forge both ways and compares every artifact.
// Each worker pays for loading solcjs and parsing everything, for analysing what its files import, and for generating
// the code of its files' contracts and of every contract they embed with `new`: a contract embedded by files of both
// workers is compiled twice. tools/solc-plan.cjs assigns the files so that the estimated costs are even and embedded
// contracts stay with their embedders; the split is made only when the busiest worker's estimate is at most
// SPLIT_MAX_SHARE of the single process's (STRATA_SOLC_JOBS forces a worker count, 1 disables the split;
// STRATA_SOLC_VERBOSE=1 prints the plan and each worker's time on stderr).
// Measured on 2 idle cores (npm start's set, 94 files): see docs/BENCHMARKS.md.
const SPLIT_MAX_SHARE = 0.8;
const os = require("os");
const { Worker, isMainThread, parentPort, workerData } = require("worker_threads");
const { plan } = require("./solc-plan.cjs");
const { viaIR } = require("./compile-pipeline.cjs");
const verbose = process.env.STRATA_SOLC_VERBOSE === "1";

/** The selected files of `input` split into groups for the workers (one group: no split). */
function groups(input) {
  const sources = input.sources || {};
  const sel = input.settings?.outputSelection;
  // Split only a per-file (or "*") output selection, which is what forge sends; anything else compiles as given.
  if (!sel) return null;
  if (!Object.keys(sel).every((k) => k === "*" || k in sources)) return null;
  const selected = Object.keys(sources).filter((f) => sel[f] || sel["*"]);
  const cpus = Math.min(os.availableParallelism?.() ?? os.cpus().length, 4);
  const forced = process.env.STRATA_SOLC_JOBS ? Number(process.env.STRATA_SOLC_JOBS) : 0;
  const n = Math.max(1, Math.min(forced || cpus, Math.floor(selected.length / 4)));
  if (n <= 1) return null;
  const split = plan(input, n, { selected });
  if (!forced) {
    const [single] = plan(input, 1, { selected });
    const busiest = Math.max(...split.map((g) => g.cost));
    if (verbose) process.stderr.write(`tools/solc.cjs: one process ~${single.cost}, ${n} workers ~${busiest} at most\n`);
    if (busiest > SPLIT_MAX_SHARE * single.cost) return null;
  }
  return split.filter((g) => g.files.length > 0);
}

/** Compiles `input` in a worker thread. Threads, not processes: V8 can share the compiled solcjs WebAssembly between
 * the threads of a process, and no output crosses a pipe (measured: 1.5-3 s less CPU in all on npm start's set). */
function runWorker(input) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { argv: args, workerData: JSON.stringify(input) });
    worker.once("message", (out) => resolve(JSON.parse(out)));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`solc worker exited ${code} without a result`)));
  });
}

async function compileParallel(input, split) {
  const sel = input.settings.outputSelection;
  const outputs = await Promise.all(
    split.map(async ({ files, cost }, i) => {
      const outputSelection = Object.fromEntries(files.map((f) => [f, sel[f] || sel["*"]]));
      const t = Date.now();
      const out = await runWorker({ ...input, settings: { ...input.settings, outputSelection } });
      if (verbose) process.stderr.write(`tools/solc.cjs: worker ${i}: ${files.length} files, ~${cost}, ${(Date.now() - t) / 1000} s\n`);
      return out;
    }),
  );
  return JSON.stringify(merge(outputs));
}

/** Standard-JSON outputs merged: contracts and sources by file (an AST from any), diagnostics de-duplicated. */
function merge(outputs) {
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
  return merged;
}

/**
 * `input` as one standard-JSON input per pipeline (tools/compile-pipeline.cjs): the files selected for output that
 * compile via IR in one, with `viaIR` set, the others in the other; null when every file takes the input's own.
 * Every input keeps every source (same source ids and ASTs); only the output selection and the pipeline differ.
 */
function byPipeline(input) {
  const sources = input.sources || {};
  const sel = input.settings?.outputSelection;
  if (!sel || !Object.keys(sel).every((k) => k === "*" || k in sources)) {
    // not forge's per-file selection: compiled as given, which may put a shipped contract through the wrong pipeline
    if (Object.keys(sources).some((f) => viaIR(f, input.settings))) {
      process.stderr.write("tools/solc.cjs: output selection not per file: compiled as given, not by tools/compile-pipeline.cjs\n");
    }
    return null;
  }
  const selected = Object.keys(sources).filter((f) => sel[f] || sel["*"]);
  const ir = selected.filter((f) => viaIR(f, input.settings));
  if (ir.length === 0) return null;
  const part = (files, viaIRSetting) => ({
    ...input,
    settings: { ...input.settings, viaIR: viaIRSetting, outputSelection: Object.fromEntries(files.map((f) => [f, sel[f] || sel["*"]])) },
  });
  const legacy = selected.filter((f) => !ir.includes(f));
  return legacy.length === 0 ? [part(ir, true)] : [part(ir, true), part(legacy, input.settings.viaIR === true)];
}

/** Compiles `parsed` (the input as JSON `raw`): split across workers when that pays, else in this process. */
async function compileOne(parsed, raw) {
  const split = groups(parsed);
  return split ? compileParallel(parsed, split) : compileViaHeap(raw ?? JSON.stringify(parsed));
}

/** Each pipeline's input compiled in turn (each split across the workers), the outputs merged. */
async function compile(parsed, raw) {
  const parts = byPipeline(parsed);
  if (!parts) return compileOne(parsed, raw);
  if (parts.length === 1) return compileOne(parts[0]);
  const outputs = [];
  for (const part of parts) outputs.push(JSON.parse(await compileOne(part)));
  return JSON.stringify(merge(outputs));
}

if (!isMainThread) parentPort.postMessage(compileViaHeap(workerData));
else {
  const raw = fs.readFileSync(0, "utf8");
  compile(JSON.parse(raw), raw).then(
    (out) => process.stdout.write(out),
    (e) => {
      process.stderr.write(`tools/solc.cjs: ${e.message}\n`);
      process.exit(1);
    },
  );
}

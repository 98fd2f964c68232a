#!/usr/bin/env node
// Native-solc-compatible front end for solcjs, so that forge can compile offline.
// forge calls `solc --version` and `solc --standard-json [--base-path P] [--include-path P]...`.
//
// See compileHere for why source contents are passed through the import callback. As a second line of defence, if
// solcjs still throws, the output selection is split in halves, each compiled in a fresh process (a fresh
// WebAssembly instance), and the outputs merged; source ids agree because every part gets the same `sources`.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const args = process.argv.slice(2);
const ISOLATED = "--strata-isolated";
if (args.includes("--version")) {
  const solc = require("solc");
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

// solcjs's `compile` passes the input string through emscripten's `ccall`, which copies string arguments onto the
// WebAssembly stack (4 bytes per character reserved): an input above ~1.3 MB overflows the 5 MB stack and corrupts
// memory ("memory access out of bounds"). So the source contents leave the JSON: each source becomes
// `{ "urls": [<its own name>] }` and solc reads it back through the import callback (heap-allocated). Source unit
// names, ids and the output are unchanged.
function compileHere(input) {
  const json = JSON.parse(input);
  const contents = new Map();
  for (const [name, source] of Object.entries(json.sources ?? {})) {
    if (typeof source.content === "string") {
      contents.set(name, source.content);
      const { content, ...rest } = source;
      json.sources[name] = { ...rest, urls: [name] };
    }
  }
  const read = (p) => (contents.has(p) ? { contents: contents.get(p) } : findImports(p));
  return require("solc").compile(JSON.stringify(json), { import: read });
}

/** Compiles `input` (a string) in a child process; returns its stdout, or null if the compiler crashed. */
function compileIsolated(input) {
  const r = spawnSync(process.execPath, [__filename, ...args, ISOLATED], {
    input,
    maxBuffer: 1 << 30,
    stdio: ["pipe", "pipe", "pipe"],
  });
  return r.status === 0 ? r.stdout.toString("utf8") : null;
}

function compileSplit(json, keys) {
  const part = { ...json, settings: { ...json.settings, outputSelection: {} } };
  for (const k of keys) part.settings.outputSelection[k] = json.settings.outputSelection[k];
  const out = compileIsolated(JSON.stringify(part));
  if (out !== null) return [JSON.parse(out)];
  if (keys.length === 1) throw new Error(`tools/solc.cjs: solcjs crashed compiling ${keys[0]} alone`);
  const mid = keys.length >> 1;
  return [...compileSplit(json, keys.slice(0, mid)), ...compileSplit(json, keys.slice(mid))];
}

function merge(parts) {
  const merged = { contracts: {}, sources: {}, errors: [] };
  const seen = new Set();
  for (const p of parts) {
    for (const [file, cs] of Object.entries(p.contracts ?? {})) merged.contracts[file] = { ...merged.contracts[file], ...cs };
    Object.assign(merged.sources, p.sources ?? {});
    for (const e of p.errors ?? []) {
      const key = JSON.stringify([e.formattedMessage, e.sourceLocation]);
      if (!seen.has(key)) {
        seen.add(key);
        merged.errors.push(e);
      }
    }
  }
  if (merged.errors.length === 0) delete merged.errors;
  return merged;
}

const input = fs.readFileSync(0, "utf8");
if (args.includes(ISOLATED)) {
  process.stdout.write(compileHere(input));
} else {
  let output;
  try {
    output = compileHere(input);
  } catch (err) {
    const json = JSON.parse(input);
    const keys = Object.keys(json.settings?.outputSelection ?? {});
    if (keys.length < 2 || keys.includes("*")) throw err;
    process.stderr.write(`tools/solc.cjs: solcjs crashed (${err.message}); compiling in parts\n`);
    output = JSON.stringify(merge(compileSplit(json, keys)));
  }
  process.stdout.write(output);
}

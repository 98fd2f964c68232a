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
const input = fs.readFileSync(0, "utf8");
process.stdout.write(compileViaHeap(input));

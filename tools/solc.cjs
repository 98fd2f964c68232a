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
const input = fs.readFileSync(0, "utf8");
process.stdout.write(solc.compile(input, { import: findImports }));

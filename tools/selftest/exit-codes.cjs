#!/usr/bin/env node
// First step of `npm test`: proves that a failing forge test, an unformatted file and a bad cast / anvil call make
// the command that npm runs exit non-zero, and that their passing twins exit zero. It runs the tools exactly as the
// npm scripts do (`forge`, `cast`, `anvil` from node_modules/.bin on npm's PATH). If a package upgrade or an
// `npm install <pkg>` ever brings back a launcher that swallows exit codes, this fails loudly with the fix.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const { TOOLS, nativeBinary } = require("../foundry.cjs");

const root = path.resolve(__dirname, "..", "..");
const fixture = path.join(__dirname, "fixture");
const bin = path.join(root, "node_modules", ".bin");
const problems = [];

// 1. Each .bin entry is the native binary, not a launcher.
for (const tool of TOOLS) {
  const link = path.join(bin, tool);
  let real = "";
  try {
    real = fs.realpathSync(link);
  } catch {}
  if (real !== fs.realpathSync(nativeBinary(tool))) {
    problems.push(`node_modules/.bin/${tool} -> ${real || "(missing)"} is not the native binary. Fix: npm install (tools/postinstall.cjs relinks it)`);
  }
}

// 2. Exit codes, through the same PATH lookup as npm scripts.
const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, FOUNDRY_PROFILE: "default" };
// Each case: what, tool, args, expected exit (0 or "nonzero"), and a pattern its output must show, so a non-zero exit
// for the wrong reason (say, a missing compiler) cannot pass. forge runs inside the fixture (its solc path is relative).
const cases = [
  ["forge test, passing test", "forge", ["test", "--match-test", "test_passes"], 0, /1 passed; 0 failed/],
  ["forge test, failing test", "forge", ["test", "--match-test", "test_fails"], "nonzero", /deliberate failure/],
  ["forge fmt --check, formatted file", "forge", ["fmt", "--check", "fmt/Formatted.sol"], 0, /^$/],
  ["forge fmt --check, unformatted file", "forge", ["fmt", "--check", "fmt/Unformatted.sol"], "nonzero", /Unformatted\.sol/],
  ["cast, good call", "cast", ["to-uint256", "42"], 0, /0x0+2a/],
  ["cast, bad call", "cast", ["to-uint256", "not-a-number"], "nonzero", /rror/],
  ["anvil --version", "anvil", ["--version"], 0, /anvil/],
  ["anvil, unknown flag", "anvil", ["--no-such-flag"], "nonzero", /no-such-flag/],
];
for (const [what, tool, args, expected, pattern] of cases) {
  const t0 = Date.now();
  const r = spawnSync(tool, args, { env, cwd: fixture, encoding: "utf8" });
  const code = r.error ? `error ${r.error.code}` : r.status;
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  const exitOk = expected === 0 ? code === 0 : typeof code === "number" && code !== 0;
  const ok = exitOk && pattern.test(out);
  const want = expected === 0 ? "0" : "non-zero";
  process.stdout.write(`  ${ok ? "ok  " : "FAIL"} ${what}: exit ${code} (expected ${want}, ${Date.now() - t0} ms)\n`);
  if (!exitOk) problems.push(`${what}: \`${tool} ${args.join(" ")}\` exited ${code}, expected ${want}`);
  else if (!ok) problems.push(`${what}: output does not match ${pattern}:\n${out.split("\n").slice(-5).join("\n")}`);
}
fs.rmSync(path.join(fixture, "out"), { recursive: true, force: true });
fs.rmSync(path.join(fixture, "cache"), { recursive: true, force: true });

if (problems.length) {
  process.stderr.write(`\n[exit-code self-test] FAILED: a broken step could pass npm test\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
  process.exit(1);
}
process.stdout.write("[exit-code self-test] forge, cast and anvil exit codes reach npm\n");

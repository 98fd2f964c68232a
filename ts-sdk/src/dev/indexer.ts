// Starts the Strata indexer (indexer/, Ponder) on a deployment and a node, for tests, benchmarks and `npm run
// indexer`: its own database (PGlite in a directory, or PostgreSQL at a URL with a schema of its own), a free port,
// and stopped by PID afterwards. Node-only.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Deployment } from "../chain/deployment.ts";
import { StrataError } from "../errors.ts";
import { freePort } from "./anvil.ts";
import { REPO_ROOT } from "./artifacts.ts";

export class IndexerStartError extends StrataError {}

export const INDEXER_DIR = join(REPO_ROOT, "indexer");
const PONDER_BIN = join(INDEXER_DIR, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");

/** A running indexer. */
export interface RunningIndexer {
  url: string;
  pid: number | undefined;
  /** Everything it printed so far. */
  output: () => string;
  /** Resolves once it has indexed block `n` (its /status), or throws after `timeoutMs`. */
  waitForBlock: (n: number, timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
}

/** Whether the indexer's own install (indexer/node_modules) is there. */
export function indexerInstalled(): boolean {
  return existsSync(PONDER_BIN);
}

/**
 * Starts `ponder start` on `deployment` and `rpcUrl` and waits until it has finished its backfill (/ready).
 * `databaseUrl`: PostgreSQL (with `schema`, default a fresh one); otherwise PGlite in `dir` (default a fresh temporary
 * directory, removed by `stop`).
 */
export async function startIndexer(opts: {
  deployment: Deployment;
  rpcUrl: string;
  databaseUrl?: string;
  schema?: string;
  dir?: string;
  port?: number;
  pollingMs?: number;
  readyTimeoutMs?: number;
}): Promise<RunningIndexer> {
  if (!indexerInstalled()) throw new IndexerStartError(`the indexer is not installed (${PONDER_BIN} missing): run npm install --include=dev (it installs indexer/ too)`);
  const port = opts.port ?? (await freePort());
  const tmp = mkdtempSync(join(tmpdir(), "strata-indexer-"));
  const depFile = join(tmp, "deployment.json");
  writeFileSync(depFile, JSON.stringify({ ...opts.deployment, rpcUrl: opts.rpcUrl }));
  const schema = opts.schema ?? `strata_${process.pid}_${Date.now().toString(36)}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    STRATA_DEPLOYMENT: depFile,
    STRATA_RPC_URL: opts.rpcUrl,
    STRATA_INDEXER_DIR: opts.dir ?? join(tmp, "pglite"),
    STRATA_POLLING_MS: String(opts.pollingMs ?? 200),
    NO_COLOR: "1",
    PONDER_LOG_LEVEL: process.env.PONDER_LOG_LEVEL ?? "warn",
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_PRIVATE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  const child: ChildProcess = spawn(process.execPath, [PONDER_BIN, "start", "--schema", schema, "--port", String(port), "--log-format", "pretty"], {
    cwd: INDEXER_DIR,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr?.on("data", (b: Buffer) => (out += b.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await gone;
      clearTimeout(t);
    }
    if (!opts.dir) rmSync(tmp, { recursive: true, force: true });
    else rmSync(depFile, { force: true });
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new IndexerStartError(`the indexer exited with code ${child.exitCode} before it was ready:\n${out.slice(-4000)}`);
    }
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new IndexerStartError(`the indexer was not ready within ${opts.readyTimeoutMs ?? 120_000} ms:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const waitForBlock = async (n: number, timeoutMs = 30_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const block = await fetch(`${url}/status`).then(
        async (r) => (Object.values((await r.json()) as Record<string, { block?: { number: number } | null }>)[0]?.block?.number ?? -1) as number,
        () => -1,
      );
      if (block >= n) return;
      if (Date.now() > end) throw new IndexerStartError(`the indexer did not reach block ${n} within ${timeoutMs} ms (at ${block}):\n${out.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { url, pid: child.pid, output: () => out, waitForBlock, stop };
}

// `npm run indexer`: the Strata indexer (indexer/, Ponder) on a deployment file, next to `npm start -- --keep`.
//   npm run indexer                                   deployments/local.json, its rpcUrl, PGlite in indexer/.ponder
//   npm run indexer -- --deployment deployments/x.json --rpc http://127.0.0.1:8545 --port 42069
//   DATABASE_URL=postgres://… npm run indexer         the same project on PostgreSQL (schema strata_<code hash>, or --schema)
// GraphQL at http://127.0.0.1:<port>/graphql, SQL over HTTP at /sql/*; the app and `strata history` read it.
// A local chain restarted by `npm start -- --keep` reuses addresses and block numbers, and Ponder will not resume a
// database written by other indexing code: the embedded database is emptied when the deployment file describes
// another chain than the one it indexed, or the indexer's code changed; on PostgreSQL the default schema is
// `strata_<hash of the indexing code>`.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { installIndexer } = require("./indexer-install.cjs") as { installIndexer: (o?: object) => boolean };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const die = (msg: string): never => {
  process.stderr.write(`strata indexer: ${msg}\n`);
  process.exit(2);
};

const deploymentFile = resolve(arg("deployment") ?? process.env.STRATA_DEPLOYMENT ?? join(root, "deployments", "local.json"));
if (!existsSync(deploymentFile)) die(`no deployment file ${deploymentFile}: run \`npm start -- --keep\` first, or pass --deployment <file>`);
let dep: Record<string, unknown> = {};
try {
  dep = JSON.parse(readFileSync(deploymentFile, "utf8"));
} catch (e) {
  die(`${deploymentFile} is not JSON (${(e as Error).message})`);
}
/** A hash of the indexer's own files: Ponder refuses to resume a database written by other indexing code. */
function buildHash(): string {
  const h = createHash("sha256");
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) walk(join(p, f));
    else h.update(p).update(readFileSync(p));
  };
  for (const f of ["ponder.config.ts", "ponder.schema.ts", "src"]) walk(join(root, "indexer", f));
  h.update(readFileSync(join(root, "ts-sdk", "src", "generated", "abis.ts")));
  return h.digest("hex").slice(0, 8);
}
const build = buildHash();
const port = arg("port") ?? process.env.STRATA_INDEXER_PORT ?? "42069";
// PostgreSQL: one schema per version of the indexing code (Ponder will not resume a schema another version wrote)
const schema = arg("schema") ?? (process.env.DATABASE_URL ? `strata_${build}` : "strata");
const rpc = arg("rpc") ?? process.env.RPC_URL ?? (typeof dep.rpcUrl === "string" ? dep.rpcUrl : undefined);
if (!installIndexer()) die("installing indexer/ failed (see above). Fix: cd indexer && npm ci");

const dir = join(root, "indexer", ".ponder");
if (!process.env.DATABASE_URL) {
  const key = JSON.stringify([dep.chainId, dep.pool, dep.anvilPid ?? null, dep.startBlock ?? null, rpc ?? null, build]);
  const keyFile = join(dir, "deployment-key.json");
  const old = existsSync(keyFile) ? readFileSync(keyFile, "utf8") : null;
  if (existsSync(dir) && old !== key) {
    process.stderr.write("strata indexer: the deployment or the indexing code changed since the last run: emptying the embedded database (indexer/.ponder)\n");
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, key);
}
const env = { ...process.env, STRATA_DEPLOYMENT: deploymentFile, ...(rpc ? { STRATA_RPC_URL: rpc } : {}) };
const ponder = join(root, "indexer", "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");
process.stderr.write(
  `strata indexer: ${deploymentFile} on ${rpc ?? "http://127.0.0.1:8545"}, ${process.env.DATABASE_URL ? `PostgreSQL (DATABASE_URL, schema ${schema})` : "PGlite in indexer/.ponder/pglite"}; GraphQL on http://127.0.0.1:${port}/graphql\n`,
);
const child = spawn(process.execPath, [ponder, "start", "--schema", schema, "--port", port], { cwd: join(root, "indexer"), env, stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

// A throw-away PostgreSQL for the indexer's tests and benchmarks: tools/pg-local.sh on a free port in a fresh
// directory, stopped and removed afterwards. Node-only.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { freePort } from "./anvil.ts";
import { REPO_ROOT } from "./artifacts.ts";

/** A running PostgreSQL: its URL (user `strata`, trust auth, database `postgres`). */
export interface LocalPostgres {
  url: string;
  stop: () => void;
}

/** Debian's PostgreSQL binaries (/usr/lib/postgresql/<version>/bin), or null when the package is not installed. */
export function postgresBinDir(): string | null {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], "bin") : null;
}

/** Starts PostgreSQL with tools/pg-local.sh (a cluster in /tmp/strata-pg-<random>, removed by `stop`). */
export async function startPostgres(): Promise<LocalPostgres> {
  const port = await freePort();
  // directly under /tmp: as root the cluster runs as `postgres`, which must reach the directory
  const dir = `/tmp/strata-pg-${randomBytes(4).toString("hex")}`;
  const script = join(REPO_ROOT, "tools", "pg-local.sh");
  const url = execFileSync("bash", [script, "start", dir, String(port)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  return {
    url,
    stop: () => {
      try {
        execFileSync("bash", [script, "stop", dir], { stdio: "ignore" });
      } finally {
        rmSync(dir, { recursive: true, force: true });
        rmSync(`${dir}.initdb.log`, { force: true });
      }
    },
  };
}

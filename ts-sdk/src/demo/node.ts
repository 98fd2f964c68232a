// The demo's node: anvil on 8545 when --keep (so the README's commands need no port), else on a free port; and the
// rule that a second `npm start -- --keep` never replaces a chain the first one left running.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { PreconditionError } from "../errors.ts";
import { type Anvil, freePort, startAnvil } from "../dev/anvil.ts";

async function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once("error", () => res(false));
    s.listen(port, "127.0.0.1", () => s.close(() => res(true)));
  });
}

/** anvil on 8545 when free (--keep, so the README's commands need no port), else a free port; detached with --keep. */
export async function startNode(keep: boolean): Promise<Anvil> {
  const port = keep && (await portFree(8545)) ? 8545 : await freePort();
  return startAnvil([], { port, detached: keep });
}

/**
 * Refuses a second `npm start -- --keep` while the anvil the first one left is still running (`file` records its pid
 * and URL): a new one would rewrite the deployment file under a running app and CLI, which would then look at
 * different chains without a word. A stale record (its process gone) is simply replaced.
 */
export function checkNoKeptAnvil(file: string): void {
  if (!existsSync(file)) return;
  let kept: { anvilPid?: unknown; rpcUrl?: unknown };
  try {
    kept = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return; // not a record of ours: the deployment below rewrites it
  }
  const pid = Number(kept.anvilPid);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0); // signal 0: does the process exist (and may we signal it)?
  } catch {
    return;
  }
  throw new PreconditionError(
    `an anvil kept by an earlier \`npm start -- --keep\` is still running (pid ${pid}, ${String(kept.rpcUrl)}, recorded in ${file}): ` +
      `stop it first (kill ${pid}) so the app and the CLI do not end up on different chains, or run \`npm start\` without --keep`,
  );
}

/** Records the kept node in the deployment file `file` (its URL and pid), for the CLI, the app and the next `--keep`. */
export function recordKeptNode(file: string, node: Anvil): void {
  const dep = JSON.parse(readFileSync(file, "utf8"));
  writeFileSync(file, `${JSON.stringify({ ...dep, rpcUrl: node.url, anvilPid: node.pid }, null, 2)}\n`);
}

// Starts a real anvil node on a free loopback port, and stops it by PID afterwards. Shared by the SDK tests and the
// CLI (`strata demo`). Also locates forge, from the same npm toolchain.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { StrataError } from "../errors.ts";

const require = createRequire(import.meta.url);

export { ANVIL_KEYS } from "../chain/signers.ts";

export class AnvilError extends StrataError {}

function toolBinary(tool: "anvil" | "forge" | "cast"): string {
  return join(dirname(require.resolve(`@foundry-rs/${tool}-linux-amd64/package.json`)), "bin", tool);
}

export function anvilBinary(): string {
  return toolBinary("anvil");
}

export function forgeBinary(): string {
  return toolBinary("forge");
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Anvil {
  url: string;
  pid: number | undefined;
  stop: () => Promise<void>;
}

/**
 * anvil on `opts.port` (default: a free port) with `extraArgs`, once it answers JSON-RPC. `detached`: the node is not
 * a child of this process's group and survives it (the demo's `--keep`).
 */
export async function startAnvil(extraArgs: string[] = [], opts: { port?: number; detached?: boolean } = {}): Promise<Anvil> {
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(anvilBinary(), ["--host", "127.0.0.1", "--port", String(port), "--silent", ...extraArgs], {
    stdio: "ignore",
    detached: opts.detached ?? false,
  });
  if (opts.detached) child.unref();
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new AnvilError(`anvil exited with code ${child.exitCode} before answering on ${url}`);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
      });
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new AnvilError(`anvil did not answer on ${url} within 15 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      });
    },
  };
}

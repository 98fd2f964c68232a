// Deploying with the repository's forge script (node only, inside the repo checkout).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { forgeBinary } from "./anvil.ts";
import { REPO_ROOT } from "./artifacts.ts";
import { type Deployment, parseDeployment } from "../chain/deployment.ts";
import { StrataError } from "../errors.ts";
import { readFileSync, writeFileSync } from "node:fs";



export class ForgeError extends StrataError {}

/**
 * Runs `forge script script/Deploy.s.sol --broadcast --slow` against `rpcUrl`; returns the deployment it wrote.
 * `--slow` sends each transaction once the previous one is mined: without it forge sends them all at once, and under
 * load a few were seen never to reach anvil (the node then held the later nonces queued behind the gap, and forge
 * waited for receipts forever; seen in CI). On anvil it costs nothing (about 1 s either way).
 */
/** The node's latest block number (one JSON-RPC call). */
async function blockNumber(rpcUrl: string): Promise<number> {
  const res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }) });
  const body = (await res.json()) as { result?: string };
  return Number(body.result ?? 0);
}

export async function deployWithForge(rpcUrl: string, privateKey: string, network: string, name: string, timeoutMs = 150_000): Promise<Deployment> {
  const args = ["script", "script/Deploy.s.sol", "--rpc-url", rpcUrl, "--private-key", privateKey, "--broadcast", "--slow"];
  // The first block the deployment can have emitted in: recorded as `startBlock` for the indexer (indexer/).
  const startBlock = (await blockNumber(rpcUrl)) + 1;
  const output = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn(forgeBinary(), args, {
      cwd: REPO_ROOT,
      env: { ...process.env, NETWORK: network, DEPLOYMENT: name, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    // a script that stalls (a compilation it should not need, a node that stops answering) fails with what forge
    // printed so far instead of hanging its caller
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new ForgeError(`forge script did not finish within ${timeoutMs / 1000} s; its output so far:\n${out.split("\n").slice(-30).join("\n")}`));
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(out);
      else reject(new ForgeError(`forge script failed (exit ${code}):\n${out.split("\n").slice(-30).join("\n")}`));
    });
  });
  if (!/ONCHAIN EXECUTION COMPLETE & SUCCESSFUL/.test(output)) throw new ForgeError(`forge script did not broadcast:\n${output}`);
  const path = join(REPO_ROOT, "deployments", `${name}.json`);
  const raw = { ...JSON.parse(readFileSync(path, "utf8")), startBlock };
  writeFileSync(path, `${JSON.stringify(raw, null, 2)}\n`);
  return parseDeployment(raw, path);
}

// Deploying with the repository's forge script (node only, inside the repo checkout).
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { forgeBinary } from "./anvil.ts";
import { type Deployment, parseDeployment } from "./deployment.ts";
import { StrataError } from "./errors.ts";
import { readFileSync } from "node:fs";

/** The repository root (ts-sdk/src/../..). */
export const REPO_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..");

export class ForgeError extends StrataError {}

/** Runs `forge script script/Deploy.s.sol --broadcast` against `rpcUrl`; returns the deployment it wrote. */
export async function deployWithForge(rpcUrl: string, privateKey: string, network: string, name: string): Promise<Deployment> {
  const args = ["script", "script/Deploy.s.sol", "--rpc-url", rpcUrl, "--private-key", privateKey, "--broadcast"];
  const output = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn(forgeBinary(), args, {
      cwd: REPO_ROOT,
      env: { ...process.env, NETWORK: network, DEPLOYMENT: name, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolvePromise(out) : reject(new ForgeError(`forge script failed (exit ${code}):\n${out.split("\n").slice(-30).join("\n")}`)),
    );
  });
  if (!/ONCHAIN EXECUTION COMPLETE & SUCCESSFUL/.test(output)) throw new ForgeError(`forge script did not broadcast:\n${output}`);
  const path = join(REPO_ROOT, "deployments", `${name}.json`);
  return parseDeployment(JSON.parse(readFileSync(path, "utf8")), path);
}

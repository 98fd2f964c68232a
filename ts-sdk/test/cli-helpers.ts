// Spawning the `strata` CLI as a process (ts-sdk/bin/strata.mjs), as a user would, against a real anvil.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../src/dev/artifacts.ts";

export const BIN = join(REPO_ROOT, "ts-sdk", "bin", "strata.mjs");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `strata ...args` with `env` added; resolves with its exit code and output. */
export function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The one error line a failed command prints (its last stderr line starting with "strata:" or "error:"). */
export function errorLine(r: CliResult): string {
  const lines = r.stderr.trim().split("\n").filter((l) => /^(strata|error):/.test(l));
  return lines[lines.length - 1] ?? "";
}

/** Runs a bash snippet (README blocks) from the repository root. */
export function bash(script: string, env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", script], { cwd: REPO_ROOT, env: { ...process.env, ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

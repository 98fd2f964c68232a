// Reads forge's build artifacts (out/<File>.sol/<Contract>.json): ABI and creation bytecode.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { StrataError } from "../errors.ts";

export const REPO_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..");

export interface Artifact {
  abi: unknown[];
  bytecode: string;
}

export class ArtifactNotFoundError extends StrataError {}

export function loadArtifact(contract: string, file = `${contract}.sol`, outDir = join(REPO_ROOT, "out")): Artifact {
  const path = join(outDir, file, `${contract}.json`);
  if (!existsSync(path)) throw new ArtifactNotFoundError(`no build artifact at ${path}: run \`forge build\` first`);
  const json = JSON.parse(readFileSync(path, "utf8")) as { abi: unknown[]; bytecode: { object: string } };
  return { abi: json.abi, bytecode: json.bytecode.object };
}

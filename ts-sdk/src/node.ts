// Node-only helpers (`@strata-protocol/sdk/node`): deployment and proposal files, keystores, and the local toolchain
// (anvil, forge). The main entry stays browser-safe.
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { type Provider, Wallet, getAddress, id as keccakUtf8, isAddress } from "ethers";
import { type Deployment, DeploymentError, loadDeployment, parseDeployment } from "./chain/deployment.ts";
import { RarityInputError, type TokenRarity, parseRarityInput, rarityForToken } from "./math/rarity.ts";

function readJson(path: string, what: string): unknown {
  const file = isAbsolute(path) ? path : join(process.cwd(), path);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch (e) {
    throw new DeploymentError(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

/** Reads and validates deployments/<name>.json (no chain check: see `readDeploymentFor`). */
export function readDeployment(path: string): Deployment {
  return parseDeployment(readJson(path, "deployment"), path);
}

/** Reads a deployment file and refuses it unless `provider` is on its chain. */
export async function readDeploymentFor(path: string, provider: Provider): Promise<Deployment> {
  return loadDeployment(readJson(path, "deployment"), provider, path);
}

/**
 * `tokenId`'s rarity from a file a borrower has: the collection's rarity list (config/rarity/*.json, its proof built
 * as the chain checks it, with the list's root), a tree dump, or one token's proof (`parseRarityInput`).
 */
export function readRarityProof(file: string, tokenId: bigint): TokenRarity {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new RarityInputError(`cannot read rarity file ${file}: ${(e as Error).message}`);
  }
  return rarityForToken(parseRarityInput(text, file), tokenId);
}

/** Decrypts an encrypted JSON keystore into a wallet connected to `provider`. */
export async function walletFromKeystore(path: string, password: string, provider: Provider): Promise<Wallet> {
  const json = readFileSync(path, "utf8");
  const w = await Wallet.fromEncryptedJson(json, password);
  return new Wallet(w.privateKey, provider);
}

export interface TimelockBatch {
  description: string;
  targets: string[];
  values: bigint[];
  payloads: string[];
  predecessor: string;
  salt: string;
}

/** Loads a proposal file exactly as script/governance/TimelockBatch.sol does (salt = keccak256(description)). */
export function readProposal(path: string, d: Deployment, root = process.cwd()): TimelockBatch {
  const file = isAbsolute(path) ? path : join(root, path);
  const p = readJson(file, "proposal") as {
    description: string;
    calls: { target: string; value?: number | string; signature?: string; data: string }[];
  };
  if (!p.calls?.length) throw new DeploymentError(`${file}: no calls`);
  const targets = p.calls.map((c) => {
    if (isAddress(c.target)) return getAddress(c.target);
    const a = (d as unknown as Record<string, unknown>)[c.target];
    if (typeof a !== "string" || !isAddress(a)) throw new DeploymentError(`${file}: unknown target "${c.target}"`);
    return a;
  });
  p.calls.forEach((c, i) => {
    if (c.signature && c.data.slice(0, 10).toLowerCase() !== keccakUtf8(c.signature).slice(0, 10)) {
      throw new DeploymentError(`${file}: call ${i} data does not match its signature ${c.signature}`);
    }
  });
  return {
    description: p.description,
    targets,
    values: p.calls.map((c) => BigInt(c.value ?? 0)),
    payloads: p.calls.map((c) => c.data),
    predecessor: `0x${"00".repeat(32)}`,
    salt: keccakUtf8(p.description),
  };
}

export { ANVIL_KEYS, type Anvil, anvilBinary, forgeBinary, freePort, startAnvil } from "./dev/anvil.ts";
export { deployWithForge } from "./dev/forge.ts";

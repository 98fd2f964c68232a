// A Strata deployment as written by script/Deploy.s.sol (deployments/<name>.json), its contracts bound to ethers,
// and the timelock proposal format shared with script/governance/*.s.sol (proposals/*.json).
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { Contract, type ContractRunner, getAddress, id as keccakUtf8, isAddress } from "ethers";
import { REPO_ROOT, loadArtifact } from "./artifacts.ts";
import { StrataError } from "./errors.ts";

export class DeploymentError extends StrataError {}

export interface Deployment {
  chainId: number;
  deployer: string;
  asset: string;
  timelock: string;
  timelockDelay: number;
  oracle: string;
  registry: string;
  pool: string;
  seniorVault: string;
  juniorVault: string;
  liquidator: string;
  lens: string;
  /** The delegate.xyz v2 registry the pool delegates through (SPEC §3.7); absent or zero: delegation disabled. */
  delegateRegistry?: string;
  collections: string[];
  implementations: Record<string, string>;
}

const ADDRESS_KEYS = ["asset", "timelock", "oracle", "registry", "pool", "seniorVault", "juniorVault", "liquidator", "lens"] as const;

export function readDeployment(path: string): Deployment {
  const file = isAbsolute(path) ? path : join(process.cwd(), path);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new DeploymentError(`cannot read deployment ${file}: ${(e as Error).message}`);
  }
  for (const k of ADDRESS_KEYS) {
    if (typeof raw[k] !== "string" || !isAddress(raw[k])) throw new DeploymentError(`${file}: "${k}" is not an address`);
  }
  const reg = raw.delegateRegistry;
  if (reg !== undefined && (typeof reg !== "string" || !isAddress(reg))) {
    throw new DeploymentError(`${file}: "delegateRegistry" is not an address`);
  }
  if (reg === undefined || BigInt(reg as string) === 0n) delete raw.delegateRegistry;
  return raw as unknown as Deployment;
}

export interface StrataContracts {
  pool: Contract;
  senior: Contract;
  junior: Contract;
  registry: Contract;
  oracle: Contract;
  timelock: Contract;
  liquidator: Contract;
  lens: Contract;
  asset: Contract;
}

const abi = (name: string, file?: string) => loadArtifact(name, file).abi as never;

export function bind(d: Deployment, runner: ContractRunner): StrataContracts {
  return {
    pool: new Contract(d.pool, abi("StrataPool"), runner),
    senior: new Contract(d.seniorVault, abi("TrancheVault"), runner),
    junior: new Contract(d.juniorVault, abi("TrancheVault"), runner),
    registry: new Contract(d.registry, abi("CollectionRegistry"), runner),
    oracle: new Contract(d.oracle, abi("AppraisalOracle"), runner),
    timelock: new Contract(d.timelock, abi("TimelockController"), runner),
    liquidator: new Contract(d.liquidator, abi("DutchAuctionLiquidator"), runner),
    lens: new Contract(d.lens, abi("StrataLens"), runner),
    // DevStablecoin's ABI is a superset of ERC-20's; mint only exists on a dev asset
    asset: new Contract(d.asset, abi("DevStablecoin"), runner),
  };
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
export function readProposal(path: string, d: Deployment): TimelockBatch {
  const file = isAbsolute(path) ? path : join(REPO_ROOT, path);
  const p = JSON.parse(readFileSync(file, "utf8")) as {
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

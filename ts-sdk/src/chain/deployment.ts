// A Strata deployment as written by script/Deploy.s.sol (deployments/<name>.json), validated, and checked against the
// chain it is used on (a file for another chain is refused). Browser-safe: reading files is in node.ts.
import { type Provider, getAddress, isAddress } from "ethers";
import { ChainMismatchError, DeploymentError } from "../errors.ts";

export { DeploymentError };

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
  /** The first block the deployment's contracts can have emitted events in (where an indexer starts); absent: 0. */
  startBlock?: number;
  implementations: Record<string, string>;
  /** The Safe holding the timelock's proposer, canceller and executor roles, when the deployment created one (local). */
  governanceSafe?: string;
  /** The guardian Safe, when the deployment created one (local). */
  guardianSafe?: string;
  /** The Safe 1.4.1 contracts the deployment created (local chain; elsewhere the canonical deployments are used). */
  safe?: { version: string; singleton: string; proxyFactory: string; fallbackHandler: string; multiSendCallOnly: string };
}

export const DEPLOYMENT_ADDRESS_KEYS = ["asset", "timelock", "oracle", "registry", "pool", "seniorVault", "juniorVault", "liquidator", "lens"] as const;

/** Validates a parsed deployment object (from a file, a fetch, an import); `source` names it in errors. */
export function parseDeployment(raw: unknown, source = "deployment"): Deployment {
  if (!raw || typeof raw !== "object") throw new DeploymentError(`${source}: not a JSON object`);
  const r = raw as Record<string, unknown>;
  const chainId = Number(r.chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new DeploymentError(`${source}: "chainId" is missing or not a positive integer`);
  const out: Record<string, unknown> = { ...r, chainId, timelockDelay: Number(r.timelockDelay ?? 0) };
  for (const k of DEPLOYMENT_ADDRESS_KEYS) {
    if (typeof r[k] !== "string" || !isAddress(r[k])) throw new DeploymentError(`${source}: "${k}" is not an address`);
    out[k] = getAddress(r[k] as string);
  }
  const collections = r.collections ?? [];
  if (!Array.isArray(collections) || !collections.every((c) => typeof c === "string" && isAddress(c))) {
    throw new DeploymentError(`${source}: "collections" must be a list of addresses`);
  }
  out.collections = collections.map((c: string) => getAddress(c));
  if (r.startBlock !== undefined) {
    const sb = Number(r.startBlock);
    if (!Number.isSafeInteger(sb) || sb < 0) throw new DeploymentError(`${source}: "startBlock" is not a block number`);
    out.startBlock = sb;
  }
  out.implementations = (r.implementations as Record<string, string> | undefined) ?? {};
  const reg = r.delegateRegistry;
  if (reg !== undefined && (typeof reg !== "string" || !isAddress(reg))) {
    throw new DeploymentError(`${source}: "delegateRegistry" is not an address`);
  }
  for (const k of ["governanceSafe", "guardianSafe"] as const) {
    const v = r[k];
    if (v === undefined) continue;
    if (typeof v !== "string" || !isAddress(v)) throw new DeploymentError(`${source}: "${k}" is not an address`);
    if (BigInt(v) === 0n) delete out[k];
    else out[k] = getAddress(v);
  }
  if (r.safe !== undefined) {
    const s = r.safe as Record<string, unknown>;
    const keys = ["singleton", "proxyFactory", "fallbackHandler", "multiSendCallOnly"] as const;
    if (!s || typeof s !== "object" || !keys.every((k) => typeof s[k] === "string" && isAddress(s[k]))) {
      throw new DeploymentError(`${source}: "safe" must name the singleton, proxyFactory, fallbackHandler and multiSendCallOnly addresses`);
    }
    out.safe = { version: String(s.version ?? ""), ...Object.fromEntries(keys.map((k) => [k, getAddress(s[k] as string)])) };
  }
  if (reg === undefined || BigInt(reg as string) === 0n) delete out.delegateRegistry;
  else out.delegateRegistry = getAddress(reg as string);
  return out as unknown as Deployment;
}

/** Throws ChainMismatchError unless `provider` is on the deployment's chain. */
export async function checkChain(d: Deployment, provider: Provider, source = "deployment"): Promise<void> {
  const { chainId } = await provider.getNetwork();
  if (Number(chainId) !== d.chainId) throw new ChainMismatchError(d.chainId, Number(chainId), source);
}

/** `parseDeployment` then `checkChain`: the one way the clients accept a deployment. */
export async function loadDeployment(raw: unknown, provider: Provider, source = "deployment"): Promise<Deployment> {
  const d = parseDeployment(raw, source);
  await checkChain(d, provider, source);
  return d;
}

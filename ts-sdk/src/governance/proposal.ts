// Governance proposal files that name contracts and addresses by deployment key (proposals/*.json), resolved against
// a deployment at propose time, so a proposal written for one deployment can never act on another's addresses; and
// what a multisig proposer needs: the scheduleBatch / executeBatch calldata and a Safe Transaction Builder batch.
// Encoding goes through Governance.encode (generated ABIs); nothing here knows a protocol rule.
//
// {
//   "description": "unique text: keccak256(description) is the timelock salt",
//   "calls": [
//     { "target": "oracle", "function": "configureCollection",
//       "args": { "collection": "collections[0]", "window": 0, "maxDeviationBps": 5000, "maxAge": 86400 } },
//     { "target": "registry", "function": "configureCollection",
//       "args": { "collectionAddr": "collections[1]", "params": { "oracle": "oracle", "ltvBps": 4000, ...,
//                 "rarityRoot": { "rarityRootOf": "config/rarity/dev-collection-2.json" } } } }
//   ]
// }
//
// `target` is a deployment key (pool, registry, oracle, liquidator, seniorVault, juniorVault, timelock), never an
// address. `args` is an object keyed by the ABI's parameter names (structs as nested objects) or a positional array.
// An address argument is a deployment key ("pool", "collections[1]") or a literal address of an account; a literal
// address that holds code and is not part of the deployment is refused (the stale-address case: a contract of
// another deployment). Integers are JSON numbers or decimal strings. A bytes32 may be `{ "rarityRootOf": <file> }`:
// the root of the rarity list in that file (RarityTree of [{ tokenId, multiplierBps }]); an integer may be
// `{ "noProofRarityOf": <file> }`: that list's proof-less multiplier (its smallest, at most 1x, SPEC §3.4), the only
// form `registry.setNoProofRarity` accepts.
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { AbiCoder, Interface, type ParamType, type Provider, ZeroHash, getAddress, keccak256 as keccak, id as keccakUtf8, isAddress } from "ethers";
import type { Governance, GovernanceCall } from "../clients/governance.ts";
import { GOVERNANCE_TARGET_ABIS, type GovernanceTarget } from "../chain/contracts.ts";
import type { Deployment } from "../chain/deployment.ts";
import { DEPLOYMENT_ADDRESS_KEYS } from "../chain/deployment.ts";
import { StrataError } from "../errors.ts";
import * as abis from "../generated/abis.ts";
import { RarityTree } from "../math/rarity.ts";

/** A proposal that cannot be resolved against the deployment (unknown key, stale address, bad argument). */
export class ProposalError extends StrataError {}

const TARGET_ABIS: Record<GovernanceTarget, unknown> = GOVERNANCE_TARGET_ABIS;

export interface ProposalCallFile {
  target: string;
  function: string;
  args?: Record<string, unknown> | unknown[];
  value?: number | string;
  /** Raw calldata is refused: it can hold another deployment's addresses. */
  data?: string;
}

export interface ProposalFile {
  description: string;
  calls: ProposalCallFile[];
}

/** A proposal resolved against one deployment: the batch the timelock schedules. */
export interface ResolvedProposal {
  description: string;
  calls: GovernanceCall[];
  predecessor: string;
  salt: string;
  /** The deployment key each address argument came from (for display), per call. */
  keys: Record<string, string>[];
}

/** Reads and shape-checks a proposal file. */
export function readProposalFile(path: string, root = process.cwd()): ProposalFile {
  const file = isAbsolute(path) ? path : join(root, path);
  let p: ProposalFile;
  try {
    p = JSON.parse(readFileSync(file, "utf8")) as ProposalFile;
  } catch (e) {
    throw new ProposalError(`cannot read proposal ${file}: ${(e as Error).message}`);
  }
  if (typeof p.description !== "string" || p.description.length === 0) throw new ProposalError(`${path}: "description" is missing`);
  if (!Array.isArray(p.calls) || p.calls.length === 0) throw new ProposalError(`${path}: "calls" is empty`);
  p.calls.forEach((c, i) => {
    if (c.data !== undefined && c.function === undefined) {
      throw new ProposalError(
        `${path}: call ${i} has raw "data": name the function and its arguments by deployment key instead (raw calldata can hold another deployment's addresses)`,
      );
    }
    if (typeof c.function !== "string") throw new ProposalError(`${path}: call ${i} has no "function"`);
    if (typeof c.target !== "string") throw new ProposalError(`${path}: call ${i} has no "target"`);
    if (isAddress(c.target)) throw new ProposalError(`${path}: call ${i} target is a raw address ${c.target}: name it by deployment key (${Object.keys(TARGET_ABIS).join(", ")})`);
  });
  return p;
}

/** The address of deployment key `key` ("pool", "collections[1]", "implementations.pool"), or null. */
export function deploymentAddress(d: Deployment, key: string): string | null {
  const m = /^([A-Za-z]+)\[(\d+)\]$/.exec(key);
  if (m) {
    const list = (d as unknown as Record<string, unknown>)[m[1]];
    const v = Array.isArray(list) ? list[Number(m[2])] : undefined;
    return typeof v === "string" && isAddress(v) ? getAddress(v) : null;
  }
  const dot = /^implementations\.([A-Za-z]+)$/.exec(key);
  if (dot) {
    const v = d.implementations?.[dot[1]];
    return typeof v === "string" && isAddress(v) ? getAddress(v) : null;
  }
  const v = (d as unknown as Record<string, unknown>)[key];
  return typeof v === "string" && isAddress(v) ? getAddress(v) : null;
}

/** Every address a deployment names (contracts, collections, implementations), lower-cased. */
function deploymentAddresses(d: Deployment): Set<string> {
  const out = new Set<string>();
  for (const k of DEPLOYMENT_ADDRESS_KEYS) out.add((d[k] as string).toLowerCase());
  for (const c of d.collections) out.add(c.toLowerCase());
  for (const v of Object.values(d.implementations ?? {})) if (isAddress(v)) out.add(v.toLowerCase());
  return out;
}

interface ResolveCtx {
  d: Deployment;
  provider: Provider;
  root: string;
  where: string;
  known: Set<string>;
  keys: Record<string, string>;
}

/** The rarity list in `file` ([{ tokenId, multiplierBps }]), relative to the proposal root. */
function rarityList(file: string, ctx: ResolveCtx, where: string): RarityTree {
  const full = isAbsolute(file) ? file : join(ctx.root, file);
  let entries: { tokenId: number | string; multiplierBps: number | string }[];
  try {
    entries = JSON.parse(readFileSync(full, "utf8"));
  } catch (e) {
    throw new ProposalError(`${where}: cannot read rarity list ${full}: ${(e as Error).message}`);
  }
  return RarityTree.of(entries.map((e) => ({ tokenId: BigInt(e.tokenId), multiplierBps: BigInt(e.multiplierBps) })));
}

async function resolveValue(t: ParamType, v: unknown, ctx: ResolveCtx, path: string): Promise<unknown> {
  const where = `${ctx.where} argument ${path}`;
  if (v === undefined) throw new ProposalError(`${where} (${t.type}) is missing`);
  if (t.baseType === "tuple") {
    const comps = t.components ?? [];
    if (Array.isArray(v)) {
      if (v.length !== comps.length) throw new ProposalError(`${where}: ${comps.length} fields expected, got ${v.length}`);
      return Promise.all(comps.map((c, i) => resolveValue(c, v[i], ctx, `${path}.${c.name || i}`)));
    }
    if (typeof v !== "object" || v === null) throw new ProposalError(`${where}: a struct (object) is expected`);
    const o = v as Record<string, unknown>;
    const extra = Object.keys(o).filter((k) => !comps.some((c) => c.name === k));
    if (extra.length) throw new ProposalError(`${where}: unknown field(s) ${extra.join(", ")} (fields: ${comps.map((c) => c.name).join(", ")})`);
    return Promise.all(comps.map((c) => resolveValue(c, o[c.name], ctx, `${path}.${c.name}`)));
  }
  if (t.baseType === "array") {
    if (!Array.isArray(v)) throw new ProposalError(`${where}: an array is expected`);
    return Promise.all(v.map((x, i) => resolveValue(t.arrayChildren!, x, ctx, `${path}[${i}]`)));
  }
  if (t.type === "address") {
    if (typeof v !== "string") throw new ProposalError(`${where}: an address or a deployment key is expected`);
    if (isAddress(v)) {
      const a = getAddress(v);
      if (!ctx.known.has(a.toLowerCase())) {
        const code = await ctx.provider.getCode(a);
        if (code !== "0x") {
          throw new ProposalError(
            `${where} is ${a}, a contract that is not part of this deployment (stale address of another deployment?): name it by deployment key, e.g. "collections[0]"`,
          );
        }
      }
      return a;
    }
    const a = deploymentAddress(ctx.d, v);
    if (!a) throw new ProposalError(`${where}: "${v}" is neither an address nor a key of the deployment`);
    ctx.keys[path] = v;
    return a;
  }
  if (t.type === "bytes32" && typeof v === "object" && v !== null && "rarityRootOf" in v) {
    return rarityList(String((v as { rarityRootOf: unknown }).rarityRootOf), ctx, where).root;
  }
  if (t.baseType.startsWith("uint") && typeof v === "object" && v !== null && "noProofRarityOf" in v) {
    // SPEC §3.4: a borrow without a proof is priced at the list's smallest multiplier (never above 1x).
    return rarityList(String((v as { noProofRarityOf: unknown }).noProofRarityOf), ctx, where).noProofMultiplierBps;
  }
  if (ctx.where.endsWith("registry.setNoProofRarity") && path === "bps") {
    throw new ProposalError(
      `${where}: give { "noProofRarityOf": "<rarity file>" } (the list's smallest multiplier, computed here) instead of a number, so a larger one can never be proposed (SPEC §3.4)`,
    );
  }
  if (t.baseType.startsWith("uint") || t.baseType.startsWith("int")) {
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v)) throw new ProposalError(`${where}: ${v} is not a safe integer: write it as a decimal string`);
      return BigInt(v);
    }
    if (typeof v === "string" && /^-?\d+$/.test(v.replaceAll("_", ""))) return BigInt(v.replaceAll("_", ""));
    throw new ProposalError(`${where}: an integer is expected, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Resolves a proposal file against `d`: each call's target and address arguments by deployment key, each function
 * by name or signature in the target's ABI; then encodes it (Governance.encode's ABIs).
 */
export async function resolveProposal(p: ProposalFile, d: Deployment, provider: Provider, root = process.cwd()): Promise<ResolvedProposal> {
  const known = deploymentAddresses(d);
  const calls: GovernanceCall[] = [];
  const keys: Record<string, string>[] = [];
  for (const [i, c] of p.calls.entries()) {
    const abi = TARGET_ABIS[c.target as GovernanceTarget];
    if (!abi) throw new ProposalError(`call ${i}: unknown target "${c.target}" (one of ${Object.keys(TARGET_ABIS).join(", ")})`);
    const iface = new Interface(abi as never);
    const f = (() => {
      try {
        return iface.getFunction(c.function);
      } catch {
        return null;
      }
    })();
    if (!f) throw new ProposalError(`call ${i}: ${c.target} has no function ${c.function} (or the name is ambiguous: give the signature)`);
    const ctx: ResolveCtx = { d, provider, root, where: `call ${i} ${c.target}.${f.name}`, known, keys: {} };
    const raw = c.args ?? [];
    let values: unknown[];
    if (Array.isArray(raw)) {
      if (raw.length !== f.inputs.length) throw new ProposalError(`${ctx.where}: ${f.inputs.length} arguments expected, got ${raw.length}`);
      values = await Promise.all(f.inputs.map((inp, j) => resolveValue(inp, raw[j], ctx, inp.name || String(j))));
    } else {
      const extra = Object.keys(raw).filter((k) => !f.inputs.some((inp) => inp.name === k));
      if (extra.length) throw new ProposalError(`${ctx.where}: unknown argument(s) ${extra.join(", ")} (arguments: ${f.inputs.map((x) => x.name).join(", ")})`);
      values = await Promise.all(f.inputs.map((inp) => resolveValue(inp, raw[inp.name], ctx, inp.name)));
    }
    const data = iface.encodeFunctionData(f, values);
    const target = deploymentAddress(d, c.target);
    if (!target) throw new ProposalError(`call ${i}: the deployment has no "${c.target}"`);
    const label = `${c.target}.${f.name}(${f.inputs.map((inp) => `${inp.name}=${ctx.keys[inp.name] ?? short(values[f.inputs.indexOf(inp)])}`).join(", ")})`;
    calls.push({ target, value: BigInt(c.value ?? 0), data, label });
    keys.push(ctx.keys);
  }
  return { description: p.description, calls, predecessor: ZeroHash, salt: keccakUtf8(p.description), keys };
}

function short(v: unknown): string {
  if (Array.isArray(v)) return `(${v.map(short).join(", ")})`;
  return String(v);
}

const timelockIface = new Interface(abis.TimelockControllerAbi as never);

/** The calldata a proposer sends to the timelock to schedule `r` with `delay`, and an executor to execute it. */
export function timelockCalldata(r: ResolvedProposal, delay: bigint): { schedule: string; execute: string } {
  const t = r.calls.map((c) => c.target);
  const v = r.calls.map((c) => c.value);
  const p = r.calls.map((c) => c.data);
  return {
    schedule: timelockIface.encodeFunctionData("scheduleBatch", [t, v, p, r.predecessor, r.salt, delay]),
    execute: timelockIface.encodeFunctionData("executeBatch", [t, v, p, r.predecessor, r.salt]),
  };
}

/** The operation id the timelock gives `r` (hashOperationBatch, computed off chain). */
export function operationIdOf(r: ResolvedProposal): string {
  const enc = AbiCoder.defaultAbiCoder().encode(
    ["address[]", "uint256[]", "bytes[]", "bytes32", "bytes32"],
    [r.calls.map((c) => c.target), r.calls.map((c) => c.value), r.calls.map((c) => c.data), r.predecessor, r.salt],
  );
  return keccak(enc);
}

/**
 * A Safe Transaction Builder batch file (the JSON the Safe{Wallet} "Transaction Builder" app imports): one
 * transaction from the Safe to the timelock carrying `data` (scheduleBatch or executeBatch).
 */
export function safeBatchFile(opts: { chainId: number; timelock: string; data: string; name: string; description: string; safe?: string }): Record<string, unknown> {
  const tx = { to: getAddress(opts.timelock), value: "0", data: opts.data, contractMethod: null, contractInputsValues: null };
  return {
    version: "1.0",
    chainId: String(opts.chainId),
    createdAt: Date.now(),
    meta: {
      name: opts.name,
      description: opts.description,
      txBuilderVersion: "1.16.5",
      createdFromSafeAddress: opts.safe ?? "",
      createdFromOwnerAddress: "",
    },
    transactions: [tx],
  };
}

/** Resolves, then encodes through the Governance client of `gov` (same ABIs); a convenience for callers with a client. */
export async function proposalCalls(gov: Governance, p: ProposalFile, root = process.cwd()): Promise<ResolvedProposal> {
  return resolveProposal(p, gov.deployment, gov.provider, root);
}

// Where a fetch reads: the block every call of one fetch is pinned to, feature detection of the deployed ABI, token
// metadata read once, and the chunking of large reads.
import { PreconditionError } from "../errors.ts";
import { type BlockTag, type Provider, getAddress } from "ethers";
import { TrancheVaultAbi } from "../generated/abis.ts";

/** Where to read: a block number or tag (default: the latest block, pinned for every call of one fetch). */
export interface FetchOptions {
  blockTag?: BlockTag;
  /** The block already read by the caller (its number and timestamp): saves the fetch its own getBlock. */
  pinned?: { blockNumber: number; timestamp: bigint };
}

/** Whether the generated (source) ABI of a contract has function `name` (feature detection across versions). */
function abiHas(abi: readonly { type: string; name?: string }[], name: string): boolean {
  return abi.some((x) => x.type === "function" && x.name === name);
}
/** The deployed vaults have the junior notice period (the lender-protection change). */
export const HAS_NOTICE_PERIOD = abiHas(TrancheVaultAbi, "noticePeriod");
export const HAS_SERVICEABLE_AT = abiHas(TrancheVaultAbi, "serviceableAt");

export async function pinBlock(provider: Provider, blockTag: BlockTag | undefined, pinned?: FetchOptions["pinned"]): Promise<{ blockNumber: number; timestamp: bigint }> {
  if (pinned) return pinned;
  const block = await provider.getBlock(blockTag ?? "latest");
  if (!block) throw new PreconditionError(`block ${String(blockTag)} not found on this node`);
  return { blockNumber: block.number, timestamp: BigInt(block.timestamp) };
}

/**
 * Token metadata that no version of these contracts changes (the asset's decimals and symbol, a vault's decimals),
 * read once per provider and address instead of in every snapshot. A failed read is not kept.
 */
const METADATA = new WeakMap<Provider, Map<string, Promise<unknown>>>();
export function metadata<T>(provider: Provider, key: string, read: () => Promise<T>): Promise<T> {
  let m = METADATA.get(provider);
  if (!m) METADATA.set(provider, (m = new Map()));
  let p = m.get(key) as Promise<T> | undefined;
  if (!p) {
    p = read();
    m.set(key, p);
    p.catch(() => m.delete(key));
  }
  return p;
}

/** `ids` in consecutive slices of at most `size` (the chunks a batched read sends concurrently). */
export function chunked(ids: readonly bigint[], size: number): bigint[][] {
  const parts: bigint[][] = [];
  for (let i = 0; i < ids.length; i += size) parts.push(ids.slice(i, i + size));
  return parts;
}

/**
 * A decoder of addresses from 32-byte hex words (a topic or an ABI word: the address is the word's last 40 digits),
 * checksummed once per distinct word (a 10,000-loan book repeats a few collections and borrowers).
 */
export function addressDecoder(): (word: string) => string {
  const seen = new Map<string, string>();
  return (word: string) => {
    let a = seen.get(word);
    if (!a) {
      a = getAddress(`0x${word.slice(-40)}`);
      seen.set(word, a);
    }
    return a;
  };
}

// A token's rarity for the Borrow page, from what a borrower has: the collection's rarity list (the file `strata borrow
// open --rarity` reads, config/rarity/*.json), its tree dump (RarityTree.dump), or one token's proof. The proof comes
// from the SDK's RarityTree exactly as the CLI builds it (cli/borrow.ts `rarityFromFile`: `proofOrDefault` with the
// list's root), and is checked with the SDK's helpers, the ones Borrower.borrow runs before the NFT approval.
import {
  type CollectionInfo,
  InvalidRarityProofError,
  type RarityProofData,
  RarityRootMismatchError,
  RarityTree,
  type RarityTreeDump,
  borrowRarityBps,
  verifyRarityProof,
} from "@strata-protocol/sdk";

/** A loaded rarity input: a whole list (a tree), or one token's proof (tokenId when the input names it). */
export type RarityInput = { kind: "list"; tree: RarityTree } | { kind: "proof"; tokenId: bigint | null; data: RarityProofData };

/** A token's rarity as Borrower.quote / Borrower.borrow take it (`root`: the list's, checked against the collection's). */
export type TokenRarity = RarityProofData & { root?: string };

const EXPECTED = 'a rarity list [{ "tokenId": 1, "multiplierBps": 25000 }, …], a rarity tree dump, or one token\'s proof { "tokenId": 1, "multiplierBps": 25000, "proof": ["0x…"] }';

function bigintOf(v: unknown, what: string): bigint {
  if ((typeof v === "number" && Number.isSafeInteger(v)) || (typeof v === "string" && /^\d+$/.test(v.trim()))) return BigInt(v);
  throw new Error(`${what} must be a whole number, got ${JSON.stringify(v)}`);
}

/** Reads `text` (JSON) as a rarity input; `source` names it in errors. */
export function parseRarity(text: string, source: string): RarityInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source} is not JSON (${(e as Error).message}): expected ${EXPECTED}`);
  }
  if (Array.isArray(json)) {
    const entries = json.map((e: { tokenId?: unknown; multiplierBps?: unknown }, i) => ({
      tokenId: bigintOf(e?.tokenId, `${source} entry ${i} tokenId`),
      multiplierBps: bigintOf(e?.multiplierBps, `${source} entry ${i} multiplierBps`),
    }));
    return { kind: "list", tree: RarityTree.of(entries) };
  }
  const o = json as { format?: unknown; tokenId?: unknown; multiplierBps?: unknown; proof?: unknown } | null;
  if (o && o.format === "standard-v1") return { kind: "list", tree: RarityTree.load(o as RarityTreeDump) };
  if (o && o.multiplierBps !== undefined && Array.isArray(o.proof) && o.proof.every((h) => typeof h === "string" && /^0x[0-9a-fA-F]{64}$/.test(h))) {
    return {
      kind: "proof",
      tokenId: o.tokenId === undefined ? null : bigintOf(o.tokenId, `${source} tokenId`),
      data: { multiplierBps: bigintOf(o.multiplierBps, `${source} multiplierBps`), proof: o.proof as string[] },
    };
  }
  throw new Error(`${source}: expected ${EXPECTED}`);
}

/** `tokenId`'s rarity from `input`: from a list as the CLI builds it (a token without an entry gets an empty proof). */
export function rarityFor(input: RarityInput, tokenId: bigint): TokenRarity {
  if (input.kind === "list") return { ...input.tree.proofOrDefault(tokenId), root: input.tree.root };
  if (input.tokenId !== null && input.tokenId !== tokenId) throw new Error(`the rarity proof is for token ${input.tokenId}, not token ${tokenId}`);
  return input.data;
}

/**
 * The multiplier the chain would price `tokenId` at with `rarity` (SDK `borrowRarityBps`), after the checks
 * Borrower.borrow makes before anything is sent: a list's root must be the collection's (RarityRootMismatchError) and
 * a proof must verify against it (InvalidRarityProofError). Throws the SDK's error.
 */
export function checkedRarityBps(c: CollectionInfo, tokenId: bigint, rarity?: TokenRarity): bigint {
  if (rarity?.root !== undefined && rarity.root.toLowerCase() !== c.rarityRoot.toLowerCase()) throw new RarityRootMismatchError(rarity.root, c.rarityRoot);
  if (rarity && rarity.proof.length > 0 && !verifyRarityProof(c.rarityRoot, tokenId, rarity)) {
    throw new InvalidRarityProofError(tokenId, rarity.multiplierBps, c.rarityRoot);
  }
  return borrowRarityBps(c, tokenId, rarity);
}

// Rarity trees (SPEC §3, Appraisal): a collection's per-token multipliers, committed on chain as a Merkle root and
// proven per token at borrow time. Built with @openzeppelin/merkle-tree's StandardMerkleTree over
// ["uint256", "uint256"] entries (tokenId, multiplierBps), whose leaf is
// keccak256(bytes.concat(keccak256(abi.encode(tokenId, multiplierBps)))), exactly what
// src/oracle/RarityProof.sol verifies (proved against a chain in ts-sdk/test/rarity.test.ts).
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { StrataError } from "../errors.ts";

/** The multiplier of a token without a proof: 1x (RarityProof.DEFAULT_MULTIPLIER_BPS). */
export const DEFAULT_MULTIPLIER_BPS = 10_000n;
/** The leaf encoding of every rarity tree. */
export const RARITY_LEAF_ENCODING = ["uint256", "uint256"];

const MAX_UINT256 = (1n << 256n) - 1n;

export interface RarityEntry {
  tokenId: bigint;
  multiplierBps: bigint;
}

/** What the pool's `borrow` takes for a token: its multiplier and the Merkle proof of it. */
export interface RarityProofData {
  multiplierBps: bigint;
  proof: string[];
}

/** The token has no entry in the rarity tree. */
export class RarityTokenNotFoundError extends StrataError {
  readonly tokenId: bigint;
  constructor(tokenId: bigint, root: string) {
    super(`token ${tokenId} is not in the rarity tree ${root}; borrow without a proof to use the collection's proof-less multiplier`);
    this.tokenId = tokenId;
  }
}

/** A rarity list (file) whose root is not the collection's: its proofs would be refused on chain. */
export class RarityRootMismatchError extends StrataError {
  constructor(fileRoot: string, collectionRoot: string) {
    super(`the rarity list's root ${fileRoot} is not the collection's rarity root ${collectionRoot}: wrong or stale rarity file`);
  }
}

/** A rarity proof that does not verify against the collection's root (checked before anything is sent). */
export class InvalidRarityProofError extends StrataError {
  constructor(tokenId: bigint, multiplierBps: bigint, root: string) {
    super(`the rarity proof of token ${tokenId} at ${Number(multiplierBps) / 10_000}x does not verify against the collection's root ${root}`);
  }
}

/**
 * Whether `data` proves `tokenId`'s multiplier against `root` (RarityProof.sol `verify`: a zero root verifies
 * nothing; an empty proof proves nothing).
 */
export function verifyRarityProof(root: string, tokenId: bigint, data: RarityProofData): boolean {
  if (/^0x0*$/.test(root) || data.proof.length === 0) return false;
  return StandardMerkleTree.verify(root, RARITY_LEAF_ENCODING, [tokenId.toString(), data.multiplierBps.toString()], data.proof);
}

/** The entries cannot form a valid rarity tree (empty, duplicate token, value out of uint256 range). */
export class RarityTreeError extends StrataError {}

type Leaf = [string, string];
/** The library's JSON dump (format "standard-v1") of a rarity tree. */
export type RarityTreeDump = ReturnType<StandardMerkleTree<Leaf>["dump"]>;

export class RarityTree {
  readonly #tree: StandardMerkleTree<Leaf>;
  readonly #index: Map<bigint, number>;

  private constructor(tree: StandardMerkleTree<Leaf>) {
    this.#tree = tree;
    this.#index = new Map();
    for (const [i, [tokenId]] of tree.entries()) {
      const id = BigInt(tokenId);
      if (this.#index.has(id)) throw new RarityTreeError(`token ${id} appears twice in the rarity tree`);
      this.#index.set(id, i);
    }
  }

  /** Builds the tree of `entries` (one per token). */
  static of(entries: readonly RarityEntry[]): RarityTree {
    if (entries.length === 0) throw new RarityTreeError("a rarity tree needs at least one entry");
    const leaves: Leaf[] = entries.map(({ tokenId, multiplierBps }) => {
      for (const [name, v] of [["tokenId", tokenId], ["multiplierBps", multiplierBps]] as const) {
        if (typeof v !== "bigint" || v < 0n || v > MAX_UINT256) {
          throw new RarityTreeError(`${name} must be a uint256 bigint, got ${String(v)}`);
        }
      }
      return [tokenId.toString(), multiplierBps.toString()];
    });
    return new RarityTree(StandardMerkleTree.of(leaves, RARITY_LEAF_ENCODING));
  }

  /** Restores a tree saved with `dump()`. */
  static load(data: RarityTreeDump): RarityTree {
    return new RarityTree(StandardMerkleTree.load(data));
  }

  /** The Merkle root governance sets for the collection (0x-prefixed, 32 bytes). */
  get root(): string {
    return this.#tree.root;
  }

  /** Number of tokens in the tree. */
  get size(): number {
    return this.#index.size;
  }

  /** Whether `tokenId` has an entry. */
  has(tokenId: bigint): boolean {
    return this.#index.has(tokenId);
  }

  /** The multiplier and proof of `tokenId`; throws RarityTokenNotFoundError when it has no entry. */
  proofFor(tokenId: bigint): RarityProofData {
    const i = this.#index.get(tokenId);
    if (i === undefined) throw new RarityTokenNotFoundError(tokenId, this.root);
    const [, multiplierBps] = this.#tree.at(i) as Leaf;
    return { multiplierBps: BigInt(multiplierBps), proof: this.#tree.getProof(i) };
  }

  /**
   * Like `proofFor`, but a token without an entry gets an empty proof, priced on chain at the collection's proof-less
   * multiplier (`noProofMultiplierBps`, SPEC §3.4).
   */
  proofOrDefault(tokenId: bigint): RarityProofData {
    return this.has(tokenId) ? this.proofFor(tokenId) : { multiplierBps: this.noProofMultiplierBps, proof: [] };
  }

  /**
   * The multiplier a borrow without a proof gets against this list (SPEC §3.4, CollectionRegistry
   * `setNoProofRarity`): the list's smallest multiplier, never above 1x, so leaving a proof out never prices a token
   * above what the list says.
   */
  get noProofMultiplierBps(): bigint {
    let m = DEFAULT_MULTIPLIER_BPS;
    for (const [, [, bps]] of this.#tree.entries()) if (BigInt(bps) < m) m = BigInt(bps);
    return m;
  }

  /** JSON-serialisable form (the library's standard-v1 format), for `RarityTree.load`. */
  dump(): RarityTreeDump {
    return this.#tree.dump();
  }
}

/** Builds the rarity tree of `entries`; see `RarityTree.of`. */
export function buildRarityTree(entries: readonly RarityEntry[]): RarityTree {
  return RarityTree.of(entries);
}

// ---------------------------------------------------------------------------------------------- a borrower's input

/** A rarity input that is none of the accepted shapes (named by its source), or a proof for another token. */
export class RarityInputError extends StrataError {}

/** A loaded rarity input: a whole list (a tree), or one token's proof (tokenId when the input names it). */
export type RarityInput = { kind: "list"; tree: RarityTree } | { kind: "proof"; tokenId: bigint | null; data: RarityProofData };

/** A token's rarity as Borrower.quote / Borrower.borrow take it (`root`: the list's, checked against the collection's). */
export type TokenRarity = RarityProofData & { root?: string };

const EXPECTED = 'a rarity list [{ "tokenId": 1, "multiplierBps": 25000 }, …], a rarity tree dump, or one token\'s proof { "tokenId": 1, "multiplierBps": 25000, "proof": ["0x…"] }';

function bigintOf(v: unknown, what: string): bigint {
  if ((typeof v === "number" && Number.isSafeInteger(v)) || (typeof v === "string" && /^\d+$/.test(v.trim()))) return BigInt(v);
  throw new RarityInputError(`${what} must be a whole number, got ${JSON.stringify(v)}`);
}

/** Reads `text` (JSON) as a rarity input; `source` names it in errors. */
export function parseRarityInput(text: string, source: string): RarityInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RarityInputError(`${source} is not JSON (${(e as Error).message}): expected ${EXPECTED}`);
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
  throw new RarityInputError(`${source}: expected ${EXPECTED}`);
}

/** `tokenId`'s rarity from `input`: from a list as the CLI builds it (a token without an entry gets an empty proof). */
export function rarityForToken(input: RarityInput, tokenId: bigint): TokenRarity {
  if (input.kind === "list") return { ...input.tree.proofOrDefault(tokenId), root: input.tree.root };
  if (input.tokenId !== null && input.tokenId !== tokenId) throw new RarityInputError(`the rarity proof is for token ${input.tokenId}, not token ${tokenId}`);
  return input.data;
}

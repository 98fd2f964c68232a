// The pool's ERC-7201 storage read directly: its O(1) accounting words (generated layout), and the StorageReader
// (script/sdk/StorageReader.sol placed at the pool's address by an eth_call state override) for loan records.
import { rpcSend } from "../chain/rpc.ts";
import { DecoderError } from "../errors.ts";
import { Interface, toBeHex, type Provider } from "ethers";
import { StorageReaderAbi, StorageReaderRuntime } from "../generated/abis.ts";
import { LOAN_TERMS_FIELDS, POOL_STORAGE_BASE, POOL_STORAGE_FIELDS, STORED_LOAN_FIELDS } from "../generated/layout.ts";

type Field = keyof typeof POOL_STORAGE_FIELDS;
export const BASE = BigInt(POOL_STORAGE_BASE);

export function field(words: Map<number, bigint>, name: Field, index = 0): bigint {
  const f = POOL_STORAGE_FIELDS[name];
  const word = words.get(f.slot);
  if (word === undefined) throw new DecoderError(`storage slot of ${name} not read`);
  // Fixed arrays of uint128 pack two per slot (element i at byte offset 16 * i).
  const bytes = name === "supply" || name === "pendingShares" ? 16 : f.bytes;
  const offset = f.offset + bytes * index;
  return (word >> BigInt(offset * 8)) & ((1n << BigInt(bytes * 8)) - 1n);
}

/**
 * `seniorAccrualMode` (0.3): one byte in the senior slot's free bytes, right after `seniorRate`. The generated layout
 * is the last release's (storage-layout/StrataPool.json), which predates the field; its position follows from
 * `seniorRate`'s, and `entities.property.test.ts` checks the claim it drives against the chain.
 */
export function seniorAccrualMode(words: Map<number, bigint>): number {
  return Number(bytesAfter(words, "seniorRate", 1));
}

/**
 * `bytes` bytes right after pool field `name` in its slot: where a release appended a field in a slot's free bytes,
 * which the generated layout (the last release's) does not list.
 */
function bytesAfter(words: Map<number, bigint>, name: Field, bytes: number): bigint {
  const f = POOL_STORAGE_FIELDS[name];
  const word = words.get(f.slot);
  if (word === undefined) throw new DecoderError(`storage slot of ${name} not read`);
  return (word >> BigInt((f.offset + f.bytes) * 8)) & ((1n << BigInt(bytes * 8)) - 1n);
}

/**
 * The next loan id (0.4): `loanIdCursor`, 4 bytes in the accrual slot's free bytes right after `impairedCount`, once
 * the first borrow since 0.4 has moved it there; before that the legacy `nextLoanId` (`LoanStore.nextId`). The
 * generated layout is the last release's, which predates the cursor; its position follows from `impairedCount`'s.
 */
export function nextLoanId(words: Map<number, bigint>): bigint {
  const cursor = bytesAfter(words, "impairedCount", 4);
  return cursor !== 0n ? cursor : field(words, "nextLoanId");
}

const POOL_FIELDS: Field[] = [
  "impairedBook",
  "cash",
  "totalPrincipal",
  "rateSum",
  "impairedCount",
  "rateTimeSum",
  "seniorClaim",
  "seniorLastUpdate",
  "seniorRate",
  "protocolFees",
  "minJuniorRatioBps",
  "originationFeeBps",
  "protocolFeeBps",
  "gracePeriod",
  "borrowsPaused",
  "depositsPaused",
  "nextLoanId",
  "supply",
  "pendingShares",
];

/** Reads the pool's accounting words (one eth_getStorageAt per slot, batched). */
export async function readPoolStorage(provider: Provider, pool: string, blockTag: number): Promise<Map<number, bigint>> {
  const slots = [...new Set(POOL_FIELDS.map((f) => POOL_STORAGE_FIELDS[f].slot))];
  const words = await Promise.all(slots.map((s) => provider.getStorage(pool, toBeHex(BASE + BigInt(s), 32), blockTag)));
  return new Map(slots.map((s, i) => [s, BigInt(words[i])]));
}

const readerIface = new Interface(StorageReaderAbi as never);

/** Extracts a packed field of a storage struct from its words (layout generated from the release layout). */

export function packed(words: readonly bigint[], f: { slot: number; offset: number; bytes: number }): bigint {
  return (words[f.slot] >> BigInt(f.offset * 8)) & ((1n << BigInt(f.bytes * 8)) - 1n);
}

/** Decodes `count` words per entry from an ABI `bytes32[]` that starts at hex word `at` (its length word). */
function wordsAt(hex: string, at: number, entries: number, count: number): bigint[][] {
  const out: bigint[][] = [];
  for (let i = 0; i < entries; i++) {
    const entry: bigint[] = [];
    for (let j = 0; j < count; j++) {
      const k = at + 1 + i * count + j;
      entry.push(BigInt(`0x${hex.slice(2 + k * 64, 2 + (k + 1) * 64)}`));
    }
    out.push(entry);
  }
  return out;
}

/** An eth_call to the pool's address with its code replaced by the StorageReader's (a state override). */
function readerCall(provider: Provider, pool: string, data: string, blockTag: number): Promise<string> {
  return rpcSend<string>(provider, "eth_call", [{ to: pool, data }, toBeHex(blockTag), { [pool]: { code: StorageReaderRuntime } }]);
}

const slotOf = (field: "loans" | "terms" | "collectionAt") => toBeHex(BASE + BigInt(POOL_STORAGE_FIELDS[field].slot), 32);

/**
 * `StorageReader.readMapping` run with the pool's storage: an eth_call to the pool's address with its code replaced
 * by the reader's (a state override, supported by anvil, geth, reth and most RPC providers). One call frame per
 * batch instead of two per loan.
 */
export async function readPoolMapping(provider: Provider, pool: string, field: "loans" | "terms" | "collectionAt", keys: readonly bigint[], count: number, blockTag: number): Promise<bigint[][]> {
  if (keys.length === 0) return [];
  const hex = await readerCall(provider, pool, readerIface.encodeFunctionData("readMapping", [slotOf(field), keys, count]), blockTag);
  const n = Number(BigInt(`0x${hex.slice(66, 130)}`));
  if (n !== keys.length * count) throw new DecoderError(`StorageReader returned ${n} words for ${keys.length} x ${count}`);
  return wordsAt(hex, 1, keys.length, count);
}

export const STORED_LOAN_WORDS = 3;

/**
 * The loan record's formats, mirroring `LoanStore.sol` (issue #30): the top byte of StoredLoan's second word, which no
 * field of the last release's layout declares. LEGACY (0, loans made before 0.4): the collection is
 * `collectionAt[collectionId]` and the token id the third word. INLINE (1): the collection is the terms record's
 * `collection` and the token id sits in `collectionId`'s 32 bits. WIDE (2): the collection as INLINE, the token id in
 * the third word. `entities.property.test.ts` checks the storage read against `StrataPool.loan` on the chain.
 */
export const LOAN_FORMAT = { LEGACY: 0, INLINE: 1, WIDE: 2 } as const;

/**
 * The flags of the format byte, mirroring `LoanStore.sol`: DELEGATED (0x80), set once the loan was given a delegate;
 * POOL_HELD (0x40, issue #30), set at impairment when the pool keeps the token through the auction (every loan impaired
 * since 0.4; before, the token went to the liquidator).
 */
export const LOAN_FLAGS = { DELEGATED: 0x80, POOL_HELD: 0x40 } as const;
const LOAN_FORMAT_MASK = 0x3fn;

/** The format of a StoredLoan (`LOAN_FORMAT`): its format byte without the flags (`LOAN_FLAGS`). */
export function loanFormat(words: readonly bigint[]): number {
  return Number((words[1] >> 248n) & LOAN_FORMAT_MASK);
}

/** The flags of a StoredLoan's format byte (`LOAN_FLAGS`). */
export function loanFlags(words: readonly bigint[]): number {
  return Number((words[1] >> 248n) & ~LOAN_FORMAT_MASK & 0xffn);
}

/** Where StoredLoan words `w` keep their collection (a `collectionAt` id, or the terms record) and their token id. */
export function loanLocation(w: readonly bigint[]): { collectionId: bigint | null; tokenId: bigint } {
  const format = loanFormat(w);
  if (format === LOAN_FORMAT.LEGACY) return { collectionId: packed(w, STORED_LOAN_FIELDS.collectionId), tokenId: packed(w, STORED_LOAN_FIELDS.tokenId) };
  if (format !== LOAN_FORMAT.INLINE && format !== LOAN_FORMAT.WIDE) throw new DecoderError(`unknown loan record format ${format}`);
  return { collectionId: null, tokenId: format === LOAN_FORMAT.INLINE ? packed(w, STORED_LOAN_FIELDS.collectionId) : packed(w, STORED_LOAN_FIELDS.tokenId) };
}

/**
 * `LoanTerms.collection` (0.4): the 20 bytes right after `gracePeriod`, in the record's one slot. The generated layout
 * is the last release's, which predates the field; its position follows from `gracePeriod`'s.
 */
export function termsCollection(termsWords: readonly bigint[]): bigint {
  const f = LOAN_TERMS_FIELDS.gracePeriod;
  return packed(termsWords, { slot: f.slot, offset: f.offset + f.bytes, bytes: 20 });
}
const STATUS = STORED_LOAN_FIELDS.status;
/** The status byte of StoredLoan word `STATUS.slot`, and its value for `LoanStatus.Active` (1). */
const STATUS_MASK = 0xffn << BigInt(STATUS.offset * 8);
const STATUS_ACTIVE = 1n << BigInt(STATUS.offset * 8);

/** `StorageReader.readRange` over the pool's loans `from ..< to`, keeping the active ones: their ids and words. */
export async function readActiveLoanRange(provider: Provider, pool: string, from: bigint, to: bigint, blockTag: number): Promise<{ ids: bigint[]; words: bigint[][] }> {
  const data = readerIface.encodeFunctionData("readRange", [slotOf("loans"), from, to, STORED_LOAN_WORDS, STATUS.slot, STATUS_MASK, STATUS_ACTIVE]);
  const hex = await readerCall(provider, pool, data, blockTag);
  // (uint256[] keys, bytes32[] words): two offsets, then keys (length + elements), then words (length + elements)
  const keysAt = Number(BigInt(`0x${hex.slice(2, 66)}`)) / 32;
  const wordsAtWord = Number(BigInt(`0x${hex.slice(66, 130)}`)) / 32;
  const n = Number(BigInt(`0x${hex.slice(2 + keysAt * 64, 2 + (keysAt + 1) * 64)}`));
  const ids: bigint[] = [];
  for (let i = 0; i < n; i++) ids.push(BigInt(`0x${hex.slice(2 + (keysAt + 1 + i) * 64, 2 + (keysAt + 2 + i) * 64)}`));
  const m = Number(BigInt(`0x${hex.slice(2 + wordsAtWord * 64, 2 + (wordsAtWord + 1) * 64)}`));
  if (m !== n * STORED_LOAN_WORDS) throw new DecoderError(`StorageReader returned ${m} words for ${n} loans`);
  return { ids, words: wordsAt(hex, wordsAtWord, n, STORED_LOAN_WORDS) };
}

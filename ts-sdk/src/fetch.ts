// Fetchers, separate from the entities (the blue-sdk split): each reads everything an entity needs at ONE block, in
// one batched round trip (ethers' JsonRpcProvider sends the calls made in one tick as one JSON-RPC batch), and returns
// an immutable entity. The pool's O(1) accounting state is read from its ERC-7201 storage with the generated layout.
import { type BlockTag, type Provider, Interface, getAddress, toBeHex } from "ethers";
import {
  type AuctionParams,
  type AuctionState,
  AuctionEntity,
  Loan,
  type LoanState,
  Pool,
  type PoolState,
  Position,
  QueueRequest,
  type TrancheId,
  type TrancheName,
  type TrancheState,
  TrancheEntity,
  Tranche,
  trancheId,
} from "./entities.ts";
import { connectContracts, erc20At, floorOracleAt, poolAt, vaultAt } from "./contracts.ts";
import type { Deployment } from "./deployment.ts";
import { StorageReaderAbi, StorageReaderRuntime, StrataPoolAbi, TrancheVaultAbi } from "./generated/abis.ts";
import { LOAN_TERMS_FIELDS, POOL_STORAGE_BASE, POOL_STORAGE_FIELDS, STORED_LOAN_FIELDS } from "./generated/layout.ts";
import type { RateCurve } from "./interest.ts";
import { bpsDown } from "./math.ts";
import { DecoderError, LoanNotFoundError, PreconditionError, requireAddress } from "./errors.ts";
import type { RarityProofData } from "./rarity.ts";
import { rpcSend } from "./rpc.ts";

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

async function pinBlock(provider: Provider, blockTag: BlockTag | undefined, pinned?: FetchOptions["pinned"]): Promise<{ blockNumber: number; timestamp: bigint }> {
  if (pinned) return pinned;
  const block = await provider.getBlock(blockTag ?? "latest");
  if (!block) throw new PreconditionError(`block ${String(blockTag)} not found on this node`);
  return { blockNumber: block.number, timestamp: BigInt(block.timestamp) };
}

type Field = keyof typeof POOL_STORAGE_FIELDS;
const BASE = BigInt(POOL_STORAGE_BASE);

function field(words: Map<number, bigint>, name: Field, index = 0): bigint {
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
function seniorAccrualMode(words: Map<number, bigint>): number {
  const f = POOL_STORAGE_FIELDS.seniorRate;
  const word = words.get(f.slot);
  if (word === undefined) throw new DecoderError("storage slot of seniorRate not read");
  return Number((word >> BigInt((f.offset + f.bytes) * 8)) & 0xffn);
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

/**
 * Token metadata that no version of these contracts changes (the asset's decimals and symbol, a vault's decimals),
 * read once per provider and address instead of in every snapshot. A failed read is not kept.
 */
const METADATA = new WeakMap<Provider, Map<string, Promise<unknown>>>();
function metadata<T>(provider: Provider, key: string, read: () => Promise<T>): Promise<T> {
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

/** Reads the pool's accounting words (one eth_getStorageAt per slot, batched). */
async function readPoolStorage(provider: Provider, pool: string, blockTag: number): Promise<Map<number, bigint>> {
  const slots = [...new Set(POOL_FIELDS.map((f) => POOL_STORAGE_FIELDS[f].slot))];
  const words = await Promise.all(slots.map((s) => provider.getStorage(pool, toBeHex(BASE + BigInt(s), 32), blockTag)));
  return new Map(slots.map((s, i) => [s, BigInt(words[i])]));
}

async function trancheState(provider: Provider, vault: string, tranche: TrancheId, blockTag: number): Promise<TrancheState> {
  const v = vaultAt(vault, provider);
  const noticeCall = HAS_NOTICE_PERIOD
    ? (v as unknown as { noticePeriod: (o: object) => Promise<bigint> }).noticePeriod({ blockTag })
    : Promise.resolve(null);
  const [totalSupply, decimals, q, notice] = await Promise.all([
    v.totalSupply({ blockTag }),
    metadata(provider, `decimals:${vault.toLowerCase()}`, () => v.decimals()),
    v.queue({ blockTag }),
    noticeCall,
  ]);
  return {
    tranche,
    vault,
    totalSupply,
    shareDecimals: Number(decimals),
    // A senior vault reports 0: only a non-zero period makes exits asynchronous.
    noticePeriod: notice === null || (tranche === Tranche.Senior && notice === 0n) ? null : notice,
    queueHead: q.head,
    requestCount: q.requestCount,
  };
}

/** The pool and both tranches at one block (`pool.senior`, `pool.junior`). */
export interface PoolSnapshot {
  pool: Pool;
  senior: TrancheEntity;
  junior: TrancheEntity;
  tranche(t: TrancheName | TrancheId): TrancheEntity;
}

/** Reads the pool and both tranches at one block. */
export async function fetchPool(provider: Provider, d: Deployment, opts: FetchOptions = {}): Promise<PoolSnapshot> {
  const { blockNumber, timestamp } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const asset = erc20At(d.asset, provider);
  const pool_ = poolAt(d.pool, provider);
  const [words, assetDecimals, assetSymbol, seniorState, juniorState, seniorHold, juniorHold] = await Promise.all([
    readPoolStorage(provider, d.pool, blockNumber),
    metadata(provider, `decimals:${d.asset.toLowerCase()}`, () => asset.decimals()),
    metadata(provider, `symbol:${d.asset.toLowerCase()}`, () => asset.symbol()),
    trancheState(provider, d.seniorVault, Tranche.Senior, blockNumber),
    trancheState(provider, d.juniorVault, Tranche.Junior, blockNumber),
    // Queue holds (SPEC §5.7): fields appended after the release layout the storage reader is generated from.
    pool_.queueHold(Tranche.Senior, { blockTag: blockNumber }),
    pool_.queueHold(Tranche.Junior, { blockTag: blockNumber }),
  ]);
  const state: PoolState = {
    blockNumber,
    timestamp,
    asset: d.asset,
    assetDecimals: Number(assetDecimals),
    assetSymbol,
    cash: field(words, "cash"),
    totalPrincipal: field(words, "totalPrincipal"),
    rateSum: field(words, "rateSum"),
    rateTimeSum: field(words, "rateTimeSum"),
    seniorClaimStored: field(words, "seniorClaim"),
    seniorLastUpdate: field(words, "seniorLastUpdate"),
    seniorRate: field(words, "seniorRate"),
    seniorAccrualMode: seniorAccrualMode(words),
    protocolFees: field(words, "protocolFees"),
    minJuniorRatioBps: field(words, "minJuniorRatioBps"),
    originationFeeBps: field(words, "originationFeeBps"),
    protocolFeeBps: field(words, "protocolFeeBps"),
    gracePeriod: field(words, "gracePeriod"),
    borrowsPaused: field(words, "borrowsPaused") !== 0n,
    depositsPaused: field(words, "depositsPaused") !== 0n,
    impairedBook: field(words, "impairedBook"),
    impairedCount: field(words, "impairedCount"),
    nextLoanId: field(words, "nextLoanId"),
    supply: [field(words, "supply", 0), field(words, "supply", 1)],
    pendingShares: [field(words, "pendingShares", 0), field(words, "pendingShares", 1)],
    holdThresholdBps: seniorHold.thresholdBps,
    queueCooldown: seniorHold.cooldown,
    servableAfter: [seniorHold.servableAfter, juniorHold.servableAfter],
  };
  const pool = new Pool(state);
  const senior = new TrancheEntity(seniorState, pool);
  const junior = new TrancheEntity(juniorState, pool);
  return { pool, senior, junior, tranche: (t) => (trancheId(t) === Tranche.Senior ? senior : junior) };
}

// ---------------------------------------------------------------------------------------------- loans

type LoanTuple = {
  borrower: string;
  start: bigint;
  maturity: bigint;
  status: bigint;
  collection: string;
  principal: bigint;
  tokenId: bigint;
  apr: bigint;
  rarityBps: bigint;
  liquidationThresholdBps: bigint;
  liquidationPenaltyBps: bigint;
  lateFeeBps: bigint;
  protocolFeeBps: bigint;
  gracePeriod: bigint;
  impairedAt: bigint;
};

export function loanFrom(id: bigint, l: LoanTuple, asOf: bigint): Loan {
  const s: LoanState = {
    id,
    borrower: l.borrower,
    start: l.start,
    maturity: l.maturity,
    status: Number(l.status),
    collection: l.collection,
    principal: l.principal,
    tokenId: l.tokenId,
    apr: l.apr,
    rarityBps: l.rarityBps,
    liquidationThresholdBps: l.liquidationThresholdBps,
    liquidationPenaltyBps: l.liquidationPenaltyBps,
    lateFeeBps: l.lateFeeBps,
    protocolFeeBps: l.protocolFeeBps,
    gracePeriod: l.gracePeriod,
    impairedAt: l.impairedAt,
    asOf,
  };
  return new Loan(s);
}

/** Reads loan `id` (any status) at one block; LoanNotFoundError for an id that was never originated. */
export async function fetchLoan(provider: Provider, d: Deployment, id: bigint, opts: FetchOptions = {}): Promise<Loan> {
  const { blockNumber, timestamp } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const l = await poolAt(d.pool, provider).loan(id, { blockTag: blockNumber });
  const loan = loanFrom(id, l, timestamp);
  if (loan.statusName === "None") throw new LoanNotFoundError(id);
  return loan;
}

const poolIface = new Interface(StrataPoolAbi as never);
const LOAN_FIELDS = poolIface.getFunction("loan")!.outputs[0].components!.map((c) => `${c.type} ${c.name}`).join(",");
// The positional decoder below relies on this layout (15 static words); a change fails here, at load.
const EXPECTED_LOAN_FIELDS =
  "address borrower,uint40 start,uint40 maturity,uint8 status,address collection,uint96 principal,uint256 tokenId,uint64 apr,uint32 rarityBps,uint16 liquidationThresholdBps,uint16 liquidationPenaltyBps,uint16 lateFeeBps,uint16 protocolFeeBps,uint32 gracePeriod,uint40 impairedAt";
if (LOAN_FIELDS !== EXPECTED_LOAN_FIELDS) throw new DecoderError(`fetch.ts: StrataPool.loan layout changed (${LOAN_FIELDS}); update the decoder`);

/** Decodes `multicall`'s `bytes[]` of `loan(id)` results by position (15 static words each). */
function decodeLoanBatch(hex: string, ids: readonly bigint[], asOf: bigint, addresses: Map<string, string>): Loan[] {
  const word = (i: number) => hex.slice(2 + i * 64, 2 + (i + 1) * 64);
  const at = (i: number) => BigInt(`0x${word(i)}`);
  const addr = (w: string) => {
    let a = addresses.get(w);
    if (!a) {
      a = getAddress(`0x${w.slice(24)}`);
      addresses.set(w, a);
    }
    return a;
  };
  // word 0: offset of the array (0x20); word 1: length; then one offset per element, relative to word 2
  const n = Number(at(1));
  if (n !== ids.length) throw new DecoderError(`multicall returned ${n} results for ${ids.length} loans`);
  const out: Loan[] = [];
  for (let k = 0; k < n; k++) {
    const base = 2 + Number(at(2 + k)) / 32; // element: length word, then 15 words
    const w = (f: number) => word(base + 1 + f);
    const v = (f: number) => BigInt(`0x${w(f)}`);
    out.push(
      new Loan({
        id: ids[k],
        borrower: addr(w(0)),
        start: v(1),
        maturity: v(2),
        status: Number(v(3)),
        collection: addr(w(4)),
        principal: v(5),
        tokenId: v(6),
        apr: v(7),
        rarityBps: v(8),
        liquidationThresholdBps: v(9),
        liquidationPenaltyBps: v(10),
        lateFeeBps: v(11),
        protocolFeeBps: v(12),
        gracePeriod: v(13),
        impairedAt: v(14),
        asOf,
      }),
    );
  }
  return out;
}

/**
 * Reads many loans at one block through the pool's own OpenZeppelin `multicall` (`loan(id)` per sub-call), in chunks
 * of `chunk` sub-calls sent concurrently, decoded by position (fast enough for a 10,000-loan book).
 */
export async function fetchLoans(
  provider: Provider,
  d: Deployment,
  ids: readonly bigint[],
  opts: FetchOptions & { chunk?: number } = {},
): Promise<Loan[]> {
  if (ids.length === 0) return [];
  const { blockNumber, timestamp } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const parts = chunked(ids, opts.chunk ?? 250);
  const loanSelector = poolIface.getFunction("loan")!.selector;
  const results = await Promise.all(
    parts.map((p) =>
      provider.call({
        to: d.pool,
        data: poolIface.encodeFunctionData("multicall", [p.map((id) => `${loanSelector}${id.toString(16).padStart(64, "0")}`)]),
        blockTag: blockNumber,
      }),
    ),
  );
  const addresses = new Map<string, string>();
  return results.flatMap((hex, i) => decodeLoanBatch(hex, parts[i], timestamp, addresses));
}

const readerIface = new Interface(StorageReaderAbi as never);

/** Extracts a packed field of a storage struct from its words (layout generated from the release layout). */
/** `ids` in consecutive slices of at most `size` (the chunks a batched read sends concurrently). */
function chunked(ids: readonly bigint[], size: number): bigint[][] {
  const parts: bigint[][] = [];
  for (let i = 0; i < ids.length; i += size) parts.push(ids.slice(i, i + size));
  return parts;
}

function packed(words: readonly bigint[], f: { slot: number; offset: number; bytes: number }): bigint {
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
async function readPoolMapping(provider: Provider, pool: string, field: "loans" | "terms" | "collectionAt", keys: readonly bigint[], count: number, blockTag: number): Promise<bigint[][]> {
  if (keys.length === 0) return [];
  const hex = await readerCall(provider, pool, readerIface.encodeFunctionData("readMapping", [slotOf(field), keys, count]), blockTag);
  const n = Number(BigInt(`0x${hex.slice(66, 130)}`));
  if (n !== keys.length * count) throw new DecoderError(`StorageReader returned ${n} words for ${keys.length} x ${count}`);
  return wordsAt(hex, 1, keys.length, count);
}

const STORED_LOAN_WORDS = 3;
const STATUS = STORED_LOAN_FIELDS.status;
/** The status byte of StoredLoan word `STATUS.slot`, and its value for `LoanStatus.Active` (1). */
const STATUS_MASK = 0xffn << BigInt(STATUS.offset * 8);
const STATUS_ACTIVE = 1n << BigInt(STATUS.offset * 8);

/** `StorageReader.readRange` over the pool's loans `from ..< to`, keeping the active ones: their ids and words. */
async function readActiveLoanRange(provider: Provider, pool: string, from: bigint, to: bigint, blockTag: number): Promise<{ ids: bigint[]; words: bigint[][] }> {
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

/** Builds Loan entities from StoredLoan words: reads the interned LoanTerms and collection addresses they point to. */
async function assembleLoans(provider: Provider, pool: string, ids: readonly bigint[], stored: bigint[][], blockNumber: number, timestamp: bigint): Promise<Loan[]> {
  const termsIds = [...new Set(stored.map((w) => packed(w, STORED_LOAN_FIELDS.termsId)))];
  const collectionIds = [...new Set(stored.map((w) => packed(w, STORED_LOAN_FIELDS.collectionId)))];
  const [terms, collections] = await Promise.all([
    readPoolMapping(provider, pool, "terms", termsIds, 1, blockNumber),
    readPoolMapping(provider, pool, "collectionAt", collectionIds, 1, blockNumber),
  ]);
  const termsOf = new Map(termsIds.map((id, i) => [id, terms[i]]));
  const collectionOf = new Map(collectionIds.map((id, i) => [id, getAddress(toBeHex(collections[i][0], 20))]));
  const borrowers = new Map<bigint, string>();
  return stored.map((w, i) => {
    const t = termsOf.get(packed(w, STORED_LOAN_FIELDS.termsId))!;
    const b = packed(w, STORED_LOAN_FIELDS.borrower);
    let borrower = borrowers.get(b);
    if (!borrower) {
      borrower = getAddress(toBeHex(b, 20));
      borrowers.set(b, borrower);
    }
    const status = Number(packed(w, STORED_LOAN_FIELDS.status));
    const start = packed(w, STORED_LOAN_FIELDS.start);
    return new Loan({
      id: ids[i],
      borrower,
      start,
      maturity: packed(w, STORED_LOAN_FIELDS.maturity),
      status,
      collection: collectionOf.get(packed(w, STORED_LOAN_FIELDS.collectionId))!,
      principal: packed(w, STORED_LOAN_FIELDS.principal),
      tokenId: packed(w, STORED_LOAN_FIELDS.tokenId),
      apr: packed(w, STORED_LOAN_FIELDS.apr),
      rarityBps: packed(w, STORED_LOAN_FIELDS.rarityBps),
      liquidationThresholdBps: packed(t, LOAN_TERMS_FIELDS.liquidationThresholdBps),
      liquidationPenaltyBps: packed(t, LOAN_TERMS_FIELDS.liquidationPenaltyBps),
      lateFeeBps: packed(t, LOAN_TERMS_FIELDS.lateFeeBps),
      protocolFeeBps: packed(t, LOAN_TERMS_FIELDS.protocolFeeBps),
      gracePeriod: packed(t, LOAN_TERMS_FIELDS.gracePeriod),
      // StrataPool.loan: an impaired loan's `start` is its impairment time
      impairedAt: status >= 3 ? start : 0n,
      asOf: timestamp,
    });
  });
}

/**
 * Reads many loans at one block straight from the pool's storage (StoredLoan, its interned LoanTerms and the
 * collection ids), assembled exactly as `StrataPool.loan(id)` assembles its view (property-tested equal). Throws when
 * the node does not support eth_call state overrides; `fetchLoansFast` falls back to `fetchLoans` then.
 */
export async function fetchLoansFromStorage(
  provider: Provider,
  d: Deployment,
  ids: readonly bigint[],
  opts: FetchOptions & { chunk?: number } = {},
): Promise<Loan[]> {
  if (ids.length === 0) return [];
  const { blockNumber, timestamp } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const parts = chunked(ids, opts.chunk ?? 2500);
  const stored = (await Promise.all(parts.map((p) => readPoolMapping(provider, d.pool, "loans", p, STORED_LOAN_WORDS, blockNumber)))).flat();
  return assembleLoans(provider, d.pool, ids, stored, blockNumber, timestamp);
}

/**
 * Every active loan (LoanStatus.Active) at one block, ascending by id, without the event history: the pool's ids run
 * `1 ..< nextLoanId`, and `StorageReader.readRange` walks them in the node, sending back only the active ones, in
 * ranges of `chunk` ids read concurrently (`fromId ..< toId` when given). Equal to the event-built book at the same
 * block (tested); needs eth_call state overrides (anvil, geth, reth, most RPC providers).
 */
export async function fetchActiveLoans(
  provider: Provider,
  d: Deployment,
  opts: FetchOptions & { chunk?: number; fromId?: bigint; toId?: bigint } = {},
): Promise<Loan[]> {
  const { blockNumber, timestamp } = await pinBlock(provider, opts.blockTag, opts.pinned);
  let nextLoanId = opts.toId;
  if (nextLoanId === undefined) {
    const word = BigInt(await provider.getStorage(d.pool, toBeHex(BASE + BigInt(POOL_STORAGE_FIELDS.nextLoanId.slot), 32), blockNumber));
    nextLoanId = packed([word], { ...POOL_STORAGE_FIELDS.nextLoanId, slot: 0 });
  }
  const chunk = BigInt(opts.chunk ?? 2500);
  const ranges: [bigint, bigint][] = [];
  for (let from = opts.fromId ?? 1n; from < nextLoanId; from += chunk) ranges.push([from, from + chunk < nextLoanId ? from + chunk : nextLoanId]);
  const parts = await Promise.all(ranges.map(([from, to]) => readActiveLoanRange(provider, d.pool, from, to, blockNumber)));
  return assembleLoans(provider, d.pool, parts.flatMap((p) => p.ids), parts.flatMap((p) => p.words), blockNumber, timestamp);
}

/** `fetchLoansFromStorage`, or `fetchLoans` (the pool's multicall) where the node refuses state overrides. */
export async function fetchLoansFast(provider: Provider, d: Deployment, ids: readonly bigint[], opts: FetchOptions = {}): Promise<Loan[]> {
  try {
    return await fetchLoansFromStorage(provider, d, ids, opts);
  } catch {
    return fetchLoans(provider, d, ids, opts);
  }
}

// ---------------------------------------------------------------------------------------------- auctions

/** Reads auction `id` (= loan id) at one block. */
export async function fetchAuction(provider: Provider, d: Deployment, id: bigint, opts: FetchOptions = {}): Promise<AuctionEntity> {
  const { blockNumber } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const a = await connectContracts(d, provider).liquidator.auction(id, { blockTag: blockNumber });
  const s: AuctionState = {
    id,
    startPrice: a.startPrice,
    endPrice: a.endPrice,
    owed: a.owed,
    startTime: a.startTime,
    duration: a.duration,
    status: Number(a.status),
  };
  return new AuctionEntity(s);
}

/** Reads the liquidator's auction parameters in force (the ones a liquidation now would open its auction with). */
export async function fetchAuctionParams(provider: Provider, d: Deployment, opts: FetchOptions = {}): Promise<AuctionParams> {
  const { blockNumber } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const p = await connectContracts(d, provider).liquidator.auctionParams({ blockTag: blockNumber });
  return {
    startMultiplierBps: BigInt(p.startMultiplierBps),
    endMultiplierBps: BigInt(p.endMultiplierBps),
    auctionDuration: BigInt(p.auctionDuration),
    recoveryTimeout: BigInt(p.recoveryTimeout),
  };
}

// ---------------------------------------------------------------------------------------------- collections

/** A listed collection: its governance parameters, listing state and oracle floor. */
export interface CollectionInfo {
  address: string;
  listed: boolean;
  paused: boolean;
  oracle: string;
  ltvBps: bigint;
  liquidationThresholdBps: bigint;
  liquidationPenaltyBps: bigint;
  lateFeeBps: bigint;
  maxRarityBps: bigint;
  minDuration: bigint;
  maxDuration: bigint;
  exposureCap: bigint;
  exposure: bigint;
  curve: RateCurve;
  rarityRoot: string;
  /** CollectionRegistry `noProofRarity`: the multiplier of a borrow without a proof (10,000 without a rarity list;
   *  with one, governance's value, or 0 when none is set and a proof is required, SPEC §3.4). */
  noProofRarityBps: bigint;
  floorPrice: bigint;
  priceUpdatedAt: bigint;
  priceFresh: boolean;
}

/** CollectionRegistry `borrowTerms`' LTV bound: `bpsDown(bpsDown(floor, rarityBps), ltvBps)`. */
export function maxPrincipalOf(c: CollectionInfo, rarityBps: bigint = 10_000n): bigint {
  return bpsDown(bpsDown(c.floorPrice, rarityBps), c.ltvBps);
}

/** The borrow had no rarity proof against a collection whose rarity list has no proof-less multiplier yet. */
export class RarityProofRequiredError extends PreconditionError {
  constructor(collection: string, tokenId: bigint) {
    super(`RarityProofRequired: ${collection} has a rarity list and no proof-less multiplier: borrowing token ${tokenId} needs its rarity proof (--rarity <file>)`);
  }
}

/**
 * CollectionRegistry `borrowTerms`' rarity: a proven multiplier capped at `maxRarityBps`; without a proof, the
 * collection's proof-less multiplier (1x without a rarity list; throws `RarityProofRequiredError` when a list has
 * none). The proof itself is checked by `verifyRarityProof` before anything is sent.
 */
export function borrowRarityBps(c: CollectionInfo, tokenId: bigint, rarity?: RarityProofData): bigint {
  if (rarity && rarity.proof.length > 0) return rarity.multiplierBps < c.maxRarityBps ? rarity.multiplierBps : c.maxRarityBps;
  if (c.noProofRarityBps === 0n) throw new RarityProofRequiredError(c.address, tokenId);
  return c.noProofRarityBps;
}

/** Reads a collection's parameters and its oracle floor at one block. */
export async function fetchCollection(provider: Provider, d: Deployment, collection: string, opts: FetchOptions = {}): Promise<CollectionInfo> {
  collection = requireAddress(collection, "collection");
  const { blockNumber } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const c = connectContracts(d, provider);
  // The deployment's oracle is read alongside the registry (one batch): it is the collection's oracle unless
  // governance set another, which is then read in a second round trip.
  const floorAt = (oracle: string) => floorOracleAt(oracle, provider).floorPrice(collection, { blockTag: blockNumber });
  const [[p, listed, paused], exposure, guess, noProofRarityBps] = await Promise.all([
    c.registry.collection(collection, { blockTag: blockNumber }),
    c.pool.exposure(collection, { blockTag: blockNumber }),
    floorAt(d.oracle).catch(() => null),
    c.registry.noProofRarity(collection, { blockTag: blockNumber }) as Promise<bigint>,
  ]);
  let floor = { price: 0n, updatedAt: 0n, fresh: false };
  if (p.oracle !== "0x0000000000000000000000000000000000000000") {
    const [price, updatedAt, fresh] = guess !== null && p.oracle.toLowerCase() === d.oracle.toLowerCase() ? guess : await floorAt(p.oracle);
    floor = { price, updatedAt, fresh };
  }
  return {
    address: collection,
    listed,
    paused,
    oracle: p.oracle,
    ltvBps: p.ltvBps,
    liquidationThresholdBps: p.liquidationThresholdBps,
    liquidationPenaltyBps: p.liquidationPenaltyBps,
    lateFeeBps: p.lateFeeBps,
    maxRarityBps: p.maxRarityBps,
    minDuration: p.minDuration,
    maxDuration: p.maxDuration,
    exposureCap: p.exposureCap,
    exposure,
    curve: { baseRate: p.curve.baseRate, slope1: p.curve.slope1, slope2: p.curve.slope2, kink: p.curve.kink },
    rarityRoot: p.rarityRoot,
    noProofRarityBps,
    floorPrice: floor.price,
    priceUpdatedAt: floor.updatedAt,
    priceFresh: floor.fresh,
  };
}

// ---------------------------------------------------------------------------------------------- queue and positions

/** Reads redemption request `id` of `tranche` at one block. */
export async function fetchQueueRequest(
  provider: Provider,
  d: Deployment,
  tranche: TrancheName | TrancheId,
  id: bigint,
  opts: FetchOptions = {},
): Promise<QueueRequest> {
  const { blockNumber } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const t = trancheId(tranche);
  const v = vaultAt(t === Tranche.Senior ? d.seniorVault : d.juniorVault, provider);
  const serviceable = HAS_SERVICEABLE_AT
    ? (v as unknown as { serviceableAt: (id: bigint, o: object) => Promise<bigint> }).serviceableAt(id, { blockTag: blockNumber })
    : Promise.resolve(null);
  const [r, q, serviceableAt] = await Promise.all([v.redeemRequest(id, { blockTag: blockNumber }), v.queue({ blockTag: blockNumber }), serviceable]);
  const requestedAt = (r as unknown as { requestedAt?: bigint }).requestedAt ?? null;
  let { claimableShares, claimableAssets } = r;
  if (t === Tranche.Junior && r.servedUntil !== 0n) {
    // ERC-7540 junior: the record holds what was served; what is left of it to claim is the standard view, and its
    // assets are its share of the controller's claimable total (claims pay the total's own price).
    const [shares, total] = await Promise.all([v.claimableRedeemRequest(id, r.controller, { blockTag: blockNumber }), v.claimableRedeem(r.controller, { blockTag: blockNumber })]);
    claimableShares = shares;
    claimableAssets = shares === total.shares ? total.assets : total.shares === 0n ? 0n : (total.assets * shares) / total.shares;
  }
  return new QueueRequest({
    id,
    tranche: t,
    controller: r.controller,
    pendingShares: r.pendingShares,
    claimableShares,
    claimableAssets,
    requestedAt,
    serviceableAt,
    passedHead: id <= q.head,
  });
}

/** Request ids whose controller is `controller`, from the vault's `RedeemRequest` events (paginated). */
export async function findRequestIds(
  provider: Provider,
  vault: string,
  controller: string,
  opts: { fromBlock?: number; toBlock?: number; step?: number } = {},
): Promise<bigint[]> {
  const v = vaultAt(vault, provider);
  const filter = v.filters.RedeemRequest(controller);
  const to = opts.toBlock ?? (await provider.getBlockNumber());
  const step = opts.step ?? 50_000;
  const ids: bigint[] = [];
  for (let from = opts.fromBlock ?? 0; from <= to; from += step) {
    const logs = await v.queryFilter(filter, from, Math.min(to, from + step - 1));
    for (const l of logs) ids.push(l.args.requestId);
  }
  return ids;
}

/** A lender's position in `tranche`: wallet shares, value, limits, and open or claimable requests. */
export async function fetchPosition(
  provider: Provider,
  d: Deployment,
  account: string,
  tranche: TrancheName | TrancheId,
  opts: FetchOptions & { fromBlock?: number } = {},
): Promise<Position> {
  const snap = await fetchPool(provider, d, opts);
  const tr = snap.tranche(tranche);
  const blockTag = snap.pool.blockNumber;
  const [shares, ids] = await Promise.all([
    vaultAt(tr.vault, provider).balanceOf(account, { blockTag }),
    findRequestIds(provider, tr.vault, account, { fromBlock: opts.fromBlock, toBlock: blockTag }),
  ]);
  const requests = await Promise.all(ids.map((id) => fetchQueueRequest(provider, d, tr.tranche, id, { blockTag })));
  return new Position(account, tr, shares, requests.filter((r) => r.pendingShares > 0n || r.claimableAssets > 0n));
}

// The loan reader: one loan or many at one block. Many loans come straight from the pool's storage where the node
// supports eth_call state overrides, else through the pool's own multicall of `loan(id)` (property-tested equal).
import type { Deployment } from "../chain/deployment.ts";
import { Loan, type LoanState } from "../entities/index.ts";
import { DecoderError, LoanNotFoundError } from "../errors.ts";
import { Interface, getAddress, toBeHex, type Provider } from "ethers";
import { type FetchOptions, addressDecoder, pinBlock, chunked } from "./block.ts";
import { BASE, loanLocation, nextLoanId as nextLoanIdOf, readPoolMapping, STORED_LOAN_WORDS, readActiveLoanRange, termsCollection, packed } from "./storage.ts";
import { StrataPoolAbi } from "../generated/abis.ts";
import { LOAN_TERMS_FIELDS, POOL_STORAGE_FIELDS, STORED_LOAN_FIELDS } from "../generated/layout.ts";

/** `StrataPool.loan(id)` as ethers decodes it: the loan's fields, the status as the enum's integer. */
export type LoanTuple = Omit<LoanState, "id" | "asOf" | "status"> & { status: bigint };

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
  const [loan] = await fetchLoans(provider, d, [id], { ...opts, via: "multicall" });
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
function decodeLoanBatch(hex: string, ids: readonly bigint[], asOf: bigint, addr: (word: string) => string): Loan[] {
  const word = (i: number) => hex.slice(2 + i * 64, 2 + (i + 1) * 64);
  const at = (i: number) => BigInt(`0x${word(i)}`);
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

/** The block a read of `ids` is pinned to and the chunks it is sent in (null: nothing to read). */
async function readPlan(provider: Provider, ids: readonly bigint[], opts: FetchOptions & { chunk?: number }, chunk: number) {
  if (ids.length === 0) return null;
  return { ...(await pinBlock(provider, opts.blockTag, opts.pinned)), parts: chunked(ids, opts.chunk ?? chunk) };
}

/**
 * Reads many loans at one block through the pool's own OpenZeppelin `multicall` (`loan(id)` per sub-call), in chunks
 * of `chunk` sub-calls sent concurrently, decoded by position (fast enough for a 10,000-loan book).
 */
async function readLoansByMulticall(
  provider: Provider,
  d: Deployment,
  ids: readonly bigint[],
  opts: FetchOptions & { chunk?: number } = {},
): Promise<Loan[]> {
  const at = await readPlan(provider, ids, opts, 250);
  if (!at) return [];
  const { blockNumber, timestamp, parts } = at;
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
  const addr = addressDecoder();
  return results.flatMap((hex, i) => decodeLoanBatch(hex, parts[i], timestamp, addr));
}

/**
 * Builds Loan entities from StoredLoan words: reads the interned LoanTerms they point to, and the `collectionAt`
 * addresses of legacy records (`loanLocation`, the mirror of `LoanStore.sol`).
 */
async function assembleLoans(provider: Provider, pool: string, ids: readonly bigint[], stored: bigint[][], blockNumber: number, timestamp: bigint): Promise<Loan[]> {
  const termsIds = [...new Set(stored.map((w) => packed(w, STORED_LOAN_FIELDS.termsId)))];
  const located = stored.map(loanLocation);
  // Only legacy records (made before 0.4) keep their collection in `collectionAt`; the others, in their terms record.
  const collectionIds = [...new Set(located.flatMap((l) => (l.collectionId === null ? [] : [l.collectionId])))];
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
      collection: located[i].collectionId === null ? getAddress(toBeHex(termsCollection(t), 20)) : collectionOf.get(located[i].collectionId)!,
      principal: packed(w, STORED_LOAN_FIELDS.principal),
      tokenId: located[i].tokenId,
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
 * the node does not support eth_call state overrides (`fetchLoans` then falls back to the multicall).
 */
async function readLoansFromStorage(
  provider: Provider,
  d: Deployment,
  ids: readonly bigint[],
  opts: FetchOptions & { chunk?: number } = {},
): Promise<Loan[]> {
  const at = await readPlan(provider, ids, opts, 2500);
  if (!at) return [];
  const { blockNumber, timestamp, parts } = at;
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
    const slots = [POOL_STORAGE_FIELDS.impairedCount.slot, POOL_STORAGE_FIELDS.nextLoanId.slot];
    const words = await Promise.all(slots.map((s) => provider.getStorage(d.pool, toBeHex(BASE + BigInt(s), 32), blockNumber)));
    nextLoanId = nextLoanIdOf(new Map(slots.map((s, i) => [s, BigInt(words[i])])));
  }
  const chunk = BigInt(opts.chunk ?? 2500);
  const ranges: [bigint, bigint][] = [];
  for (let from = opts.fromId ?? 1n; from < nextLoanId; from += chunk) ranges.push([from, from + chunk < nextLoanId ? from + chunk : nextLoanId]);
  const parts = await Promise.all(ranges.map(([from, to]) => readActiveLoanRange(provider, d.pool, from, to, blockNumber)));
  return assembleLoans(provider, d.pool, parts.flatMap((p) => p.ids), parts.flatMap((p) => p.words), blockNumber, timestamp);
}

/** How `fetchLoans` reads: the pool's storage, the pool's multicall of `loan(id)`, or the first that works (auto). */
export type LoanReadPath = "auto" | "storage" | "multicall";

/**
 * The loan reader: loans `ids` at one block (any status), through one of two transports that are property-tested to
 * assemble the same entities (ts-sdk/test/entities.property.test.ts): straight from the pool's storage (StoredLoan,
 * its interned LoanTerms and collection ids; needs eth_call state overrides) or through the pool's own `multicall` of
 * `loan(id)`. `via: "auto"` (the default) reads storage and falls back to the multicall where a node refuses
 * overrides. `chunk`: ids per concurrent request.
 */
export async function fetchLoans(
  provider: Provider,
  d: Deployment,
  ids: readonly bigint[],
  opts: FetchOptions & { chunk?: number; via?: LoanReadPath } = {},
): Promise<Loan[]> {
  const via = opts.via ?? "auto";
  if (via === "multicall") return readLoansByMulticall(provider, d, ids, opts);
  if (via === "storage") return readLoansFromStorage(provider, d, ids, opts);
  try {
    return await readLoansFromStorage(provider, d, ids, opts);
  } catch {
    return readLoansByMulticall(provider, d, ids, opts);
  }
}

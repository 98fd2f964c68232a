// Keeper: finds liquidatable loans among all active ones (events + batched reads + entity math), liquidates, buys
// auctions under a max price, serves the redemption queues, and pushes oracle prices (reporters only).
import type { Provider, Signer } from "ethers";
import type { Deployment } from "../chain/deployment.ts";
import { type AuctionEntity, type Loan, type LoanHealth, type LiquidationReason, type LoanStatusName, type TrancheId, type TrancheName, AUCTION_STATUS, LOAN_STATUS, Tranche, loanHealthAt, trancheId } from "../entities/index.ts";
import { NotOwnerError, PreconditionError } from "../errors.ts";
import { describeQueueHold } from "../format.ts";
import { showAmount } from "../units.ts";
import { type FetchOptions, type PoolSnapshot, fetchActiveLoans, fetchAuction, fetchCollection, fetchLoans, floorReader } from "../fetch/index.ts";
import { LoanBook, type LoanBookJson } from "../fetch/loan-book.ts";
import { EventWatch, type EventWatchJson } from "../fetch/event-watch.ts";
import { type WriteOptions, type WriteResult, eventOf } from "../chain/tx.ts";
import { StrataClient, type TokenWriteOptions, positive } from "./base.ts";
import { Interface, ZeroAddress } from "ethers";
import { DutchAuctionLiquidatorAbi, StrataPoolAbi } from "../generated/abis.ts";

/** A loan that may be liquidated now: its health, with `liquidatable` set (overdue or unhealthy). */
export type LiquidationCandidate = LoanHealth & { liquidatable: LiquidationReason };

/** The result of a scan: candidates, the number of active loans looked at, and the book (to resume from). */
export interface ScanResult {
  candidates: LiquidationCandidate[];
  scanned: number;
  blockNumber: number;
  timestamp: bigint;
  book: LoanBook;
}

/**
 * Scans the loan book and applies the liquidator's rule (DutchAuctionLiquidator `_liquidatable`) with the Loan
 * entity, all at one block. Read-only: usable without a signer.
 *
 * - A fresh book (nothing synced, no `fromBlock`) is loaded from a storage snapshot: the active loans are enumerated
 *   in the node (`fetchActiveLoans`: ids `1 ..< nextLoanId`, status filtered by `StorageReader.readRange` under an
 *   eth_call state override) instead of replaying every LoanOriginated/LoanRepaid/LoanImpaired log; the book then
 *   resumes from the events of the next block. Nodes without state overrides, or `events: true`, take the event path.
 * - A synced book reads only the new events (paginated getLogs), then its loans straight from the pool's storage:
 *   the active ones of its id range, checked to be exactly the book's ids (else read id by id).
 * - Each collection's floor is read once, as `CollectionRegistry.appraisal(collection, 1x)` (the oracle's floor and
 *   its freshness, in one call).
 */
export async function scanLiquidatable(
  provider: Provider,
  d: Deployment,
  opts: { book?: LoanBook; fromBlock?: number; step?: number; chunk?: number; events?: boolean; pinned?: FetchOptions["pinned"] } = {},
): Promise<ScanResult> {
  const book = opts.book ?? new LoanBook(d.pool, opts.fromBlock ?? 0);
  let pinned = opts.pinned;
  if (!pinned) {
    const latest = await provider.getBlock("latest");
    if (!latest) throw new PreconditionError("no latest block");
    pinned = { blockNumber: latest.number, timestamp: BigInt(latest.timestamp) };
  }
  const head = { number: pinned.blockNumber };
  // Each collection's floor, read once (the one floor reader); the deployment's collections are read alongside the
  // loans (in their batches), a loan on another collection adds its read after.
  const appraise = floorReader(provider, d, head.number);
  for (const c of d.collections) appraise(c);
  let loans: Loan[] | null = null;
  if (!opts.events && book.nextBlock === 0 && book.active.size === 0) {
    try {
      loans = await fetchActiveLoans(provider, d, { pinned, chunk: opts.chunk });
    } catch {
      loans = null; // no state overrides on this node: replay the events instead
    }
    if (loans) book.load(loans, head.number);
  }
  if (!loans) {
    await book.sync(provider, { toBlock: head.number, step: opts.step });
    const ids = book.ids();
    // the active loans of the book's id range, enumerated in the node (no ids sent); by id if they differ from the
    // book's (a book started after some loans), or without state overrides
    if (ids.length > 0) {
      loans = await fetchActiveLoans(provider, d, { pinned, chunk: opts.chunk, fromId: ids[0], toId: ids[ids.length - 1] + 1n }).catch(() => null);
    }
    if (!loans || loans.length !== ids.length || loans.some((l, i) => l.id !== ids[i])) loans = await fetchLoans(provider, d, ids, { pinned });
  }
  const t = pinned.timestamp;
  const collections = [...new Set(loans.map((l) => l.collection))];
  const floorOf = new Map(await Promise.all(collections.map(async (c) => [c, await appraise(c)] as const)));
  const candidates: LiquidationCandidate[] = [];
  for (const loan of loans) {
    const h = loanHealthAt(loan, floorOf.get(loan.collection) ?? { price: 0n, fresh: false }, t);
    if (h.liquidatable !== null) candidates.push(h as LiquidationCandidate);
  }
  return { candidates, scanned: loans.length, blockNumber: head.number, timestamp: t, book };
}

const liquidatorIface = new Interface(DutchAuctionLiquidatorAbi as never);
const AUCTION_STARTED = liquidatorIface.getEvent("AuctionStarted")!.topicHash;
const REVOKE_FAILED = new Interface(StrataPoolAbi as never).getEvent("LoanDelegateRevokeFailed")!.topicHash;

/** A delegation the pool could not revoke when its loan closed (SPEC §3.7), still live in the delegate registry. */
export interface StaleDelegation {
  loanId: bigint;
  /** The delegate the pool still records for the closed loan. */
  delegate: string;
}

/**
 * What a keeper carries from one run to the next (`Keeper.state()`, `KeeperState.fromJSON`): its loan book, at the top
 * level (a file a keeper saved before the watches existed is a `LoanBookJson` and still loads), and its two watches.
 */
export interface KeeperStateJson extends LoanBookJson {
  /** The liquidator's `AuctionStarted` ids not yet seen ended. */
  auctions?: EventWatchJson;
  /** The pool's `LoanDelegateRevokeFailed` ids not yet seen revoked. */
  revokeFailures?: EventWatchJson;
}

/** A keeper's saved state, checked against the deployment it is for; what does not match starts afresh. */
export interface KeeperState {
  book?: LoanBook;
  auctions?: EventWatch;
  revokeFailures?: EventWatch;
}

/** The parts of `saved` that belong to deployment `d` (another pool's book or another contract's watch is left out). */
export function keeperStateFor(saved: KeeperStateJson, d: Deployment): KeeperState {
  const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
  const out: KeeperState = {};
  if (same(saved.pool, d.pool)) out.book = LoanBook.fromJSON(saved);
  if (saved.auctions && same(saved.auctions.address, d.liquidator) && same(saved.auctions.topic, AUCTION_STARTED)) out.auctions = EventWatch.fromJSON(saved.auctions);
  if (saved.revokeFailures && same(saved.revokeFailures.address, d.pool) && same(saved.revokeFailures.topic, REVOKE_FAILED)) {
    out.revokeFailures = EventWatch.fromJSON(saved.revokeFailures);
  }
  return out;
}

export class Keeper extends StrataClient {
  /** The loan book this keeper scans, kept between calls (each scan resumes from the last block seen). */
  readonly book: LoanBook;
  /** The auctions this keeper follows (`auctions()`): started ones, until they are seen ended. */
  readonly auctionWatch: EventWatch;
  /** The failed revocations this keeper follows (`staleDelegations()`): until the delegation is seen revoked. */
  readonly revokeWatch: EventWatch;

  private constructor(signer: Signer, d: Deployment, state: KeeperState) {
    super(signer, d);
    this.book = state.book ?? new LoanBook(d.pool, 0);
    this.auctionWatch = state.auctions ?? new EventWatch(d.liquidator, AUCTION_STARTED, d.startBlock ?? 0);
    this.revokeWatch = state.revokeFailures ?? new EventWatch(d.pool, REVOKE_FAILED, d.startBlock ?? 0);
  }

  /**
   * The state to save between runs: the loan book and the two watches, as JSON (`keeperStateFor(saved, deployment)`
   * restores it; the bot's `--state` file is this).
   * @returns a `KeeperStateJson`: the loan book's fields at the top level, `auctions` and `revokeFailures`
   * @example
   * ```ts
   * writeFileSync("keeper.json", JSON.stringify(keeper.state()));
   * const again = await Keeper.connect(wallet, deployment, keeperStateFor(JSON.parse(readFileSync("keeper.json", "utf8")), deployment));
   * ```
   */
  state(): KeeperStateJson {
    return { ...this.book.toJSON(), auctions: this.auctionWatch.toJSON(), revokeFailures: this.revokeWatch.toJSON() };
  }

  /**
   * A keeper over `signer`, refused unless the signer's chain is the deployment's.
   * @param signer the keeper's signer (it sends liquidations, buys and queue services), connected to a provider
   * @param deployment the deployment to keep (e.g. `readDeploymentFor(file, provider)`)
   * @param opts `opts.book`: a loan book to resume from (e.g. `LoanBook.fromJSON(saved)`); default: a new book, whose
   *   first scan loads the active loans from a storage snapshot. `opts.auctions`, `opts.revokeFailures`: watches to
   *   resume from (`keeperStateFor(saved, deployment)` gives all three from a saved `state()`); default: new ones,
   *   from the deployment's `startBlock`
   * @returns the client; its `book` is kept between scans
   * @throws InvalidArgumentError when the signer has no provider
   * @throws ChainMismatchError when the provider's chain is not the deployment's
   * @example
   * ```ts
   * const saved = JSON.parse(readFileSync("keeper.json", "utf8"));
   * const keeper = await Keeper.connect(wallet, deployment, keeperStateFor(saved, deployment));
   * // ... later
   * writeFileSync("keeper.json", JSON.stringify(keeper.state()));
   * ```
   */
  static async connect(signer: Signer, deployment: Deployment, opts: KeeperState = {}): Promise<Keeper> {
    return StrataClient.checked(new Keeper(signer, deployment, opts));
  }

  /**
   * Every active loan that is overdue or unhealthy at a fresh price, now.
   * @param opts `opts.step`: blocks per `eth_getLogs` page (default 10,000); `opts.chunk`: loan ids per storage read
   *   (default 2,500); `opts.events: true` to replay the pool's events instead of loading a storage snapshot
   * @returns the `LiquidationCandidate`s: each loan's `LoanHealth`, with `liquidatable` set ("overdue" or "unhealthy")
   * @example
   * ```ts
   * const candidates = await keeper.findLiquidatable();
   * console.log(`${keeper.book.active.size} active loans, ${candidates.length} liquidatable`);
   * for (const c of candidates) await keeper.liquidate(c.loan.id);
   * ```
   */
  async findLiquidatable(opts: { step?: number; chunk?: number; events?: boolean } = {}): Promise<LiquidationCandidate[]> {
    return (await this.scan(opts)).candidates;
  }

  /**
   * `findLiquidatable` with the block it read and the number of loans scanned; `pinned`: scan at that block (already
   * read by the caller: no getBlock of its own).
   * @param opts `opts.step`, `opts.chunk`, `opts.events` as for `findLiquidatable`; `opts.pinned`: the block to scan
   *   at, `{ blockNumber, timestamp }` (default: the latest)
   * @returns a `ScanResult`: `candidates`, `scanned` (the active loans looked at), `blockNumber`, `timestamp` (unix
   *   seconds) and `book` (this keeper's, synced to that block)
   * @example
   * ```ts
   * const { candidates, scanned, blockNumber } = await keeper.scan();
   * console.log(`block ${blockNumber}: ${scanned} active loans, ${candidates.length} liquidatable`);
   * writeFileSync("book.json", JSON.stringify(keeper.book)); // resume later with LoanBook.fromJSON
   * ```
   */
  scan(opts: { step?: number; chunk?: number; events?: boolean; pinned?: FetchOptions["pinned"] } = {}): Promise<ScanResult> {
    return scanLiquidatable(this.provider, this.deployment, { ...opts, book: this.book });
  }

  /**
   * Starts the liquidation of `loanId`; returns the auction id (= loan id).
   * @param loanId a loan that is overdue or unhealthy at a fresh price (see `findLiquidatable`)
   * @param opts the write's options: `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }` and `auctionId` (from `AuctionStarted`)
   * @throws PreconditionError when the liquidator says the loan is not liquidatable (not active, or neither overdue
   *   nor unhealthy at a fresh price)
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const { auctionId } = await keeper.liquidate(candidate.loan.id);
   * const auction = await keeper.auction(auctionId);
   * ```
   */
  async liquidate(loanId: bigint, opts: WriteOptions = {}): Promise<WriteResult & { auctionId: bigint }> {
    const checks = this.contracts.liquidator.isLiquidatable(loanId).then((ok: boolean) => {
      if (!ok) throw new PreconditionError(`loan ${loanId} is not liquidatable: it is not active, or neither overdue nor unhealthy at a fresh price`);
    });
    const r = await this.write(this.contracts.liquidator, "liquidate", [loanId], opts, checks);
    return { ...r, auctionId: eventOf(r, "AuctionStarted").args.auctionId as bigint };
  }

  /**
   * Auction `auctionId` (= the liquidated loan's id), read now.
   * @param auctionId the auction's id, the liquidated loan's id
   * @returns an `AuctionEntity`: `startPrice`, `endPrice` and `owed` (asset base units), `startTime` (unix seconds),
   *   `duration` (seconds), `statusName`, `isRunning`, and `priceAt(t)`
   * @example
   * ```ts
   * const a = await keeper.auction(auctionId);
   * console.log(`${a.statusName}: ${formatAmount(a.startPrice, 6)} falling to ${formatAmount(a.endPrice, 6)}`);
   * ```
   */
  auction(auctionId: bigint): Promise<AuctionEntity> {
    return fetchAuction(this.provider, this.deployment, auctionId);
  }

  /**
   * Running auctions, read at one block (`opts.pinned`, or the latest). By default from this keeper's watch of
   * `AuctionStarted` (`auctionWatch`): it reads only the blocks since its last call (and the last few again, against
   * reorgs) and the auctions not yet seen ended, then lets the ended ones go, so a call costs the same after a
   * thousand auctions as after one. With
   * `opts.fromBlock`, a one-off scan of the events from that block instead (the watch is left alone).
   * @param opts `opts.fromBlock`: a one-off scan from that block; `opts.pinned`: the block to read at, `{ blockNumber,
   *   timestamp }` (default: the latest); `opts.step`: blocks per `eth_getLogs` page (default 10,000)
   * @returns the running auctions, as `AuctionEntity`s
   * @example
   * ```ts
   * const now = BigInt((await provider.getBlock("latest"))!.timestamp);
   * for (const a of await keeper.auctions()) console.log(`auction ${a.id}: ${formatAmount(a.priceAt(now), 6)}`);
   * ```
   */
  async auctions(opts: { fromBlock?: number; pinned?: FetchOptions["pinned"]; step?: number } = {}): Promise<AuctionEntity[]> {
    const { pinned, ids, watch } = await this.#ids(this.auctionWatch, opts);
    const all = await Promise.all(ids.map((id) => fetchAuction(this.provider, this.deployment, id, { pinned })));
    // an ended auction (sold, redeemed, recovered) never runs again: let go once seen ended `depth` blocks (a reorg may
    // undo the end meanwhile); one the watch saw start after the block read reads as None there and is kept
    if (watch) {
      for (const a of all) {
        if (a.status > AUCTION_STATUS.indexOf("Running")) watch.ended(a.id, pinned.blockNumber);
        else if (a.isRunning) watch.live(a.id);
      }
    }
    return all.filter((a) => a.isRunning);
  }

  /**
   * Buys auction `auctionId` if its price is at most `maxPrice` (checked now and by the contract).
   * A missing approval is sent for `maxPrice`, not for the price a second ahead: the node may simulate and mine the
   * buy at the latest block's own timestamp, where the falling price is still higher. The contract never takes more
   * than `maxPrice`.
   * @param auctionId a running auction
   * @param maxPrice the most you pay, in the asset's base units (positive)
   * @param opts `opts.approve: false` to refuse instead of sending a missing approval; plus the write's options
   *   (`gasMarginPct`, `confirmations`, `onSent`)
   * @returns `{ hash, receipt, events }` and `price`, what was paid (from `AuctionSold`, asset base units)
   * @throws InvalidArgumentError when `maxPrice` is not positive
   * @throws PreconditionError when the auction is not running, or its price now is above `maxPrice` (PriceAboveMax)
   * @throws InsufficientBalanceError / AllowanceTooLowError when the signer cannot pay (or `approve: false`)
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const { price } = await keeper.buy(auctionId, parseAmount("18000", 6));
   * ```
   */
  async buy(auctionId: bigint, maxPrice: bigint, opts: TokenWriteOptions = {}): Promise<WriteResult & { price: bigint }> {
    positive(maxPrice, "maxPrice");
    const [a, head] = await Promise.all([this.auction(auctionId), this.provider.getBlock("latest")]);
    if (!a.isRunning) throw new PreconditionError(`auction ${auctionId} is not running (${a.statusName})`);
    // The price falls with time: the one at the latest block bounds what the mined buy pays (and what a node's
    // simulation at that block's timestamp pulls).
    const price = a.priceAt(BigInt(head!.timestamp));
    if (price > maxPrice) {
      const u = (await this.units()).asset;
      throw new PreconditionError(`PriceAboveMax: the auction price ${showAmount(price, u)} is above your limit ${showAmount(maxPrice, u)}`);
    }
    // Approve maxPrice, not the price a second ahead: the node may simulate and mine the buy at the head's own
    // timestamp, where the falling price is still higher (the pull then failed with TRANSFER_FROM_FAILED). The
    // contract never takes more than maxPrice.
    await this.requireFunds(this.deployment.asset, this.deployment.liquidator, price, maxPrice, opts, {
      balance: `buying auction ${auctionId}`,
      allowance: `the liquidator pulls the price of auction ${auctionId}`,
    });
    const r = await this.write(this.contracts.liquidator, "buy", [auctionId, maxPrice], opts);
    return { ...r, price: eventOf(r, "AuctionSold").args.price as bigint };
  }

  /**
   * Why `tranche`'s queue cannot be served now, or null when `processQueue` would serve a request: the queue is
   * empty, it is held by loans in liquidation or cools down after such a hold (SPEC §5.7, with until when), its first
   * pending request is still in its notice period (SPEC §5.8), or no cash is servable. `snap` defaults to a fresh
   * pool snapshot.
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param snap a pool snapshot already read (`fetchPool()`); default: a fresh one
   * @returns why the queue cannot be served now, in words, or `null` when `processQueue` would serve a request
   * @example
   * ```ts
   * const wait = await keeper.queueWait("junior");
   * if (wait === null) await keeper.processQueue("junior");
   * else console.log(`junior queue: ${wait}`);
   * ```
   */
  async queueWait(t: TrancheName | TrancheId, snap?: PoolSnapshot): Promise<string | null> {
    const id = trancheId(t);
    const s = snap ?? (await this.fetchPool());
    const tr = s.tranche(id);
    if (tr.queueHead >= tr.requestCount) return `the ${tr.name} queue is empty`;
    const hold = s.pool.queueHoldAt(id);
    if (hold.reason !== null) return describeQueueHold(tr.name, hold, s.pool);
    if (tr.noticePeriod !== null && tr.noticePeriod > 0n) {
      // FIFO with a notice period (SPEC §5.8): service stops at the first pending request still in its notice.
      const vault = id === Tranche.Senior ? this.contracts.senior : this.contracts.junior;
      const blockTag = s.pool.blockNumber;
      for (let rid = tr.queueHead + 1n; rid <= tr.requestCount; rid++) {
        if ((await vault.redeemRequest(rid, { blockTag })).pendingShares === 0n) continue; // cancelled or served: skipped
        const at = await vault.serviceableAt(rid, { blockTag });
        if (s.pool.timestamp < at) {
          return `the head ${tr.name} request #${rid} is in its notice period until ${new Date(Number(at) * 1000).toISOString()} (SPEC §5.8 junior notice)`;
        }
        break;
      }
    }
    if (s.pool.servableAt(id) === 0n) return `no cash can serve the ${tr.name} queue now`;
    return null;
  }

  /**
   * Delegations the pool could not revoke when their loan closed (a repayment or an impairment whose registry call
   * failed: `LoanDelegateRevokeFailed`) and that are still recorded, read at one block. Since 0.4 the pool keeps an
   * impaired loan's NFT through its auction, so such a delegation stays live over a token the pool holds: anyone may
   * revoke it (`revokeStaleDelegate`), and the keeper bot does each tick.
   * By default from this keeper's watch of `LoanDelegateRevokeFailed` (`revokeWatch`): only the blocks since its last
   * call are read (and the last few again, against reorgs), and a delegation seen revoked is let go.
   * @param opts `opts.fromBlock`: a one-off scan from that block instead; `opts.pinned`: the block to read at;
   *   `opts.step`: blocks per `eth_getLogs` page (default 10,000)
   * @returns one entry per loan whose pool delegation is stale, by loan id
   * @example
   * ```ts
   * for (const s of await keeper.staleDelegations()) await keeper.revokeStaleDelegate(s.loanId);
   * ```
   */
  async staleDelegations(opts: { fromBlock?: number; pinned?: FetchOptions["pinned"]; step?: number } = {}): Promise<StaleDelegation[]> {
    const { pinned, ids, watch } = await this.#ids(this.revokeWatch, opts);
    const found = await Promise.all(
      ids.map(async (loanId) => {
        const { delegate, status } = await this.#delegation(loanId, pinned.blockNumber);
        const closed = status !== "None" && status !== "Active";
        // revoked on a closed loan: for good (only an active loan takes a delegate), let go once seen so `depth`
        // blocks; a loan not yet closed at the block read (its failure came later) is kept
        if (delegate === ZeroAddress && closed) watch?.ended(loanId, pinned.blockNumber);
        else watch?.live(loanId);
        // an active loan keeps its delegate on purpose; a revoked one records none
        return delegate !== ZeroAddress && closed ? { loanId, delegate } : null;
      }),
    );
    return found.filter((x): x is StaleDelegation => x !== null);
  }

  /**
   * Revokes the stale delegation of closed loan `loanId` (`pool.revokeStaleDelegate`; anyone may).
   * @param loanId a loan that is no longer active and whose delegation the pool could not revoke
   * @param opts the write's options: `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }`
   * @throws PreconditionError when the pool records no delegate for the loan, or the loan is still active
   * @throws StrataContractError for a decoded revert of the simulation (the registry still failing)
   * @example
   * ```ts
   * await keeper.revokeStaleDelegate(loanId);
   * ```
   */
  async revokeStaleDelegate(loanId: bigint, opts: WriteOptions = {}): Promise<WriteResult> {
    const { delegate, status } = await this.#delegation(loanId);
    if (status === "Active") {
      throw new PreconditionError(`loan ${loanId} is active: its delegation is the borrower's to change (setDelegate)`);
    }
    if (delegate === ZeroAddress) throw new PreconditionError(`loan ${loanId} has no delegation left to revoke`);
    return this.write(this.contracts.pool, "revokeStaleDelegate", [loanId], opts);
  }

  /**
   * Writes the pool's copy of listed `collection`'s configuration from the registry's record
   * (`CollectionRegistry.syncPool`; anyone may: it copies what governance set, nothing else). Every change through the
   * registry writes the copy already; this fills it for a collection listed before the pool kept one that an
   * upgrade's batch missed (SPEC §8.6), against which borrows are refused (`CollectionNotListed`) until then.
   * @param collection the collection's address
   * @param opts the write's options: `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }` (the registry's `PoolConfigSynced`)
   * @throws PreconditionError when the registry does not list the collection (nothing to copy)
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * await keeper.syncCollection(deployment.collections[0]);
   * ```
   */
  async syncCollection(collection: string, opts: WriteOptions = {}): Promise<WriteResult> {
    const info = await fetchCollection(this.provider, this.deployment, collection);
    if (!info.listed) throw new PreconditionError(`collection ${collection} is not listed in the registry: there is no configuration to copy to the pool`);
    return this.write(this.contracts.registry, "syncPool", [collection], opts);
  }

  /** The pool's delegate for loan `loanId` and the loan's status, at `blockTag` (default: the latest). */
  async #delegation(loanId: bigint, blockTag?: number): Promise<{ delegate: string; status: LoanStatusName }> {
    const read = blockTag === undefined ? {} : { blockTag };
    const [delegate, loan] = await Promise.all([
      this.contracts.pool.delegateOf(loanId, read) as Promise<string>,
      this.contracts.pool.loan(loanId, read) as Promise<{ status: bigint }>,
    ]);
    return { delegate, status: LOAN_STATUS[Number(loan.status)] ?? "None" };
  }

  /**
   * The ids to read at the block read (`opts.pinned`, or the latest): `watch`'s, synced to that block, or with
   * `opts.fromBlock` those of a one-off scan of the same event from that block (no watch returned: nothing dropped).
   */
  async #ids(
    watch: EventWatch,
    opts: { fromBlock?: number; pinned?: FetchOptions["pinned"]; step?: number },
  ): Promise<{ pinned: NonNullable<FetchOptions["pinned"]>; ids: bigint[]; watch: EventWatch | null }> {
    const pinned: NonNullable<FetchOptions["pinned"]> =
      opts.pinned ?? (await this.provider.getBlock("latest").then((b) => ({ blockNumber: b!.number, timestamp: BigInt(b!.timestamp) })));
    const w = opts.fromBlock === undefined ? watch : new EventWatch(watch.address, watch.topic, opts.fromBlock);
    await w.sync(this.provider, { toBlock: pinned.blockNumber, step: opts.step });
    return { pinned, ids: w.ids(), watch: w === watch ? watch : null };
  }

  /**
   * Serves up to `maxRequests` requests of `tranche`'s queue; refuses (`queueWait`) when nothing can be served now.
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param maxRequests the most requests served in this transaction (default 10n)
   * @param opts the write's options: `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }` and `served`, the number of requests served (the vault's `RedeemServed`
   *   events)
   * @throws PreconditionError with `queueWait`'s reason when nothing can be served now
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * try {
   *   const { served } = await keeper.processQueue("senior");
   *   console.log(`senior queue: served ${served}`);
   * } catch (e) {
   *   if (!(e instanceof PreconditionError)) throw e;
   *   console.log(`senior queue: ${e.message}`);
   * }
   * ```
   */
  async processQueue(t: TrancheName | TrancheId, maxRequests = 10n, opts: WriteOptions = {}): Promise<WriteResult & { served: number }> {
    const id = trancheId(t);
    const snap = await this.fetchPool();
    const tr = snap.tranche(id);
    const wait = await this.queueWait(id, snap);
    if (wait !== null) throw new PreconditionError(wait);
    const vault = id === Tranche.Senior ? this.contracts.senior : this.contracts.junior;
    const r = await this.write(vault, "processQueue", [maxRequests], opts);
    return { ...r, served: r.events.filter((e) => e.name === "RedeemServed" && e.address.toLowerCase() === tr.vault.toLowerCase()).length };
  }
}

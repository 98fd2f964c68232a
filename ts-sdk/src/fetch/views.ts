// Read models for user interfaces (added for the web app, app/): what a page shows that is more than one entity —
// share prices over time from the protocol's events, every live loan with its health, the running auctions, the
// tokens a wallet holds, the queue's length and wait, and which optional features a deployment has. Read-only and
// browser-safe; every figure comes from the fetchers and entities (fetch.ts, entities.ts), never re-derived here.
import { Interface, type Provider, ZeroAddress } from "ethers";
import { erc721At, floorOracleAt, registryAt } from "../chain/contracts.ts";
import type { Deployment } from "../chain/deployment.ts";
import { type AuctionEntity, type AuctionParams, type Loan, type LoanHealth, type TrancheEntity, loanHealthAt } from "../entities/index.ts";
import type { CollectionInfo } from "../entities/collection.ts";
import { fetchAuction, fetchAuctionParams } from "./auction.ts";
import { type FetchOptions, HAS_NOTICE_PERIOD, HAS_SERVICEABLE_AT } from "./block.ts";
import { fetchCollection, floorReader } from "./collection.ts";
import { fetchActiveLoans, fetchLoans } from "./loan.ts";
import { type PoolSnapshot, fetchPool } from "./pool.ts";
import { DutchAuctionLiquidatorAbi, ERC721Abi, StrataPoolAbi, TrancheVaultAbi } from "../generated/abis.ts";
import { LoanBook } from "./loan-book.ts";
import { describeQueueHold } from "../format.ts";

type AbiItem = { type: string; name?: string; inputs?: readonly { name: string }[] };

/** Optional protocol features, read from the generated ABIs of the contracts this SDK was built against. */
export interface DeploymentFeatures {
  /** The borrow takes a delegate (delegate.xyz) for the locked NFT. */
  delegation: boolean;
  /** Junior exits are requests with a notice period (`noticePeriod()`, `serviceableAt(id)`). */
  juniorNotice: boolean;
}

/** Which optional features the deployment's contracts have (UIs hide the inputs of the ones it lacks). */
export function deploymentFeatures(): DeploymentFeatures {
  const pool = StrataPoolAbi as readonly AbiItem[];
  const borrow = pool.filter((x) => x.type === "function" && x.name === "borrow");
  const delegation =
    borrow.some((f) => (f.inputs ?? []).some((i) => /delegate/i.test(i.name))) ||
    pool.some((x) => x.type === "function" && /^(borrowWithDelegate|delegateRegistry|setDelegate)$/.test(x.name ?? ""));
  return { delegation, juniorNotice: HAS_NOTICE_PERIOD && HAS_SERVICEABLE_AT };
}

// ---------------------------------------------------------------------------------------------- share-price history

/** Both tranches' share prices (assets per whole share, asset units, Down) at one block. */
export interface SharePricePoint {
  blockNumber: number;
  timestamp: bigint;
  senior: bigint;
  junior: bigint;
  nav: bigint;
}

const POOL_IFACE = new Interface(StrataPoolAbi as never);
const VAULT_IFACE = new Interface(TrancheVaultAbi as never);
const LIQ_IFACE = new Interface(DutchAuctionLiquidatorAbi as never);

/** Every event topic of the pool and the vaults (the blocks where the share prices can move by more than accrual). */
function eventTopics(iface: Interface): string[] {
  const out: string[] = [];
  iface.forEachEvent((e) => out.push(e.topicHash));
  return out;
}

/**
 * Share prices over time: the blocks where the pool, a vault or the liquidator emitted an event (paginated getLogs
 * from `fromBlock`), thinned evenly to at most `maxPoints` (the first and the latest block always kept), and at each
 * the pool fetched at that block (`fetchPool` with `blockTag`) and `tranche.sharePrice` read. Needs a node that
 * serves historical state (anvil does; on a pruned node use a recent `fromBlock`).
 */
export async function fetchSharePriceHistory(
  provider: Provider,
  d: Deployment,
  opts: { fromBlock?: number; maxPoints?: number; step?: number } = {},
): Promise<SharePricePoint[]> {
  const latest = await provider.getBlockNumber();
  const step = opts.step ?? 50_000;
  const maxPoints = Math.max(2, opts.maxPoints ?? 60);
  const topics = [...new Set([...eventTopics(POOL_IFACE), ...eventTopics(VAULT_IFACE), ...eventTopics(LIQ_IFACE)])];
  const deposit = VAULT_IFACE.getEvent("Deposit")!.topicHash;
  const vaults = [d.seniorVault.toLowerCase(), d.juniorVault.toLowerCase()];
  const blocks = new Set<number>();
  // Share prices exist from the first deposit on (before it, a block may even predate the vaults' deployment).
  let first = Number.POSITIVE_INFINITY;
  for (let from = opts.fromBlock ?? 0; from <= latest; from += step) {
    const to = Math.min(latest, from + step - 1);
    const logs = await provider.getLogs({ address: [d.pool, d.seniorVault, d.juniorVault, d.liquidator], topics: [topics], fromBlock: from, toBlock: to });
    for (const l of logs) {
      blocks.add(l.blockNumber);
      if (l.topics[0] === deposit && vaults.includes(l.address.toLowerCase())) first = Math.min(first, l.blockNumber);
    }
  }
  if (first === Number.POSITIVE_INFINITY) return [];
  blocks.add(latest);
  let list = [...blocks].filter((b) => b >= first).sort((a, b) => a - b);
  if (list.length > maxPoints) {
    const picked: number[] = [];
    for (let i = 0; i < maxPoints; i++) picked.push(list[Math.round((i * (list.length - 1)) / (maxPoints - 1))]);
    list = [...new Set(picked)];
  }
  const snaps = await Promise.all(list.map((b) => fetchPool(provider, d, { blockTag: b })));
  return snaps.map((s) => ({ blockNumber: s.pool.blockNumber, timestamp: s.pool.timestamp, senior: s.senior.sharePrice, junior: s.junior.sharePrice, nav: s.pool.navAt() }));
}

// ---------------------------------------------------------------------------------------------- pool figures

/** One tranche's redemption queue: requests in line, shares waiting, their value now, and the minimum wait. */
export interface QueueView {
  /** Requests behind the head (`requestCount - head`; cancelled or served ones inside the line included). */
  requestsInLine: bigint;
  pendingShares: bigint;
  /** The pending shares at the current price (`convertToAssets`, Down). */
  pendingValue: bigint;
  /** The junior notice period in seconds (null: served as soon as cash allows). */
  noticePeriod: bigint | null;
  /** Cash that could serve this queue now (`servable`). */
  servableNow: bigint;
  /** The line is held by loans in liquidation or cools down after a hold (SPEC §5.7). */
  blocked: boolean;
  /** Why, in words (amounts in token units, the time it lifts), or null when the line is open. */
  holdText: string | null;
}

export function queueView(snap: PoolSnapshot, tr: TrancheEntity): QueueView {
  const pending = snap.pool.pendingShares[tr.tranche];
  const hold = snap.pool.queueHoldAt(tr.tranche);
  return {
    requestsInLine: tr.requestCount > tr.queueHead ? tr.requestCount - tr.queueHead : 0n,
    pendingShares: pending,
    pendingValue: tr.convertToAssets(pending),
    noticePeriod: tr.noticePeriod,
    servableNow: snap.pool.servableAt(tr.tranche),
    blocked: hold.reason !== null,
    holdText: hold.reason === null ? null : describeQueueHold(tr.name, hold, snap.pool),
  };
}

/** Subordination: the junior's share of NAV (WAD, Down) against the governance minimum. */
export function subordination(snap: PoolSnapshot): { ratio: bigint; minimum: bigint } {
  return snap.pool.subordinationAt();
}

// ---------------------------------------------------------------------------------------------- loans and auctions

/**
 * Every live loan (or only `borrower`'s) with its health, sorted from the least healthy: the loan book from the
 * pool's events (LoanBook), the loans through the pool's multicall, the floors once per collection.
 */
export async function fetchLoanViews(provider: Provider, d: Deployment, opts: { borrower?: string; book?: LoanBook } = {}): Promise<LoanHealth[]> {
  const head = await provider.getBlock("latest");
  if (!head) return [];
  const book = opts.book ?? new LoanBook(d.pool, 0);
  await book.sync(provider, { toBlock: head.number });
  const ids = opts.borrower ? book.of(opts.borrower).map((e) => e.id) : book.ids();
  const loans = await fetchLoans(provider, d, ids, { blockTag: head.number });
  const t = BigInt(head.timestamp);
  const floorOf = floorReader(provider, d, head.number);
  const live = loans.filter((l) => l.isActive);
  const floors = await Promise.all(live.map((l) => floorOf(l.collection)));
  return live
    .map((loan, i) => loanHealthAt(loan, floors[i], t))
    .sort((a, b) => (a.health < b.health ? -1 : a.health > b.health ? 1 : 0));
}

/** Running auctions (from the liquidator's `AuctionStarted` events, status read at the latest block). */
export async function fetchRunningAuctions(provider: Provider, d: Deployment, opts: { fromBlock?: number } = {}): Promise<AuctionEntity[]> {
  const topic = LIQ_IFACE.getEvent("AuctionStarted")!.topicHash;
  const logs = await provider.getLogs({ address: d.liquidator, topics: [topic], fromBlock: opts.fromBlock ?? 0, toBlock: "latest" });
  const ids = [...new Set(logs.map((l) => BigInt(l.topics[1])))];
  const all = await Promise.all(ids.map((id) => fetchAuction(provider, d, id)));
  return all.filter((a) => a.isRunning);
}

// ---------------------------------------------------------------------------------------------- wallets

const ERC721_IFACE = new Interface(ERC721Abi as never);

/**
 * Token ids of `collection` that `owner` holds now: candidates from the `Transfer` events to `owner`, each checked
 * with `ownerOf` (works for collections without ERC721Enumerable).
 */
export async function fetchOwnedTokens(provider: Provider, collection: string, owner: string, opts: { fromBlock?: number } = {}): Promise<bigint[]> {
  const transfer = ERC721_IFACE.getEvent("Transfer")!;
  const ownerTopic = `0x${owner.slice(2).toLowerCase().padStart(64, "0")}`;
  const logs = await provider.getLogs({ address: collection, topics: [transfer.topicHash, null, ownerTopic], fromBlock: opts.fromBlock ?? 0, toBlock: "latest" });
  const ids = [...new Set(logs.map((l) => BigInt(l.topics[3])))];
  const nft = erc721At(collection, provider);
  const owners = await Promise.all(ids.map((id) => nft.ownerOf(id).catch(() => ZeroAddress)));
  return ids.filter((_, i) => owners[i].toLowerCase() === owner.toLowerCase()).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Everything the stress view (stress.ts) reads, at one block: the pool, its active loans, their collections. */
export interface StressBook {
  snap: PoolSnapshot;
  loans: Loan[];
  collections: CollectionInfo[];
  auction: AuctionParams;
}

/**
 * Reads the stress view's inputs at one block: the pool, every active loan, and the collections: each listed one of
 * `d`, and any other collection an active loan is on (a collection listed after the deployment file was written, or
 * delisted with loans still open), so every loan has its floor.
 */
export async function fetchStressBook(provider: Provider, d: Deployment, opts: FetchOptions = {}): Promise<StressBook> {
  const snap = await fetchPool(provider, d, opts);
  const pinned = { blockNumber: snap.pool.blockNumber, timestamp: snap.pool.timestamp };
  const [loans, auction] = await Promise.all([fetchActiveLoans(provider, d, { pinned }), fetchAuctionParams(provider, d, { pinned })]);
  const addresses = new Map<string, string>();
  for (const c of [...d.collections, ...loans.map((l) => l.collection)]) if (!addresses.has(c.toLowerCase())) addresses.set(c.toLowerCase(), c);
  const read = await Promise.all([...addresses.values()].map((c) => fetchCollection(provider, d, c, { pinned })));
  const withLoans = new Set(loans.map((l) => l.collection.toLowerCase()));
  return { snap, loans, collections: read.filter((c) => c.listed || withLoans.has(c.address.toLowerCase())), auction };
}

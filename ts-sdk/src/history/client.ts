// The indexer's typed client (issue #31): the pool's past, a lender's flows and P&L, a loan's timeline, read from the
// Strata indexer (indexer/, Ponder) over its GraphQL API. Kept apart from the chain fetchers (fetch/): nothing here
// reads a node; browser-safe (fetch only). Amounts come back as bigint in the asset's base units.
import { StrataError } from "../errors.ts";
import { TRANCHE_NAMES, type TrancheName } from "../entities/types.ts";
import { type LenderPnl, type LenderPosition, lenderPnl } from "./pnl.ts";

/** The indexer did not answer, answered an error, or is not the Strata indexer. */
export class IndexerError extends StrataError {}

/** Where the indexer is and how to reach it. */
export interface IndexerOptions {
  /** The indexer's base URL (`npm run indexer` serves http://127.0.0.1:42069); GraphQL is at `<url>/graphql`. */
  url: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Per-request timeout in ms (default 10,000). */
  timeoutMs?: number;
}

/** The pool at one event, as the indexer read it at that event's block. */
export interface PoolHistoryPoint {
  blockNumber: number;
  logIndex: number;
  timestamp: bigint;
  txHash: string;
  /** The contract and event that made the snapshot (e.g. `TrancheVault`, `Deposit`). */
  contract: string;
  event: string;
  nav: bigint;
  cash: bigint;
  totalPrincipal: bigint;
  /** WAD. */
  utilization: bigint;
  seniorClaim: bigint;
  seniorValue: bigint;
  juniorValue: bigint;
  seniorSupply: bigint;
  juniorSupply: bigint;
  /** Assets per whole share, asset base units (vault `convertToAssets(1 share)`). */
  seniorSharePrice: bigint;
  juniorSharePrice: bigint;
  cumulativeLoss: bigint;
}

/** One flow of a lender (deposit, withdraw, request, cancel, served, claim, transfer out). */
export interface LenderFlow {
  tranche: TrancheName;
  kind: string;
  assets: bigint;
  shares: bigint;
  requestId: bigint | null;
  blockNumber: number;
  timestamp: bigint;
  txHash: string;
}

/** A lender's position in one tranche, as indexed, with its flow counts and P&L. */
export interface LenderTranche extends LenderPosition {
  deposits: number;
  exits: number;
  /** P&L and realised yield at the latest snapshot (`pnl.asOf`). */
  pnl: LenderPnl;
}

/** A lender's history: both tranches and every flow, oldest first. */
export interface LenderHistory {
  account: string;
  tranches: LenderTranche[];
  flows: LenderFlow[];
  /** The latest pool snapshot the values are taken at (null: nothing indexed yet). */
  asOf: PoolHistoryPoint | null;
}

/** One entry of a loan's timeline. */
export interface LoanTimelineEntry {
  kind: string;
  blockNumber: number;
  timestamp: bigint;
  txHash: string;
  /** The event's arguments (amounts as decimal strings). */
  data: Record<string, unknown>;
}

/** A loan as indexed: terms at origination, where it stands, and its timeline. */
export interface LoanHistory {
  id: bigint;
  borrower: string;
  collection: string;
  tokenId: bigint;
  principal: bigint;
  principalOutstanding: bigint;
  apr: bigint;
  maturity: bigint;
  rarityBps: bigint;
  originationFee: bigint;
  status: string;
  delegate: string | null;
  interestPaid: bigint;
  lateFeePaid: bigint;
  repayments: number;
  extensions: number;
  salePrice: bigint | null;
  loss: bigint | null;
  gainOverBook: bigint | null;
  borrowerSurplus: bigint | null;
  originatedAt: bigint;
  closedAt: bigint | null;
  timeline: LoanTimelineEntry[];
}

const SNAPSHOT_FIELDS =
  "blockNumber logIndex timestamp txHash contract event nav cash totalPrincipal utilization seniorClaim seniorValue juniorValue seniorSupply juniorSupply seniorSharePrice juniorSharePrice cumulativeLoss";
const PAGE = 1000;

async function query<T>(o: IndexerOptions, q: string, variables: Record<string, unknown> = {}): Promise<T> {
  const f = o.fetch ?? fetch;
  const url = `${o.url.replace(/\/+$/, "")}/graphql`;
  let res: Response;
  try {
    res = await f(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: q, variables }),
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
  } catch (e) {
    throw new IndexerError(`the indexer at ${o.url} does not answer (${causeOf(e)}); start it with \`npm run indexer\``);
  }
  const text = await res.text();
  let body: { data?: T; errors?: { message: string }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new IndexerError(`the indexer at ${o.url} answered HTTP ${res.status} with something that is not JSON: ${text.slice(0, 120)}`);
  }
  if (body.errors?.length) throw new IndexerError(`the indexer at ${o.url} refused the query: ${body.errors.map((e) => e.message).join("; ")}`);
  if (!res.ok || !body.data) throw new IndexerError(`the indexer at ${o.url} answered HTTP ${res.status}`);
  return body.data;
}

type Raw = Record<string, unknown>;
const big = (x: unknown) => BigInt(x as string);
const bigOrNull = (x: unknown) => (x === null || x === undefined ? null : BigInt(x as string));

function toPoint(r: Raw): PoolHistoryPoint {
  return {
    blockNumber: Number(r.blockNumber),
    logIndex: Number(r.logIndex),
    timestamp: big(r.timestamp),
    txHash: r.txHash as string,
    contract: r.contract as string,
    event: r.event as string,
    nav: big(r.nav),
    cash: big(r.cash),
    totalPrincipal: big(r.totalPrincipal),
    utilization: big(r.utilization),
    seniorClaim: big(r.seniorClaim),
    seniorValue: big(r.seniorValue),
    juniorValue: big(r.juniorValue),
    seniorSupply: big(r.seniorSupply),
    juniorSupply: big(r.juniorSupply),
    seniorSharePrice: big(r.seniorSharePrice),
    juniorSharePrice: big(r.juniorSharePrice),
    cumulativeLoss: big(r.cumulativeLoss),
  };
}

/** Every row of a list query, following the cursor (Ponder pages by 1,000 at most). */
async function all<T>(o: IndexerOptions, list: string, fields: string, where: string, map: (r: Raw) => T, orderBy = "blockNumber"): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (;;) {
    const q = `query ($after: String) { ${list}(${where ? `where: ${where}, ` : ""}orderBy: "${orderBy}", orderDirection: "asc", limit: ${PAGE}, after: $after) { items { ${fields} } pageInfo { hasNextPage endCursor } } }`;
    const data: Record<string, { items: Raw[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> = await query(o, q, { after });
    const page = data[list];
    out.push(...page.items.map(map));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return out;
    after = page.pageInfo.endCursor;
  }
}

/** Orders by block, then log index. */
const byLog = (a: { blockNumber: number; logIndex: number }, b: { blockNumber: number; logIndex: number }) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex;

/** The i-th of `max` evenly spread indices over `n` items (the first and the last kept): the thinning of charts. */
export function thinIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const m = Math.max(2, max);
  return [...new Set(Array.from({ length: m }, (_, i) => Math.round((i * (n - 1)) / (m - 1))))];
}

/**
 * The pool's history from the indexer: one snapshot per event of the pool, a vault or the liquidator (NAV, cash,
 * book, utilization, senior claim, tranche values and share prices at that event's block), oldest first.
 * `fromBlock` / `toBlock` bound it; `maxPoints` thins it evenly (the first and the last kept, `thinIndices`), as a
 * chart wants: the indexer thins it in its database (GET /history/pool), so a chart of a long history costs one
 * small request.
 */
export async function fetchHistory(o: IndexerOptions, opts: { fromBlock?: number; toBlock?: number; maxPoints?: number } = {}): Promise<PoolHistoryPoint[]> {
  if (opts.maxPoints !== undefined) {
    const q = new URLSearchParams({ maxPoints: String(opts.maxPoints) });
    if (opts.fromBlock !== undefined) q.set("fromBlock", String(opts.fromBlock));
    if (opts.toBlock !== undefined) q.set("toBlock", String(opts.toBlock));
    const body = await getJson<{ items: Raw[] }>(o, `/history/pool?${q}`);
    return body.items.map(toPoint).sort(byLog);
  }
  const cond: string[] = [];
  if (opts.fromBlock !== undefined) cond.push(`blockNumber_gte: "${opts.fromBlock}"`);
  if (opts.toBlock !== undefined) cond.push(`blockNumber_lte: "${opts.toBlock}"`);
  return (await all(o, "poolSnapshots", SNAPSHOT_FIELDS, cond.length ? `{ ${cond.join(", ")} }` : "", toPoint)).sort(byLog);
}

/** GET `path` of the indexer as JSON, with the client's errors. */
async function getJson<T>(o: IndexerOptions, path: string): Promise<T> {
  const f = o.fetch ?? fetch;
  let res: Response;
  try {
    res = await f(`${o.url.replace(/\/+$/, "")}${path}`, { signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
  } catch (e) {
    throw new IndexerError(`the indexer at ${o.url} does not answer (${causeOf(e)}); start it with \`npm run indexer\``);
  }
  const text = await res.text();
  let body: T & { error?: string };
  try {
    body = JSON.parse(text);
  } catch {
    throw new IndexerError(`the indexer at ${o.url} answered HTTP ${res.status} on ${path.split("?")[0]} with something that is not JSON: ${text.slice(0, 120)}`);
  }
  if (!res.ok) throw new IndexerError(`the indexer at ${o.url} answered HTTP ${res.status} on ${path.split("?")[0]}${body.error ? `: ${body.error}` : ""}`);
  return body;
}

/** The innermost message of a fetch failure (ECONNREFUSED, a timeout). */
function causeOf(e: unknown): string {
  const err = e as Error & { cause?: { message?: string; code?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

/** The latest snapshot the indexer has (null before the first deposit). */
export async function fetchLatestSnapshot(o: IndexerOptions): Promise<PoolHistoryPoint | null> {
  const top = await query<{ poolSnapshots: { items: Raw[] } }>(o, `{ poolSnapshots(orderBy: "blockNumber", orderDirection: "desc", limit: 1) { items { blockNumber } } }`);
  if (top.poolSnapshots.items.length === 0) return null;
  const block = String(top.poolSnapshots.items[0].blockNumber);
  const inBlock = await all(o, "poolSnapshots", SNAPSHOT_FIELDS, `{ blockNumber: "${block}" }`, toPoint, "logIndex");
  return inBlock.sort(byLog)[inBlock.length - 1] ?? null;
}

/**
 * A lender's history from the indexer: per tranche its deposits, exits, shares (held and queued), claimable assets,
 * and its P&L and realised yield since the first deposit (`lenderPnl`) valued at the latest snapshot; and every
 * flow, oldest first.
 */
export async function fetchLenderHistory(o: IndexerOptions, account: string): Promise<LenderHistory> {
  const a = account.toLowerCase();
  if (!/^0x[0-9a-f]{40}$/.test(a)) throw new IndexerError(`"${account}" is not an address`);
  const [rows, flows, asOf] = await Promise.all([
    all(o, "lenders", "tranche deposited exited shares pendingShares claimableAssets deposits exits firstDepositAt lastEventAt", `{ account: "${a}" }`, (r) => r, "tranche"),
    all(
      o,
      "lenderEvents",
      "tranche kind assets shares requestId blockNumber logIndex timestamp txHash",
      `{ account: "${a}" }`,
      (r): LenderFlow & { logIndex: number } => ({
        tranche: r.tranche as TrancheName,
        kind: r.kind as string,
        assets: big(r.assets),
        shares: big(r.shares),
        requestId: bigOrNull(r.requestId),
        blockNumber: Number(r.blockNumber),
        logIndex: Number(r.logIndex),
        timestamp: big(r.timestamp),
        txHash: r.txHash as string,
      }),
    ),
    fetchLatestSnapshot(o),
  ]);
  flows.sort(byLog);
  const tranches = TRANCHE_NAMES.flatMap((name): LenderTranche[] => {
    const r = rows.find((x) => x.tranche === name);
    if (!r) return [];
    const position = {
      tranche: name,
      deposited: big(r.deposited),
      exited: big(r.exited),
      shares: big(r.shares),
      pendingShares: big(r.pendingShares),
      claimableAssets: big(r.claimableAssets),
      deposits: Number(r.deposits),
      exits: Number(r.exits),
      firstDepositAt: bigOrNull(r.firstDepositAt),
    };
    const trancheFlows = flows.filter((f) => f.tranche === name);
    return [{ ...position, pnl: lenderPnl(position, trancheFlows, asOf) }];
  });
  return { account: a, tranches, flows: flows.map(({ logIndex: _l, ...f }) => f), asOf };
}

/** A loan's history from the indexer: its terms, status and outcome, and its timeline oldest first. */
export async function fetchLoanHistory(o: IndexerOptions, loanId: bigint | number | string): Promise<LoanHistory> {
  const id = BigInt(loanId);
  const data = await query<{ loan: Raw | null }>(
    o,
    `{ loan(id: "${id}") { id borrower collection tokenId principal principalOutstanding apr maturity rarityBps originationFee status delegate interestPaid lateFeePaid repayments extensions salePrice loss gainOverBook borrowerSurplus originatedAt closedAt } }`,
  );
  const r = data.loan;
  if (!r) throw new IndexerError(`loan ${id} is not in the indexer (not originated, or not indexed yet)`);
  const timeline = (
    await all(o, "loanEvents", "kind blockNumber logIndex timestamp txHash data", `{ loanId: "${id}" }`, (e) => ({
      kind: e.kind as string,
      blockNumber: Number(e.blockNumber),
      logIndex: Number(e.logIndex),
      timestamp: big(e.timestamp),
      txHash: e.txHash as string,
      data: (typeof e.data === "string" ? JSON.parse(e.data) : e.data) as Record<string, unknown>,
    }))
  )
    .sort(byLog)
    .map(({ logIndex: _l, ...e }) => e);
  return {
    id,
    borrower: r.borrower as string,
    collection: r.collection as string,
    tokenId: big(r.tokenId),
    principal: big(r.principal),
    principalOutstanding: big(r.principalOutstanding),
    apr: big(r.apr),
    maturity: big(r.maturity),
    rarityBps: big(r.rarityBps),
    originationFee: big(r.originationFee),
    status: r.status as string,
    delegate: (r.delegate as string | null) ?? null,
    interestPaid: big(r.interestPaid),
    lateFeePaid: big(r.lateFeePaid),
    repayments: Number(r.repayments),
    extensions: Number(r.extensions),
    salePrice: bigOrNull(r.salePrice),
    loss: bigOrNull(r.loss),
    gainOverBook: bigOrNull(r.gainOverBook),
    borrowerSurplus: bigOrNull(r.borrowerSurplus),
    originatedAt: big(r.originatedAt),
    closedAt: bigOrNull(r.closedAt),
    timeline,
  };
}

/** The indexer's progress: the latest block it has indexed (null: it has not started). */
export async function fetchIndexerStatus(o: IndexerOptions): Promise<{ blockNumber: number | null; timestamp: bigint | null }> {
  const f = o.fetch ?? fetch;
  let res: Response;
  try {
    res = await f(`${o.url.replace(/\/+$/, "")}/status`, { signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) });
  } catch (e) {
    throw new IndexerError(`the indexer at ${o.url} does not answer (${(e as Error).message}); start it with \`npm run indexer\``);
  }
  if (!res.ok) throw new IndexerError(`the indexer at ${o.url} answered HTTP ${res.status} on /status`);
  const body = (await res.json()) as Record<string, { block?: { number: number; timestamp: number } | null }>;
  const chain = Object.values(body)[0];
  return chain?.block ? { blockNumber: Number(chain.block.number), timestamp: BigInt(chain.block.timestamp) } : { blockNumber: null, timestamp: null };
}

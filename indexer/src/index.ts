// Strata's indexing functions: one handler per event (ponder.on), every pool, vault and liquidator event followed by
// a pool snapshot read at its block. Protocol math comes from the SDK (ts-sdk/src/math), figures the contracts
// compute come from their views at the event's block: nothing here re-derives a protocol rule.
import { ponder } from "ponder:registry";
import * as s from "ponder:schema";
import { eq, replaceBigInts } from "ponder";
import { decodeFunctionResult, encodeFunctionData } from "viem";
import { utilization } from "../../ts-sdk/src/math/interest.ts";
import type { PoolHistoryPoint } from "../../ts-sdk/src/history/client.ts";
import { StrataPoolAbi, TrancheVaultAbi } from "../../ts-sdk/src/generated/abis.ts";

type Ev = { args: Record<string, unknown>; block: { number: bigint; timestamp: bigint; hash: `0x${string}` }; log: { logIndex: number; address: `0x${string}` }; transaction: { hash: `0x${string}` } };
// biome-ignore lint: the context's type is Ponder's generated one; handlers below use its db and client only
type Ctx = any;

const ZERO = "0x0000000000000000000000000000000000000000";
const rowId = (e: Ev) => `${e.block.number}-${e.log.logIndex}`;
const json = (x: unknown) => replaceBigInts(x, (v) => String(v)) as Record<string, unknown>;
const lower = (a: string) => a.toLowerCase() as `0x${string}`;

/** senior | junior, from the emitting vault's address (the config lists [senior, junior]). */
function trancheOf(e: Ev, context: Ctx): "senior" | "junior" {
  const [senior] = context.contracts.TrancheVault.address as `0x${string}`[];
  return lower(e.log.address) === lower(senior) ? "senior" : "junior";
}

const shareUnit = new Map<string, bigint>();
const POOL_VIEWS: [string, unknown[]][] = [
  ["nav", []],
  ["cash", []],
  ["totalPrincipal", []],
  ["seniorClaim", []],
  ["trancheValue", [0]],
  ["trancheValue", [1]],
];

/**
 * Reads at one block, once: every event of a block sees the same state (the block's end), so the reads of its first
 * event serve the others. Keyed by the block's hash, not its number: a reorganised block is read anew.
 */
const blockReads = new Map<string, Promise<unknown>>();
function onceAtBlock<T>(e: Ev, key: string, read: () => Promise<T>): Promise<T> {
  const k = `${e.block.hash}:${key}`;
  let p = blockReads.get(k) as Promise<T> | undefined;
  if (!p) {
    if (blockReads.size > 256) blockReads.clear();
    p = read();
    blockReads.set(k, p);
    p.catch(() => blockReads.delete(k)); // a failed read is retried by the next event, not remembered
  }
  return p;
}

/** The figures a snapshot reads from the chain: the SDK history client's point, less what the event itself gives. */
type PoolFigures = Pick<
  PoolHistoryPoint,
  | "nav"
  | "cash"
  | "totalPrincipal"
  | "seniorClaim"
  | "seniorValue"
  | "juniorValue"
  | "seniorSupply"
  | "juniorSupply"
  | "seniorSharePrice"
  | "juniorSharePrice"
>;

/** NAV, cash, book, senior claim, tranche values, supplies and share prices at the event's block (pool and vault views). */
function poolFigures(e: Ev, context: Ctx): Promise<PoolFigures> {
  return onceAtBlock(e, "pool", async () => {
    const pool = context.contracts.StrataPool.address as `0x${string}`;
    const [sv, jv] = context.contracts.TrancheVault.address as `0x${string}`[];
    const blockNumber = e.block.number;
    const v = (address: `0x${string}`, functionName: string, args?: unknown[]) => context.client.readContract({ abi: TrancheVaultAbi, address, functionName, args, blockNumber }) as Promise<bigint>;
    for (const vault of [sv, jv]) {
      if (!shareUnit.has(vault)) shareUnit.set(vault, 10n ** BigInt(await v(vault, "decimals")));
    }
    // the pool's figures in one eth_call: the pool's own multicall (delegatecalls to its views)
    const calls = POOL_VIEWS.map(([functionName, args]) => encodeFunctionData({ abi: StrataPoolAbi, functionName, args } as never));
    const [results, seniorSupply, juniorSupply, seniorSharePrice, juniorSharePrice] = await Promise.all([
      context.client.readContract({ abi: StrataPoolAbi, address: pool, functionName: "multicall", args: [calls], blockNumber }) as Promise<readonly `0x${string}`[]>,
      v(sv, "totalSupply"),
      v(jv, "totalSupply"),
      v(sv, "convertToAssets", [shareUnit.get(sv)]),
      v(jv, "convertToAssets", [shareUnit.get(jv)]),
    ]);
    const [nav, cash, totalPrincipal, seniorClaim, seniorValue, juniorValue] = results.map(
      (data, i) => decodeFunctionResult({ abi: StrataPoolAbi, functionName: POOL_VIEWS[i][0], data } as never) as bigint,
    );
    return { nav, cash, totalPrincipal, seniorClaim, seniorValue, juniorValue, seniorSupply, juniorSupply, seniorSharePrice, juniorSharePrice };
  });
}

/** The pool at the event's block, as a snapshot row (from the first deposit on: before it share prices do not exist). */
async function snapshot(e: Ev, context: Ctx, contract: string, event: string): Promise<void> {
  const totals = await context.db.find(s.poolTotals, { id: "pool" });
  // events of the deployment itself come before the vaults exist
  if (totals?.firstDepositBlock == null) return;
  const f = await poolFigures(e, context);
  await context.db.insert(s.poolSnapshot).values({
    id: rowId(e),
    blockNumber: e.block.number,
    logIndex: e.log.logIndex,
    timestamp: e.block.timestamp,
    txHash: e.transaction.hash,
    contract,
    event,
    ...f,
    utilization: utilization(f.totalPrincipal, f.cash),
    cumulativeLoss: totals.cumulativeLoss,
  });
}

async function loanEvent(e: Ev, context: Ctx, loanId: bigint, kind: string): Promise<void> {
  await context.db.insert(s.loanEvent).values({
    id: rowId(e),
    loanId,
    blockNumber: e.block.number,
    logIndex: e.log.logIndex,
    timestamp: e.block.timestamp,
    txHash: e.transaction.hash,
    kind,
    data: json(e.args),
  });
}

async function refreshExposure(e: Ev, context: Ctx, collectionAddr: `0x${string}`, change: Partial<{ loans: number; defaults: number; recovered: bigint; loss: bigint }> = {}): Promise<void> {
  const exposure = await onceAtBlock(
    e,
    `exposure:${lower(collectionAddr)}`,
    () =>
      context.client.readContract({
        abi: StrataPoolAbi,
        address: context.contracts.StrataPool.address,
        functionName: "exposure",
        args: [collectionAddr],
        blockNumber: e.block.number,
      }) as Promise<bigint>,
  );
  await context.db
    .insert(s.collection)
    .values({ id: lower(collectionAddr), listed: false, paused: false, exposure, loans: change.loans ?? 0, defaults: change.defaults ?? 0, recovered: change.recovered ?? 0n, loss: change.loss ?? 0n })
    .onConflictDoUpdate((row: typeof s.collection.$inferSelect) => ({
      exposure,
      loans: row.loans + (change.loans ?? 0),
      defaults: row.defaults + (change.defaults ?? 0),
      recovered: row.recovered + (change.recovered ?? 0n),
      loss: row.loss + (change.loss ?? 0n),
    }));
}

async function parameterChange(e: Ev, context: Ctx, contract: string, event: string): Promise<void> {
  await context.db.insert(s.parameterChange).values({
    id: rowId(e),
    contract,
    address: lower(e.log.address),
    event,
    args: json(e.args),
    blockNumber: e.block.number,
    timestamp: e.block.timestamp,
    txHash: e.transaction.hash,
  });
}

// ------------------------------------------------------------------------------------------------------------ loans

ponder.on("StrataPool:LoanOriginated", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { loanId: bigint; borrower: `0x${string}`; collection: `0x${string}`; tokenId: bigint; principal: bigint; apr: bigint; maturity: bigint; rarityBps: bigint; originationFee: bigint };
  // the terms the event does not carry (locked at origination, SPEC §3.1); the block's reads start meanwhile
  void poolFigures(event, context).catch(() => {});
  const terms = (await context.client.readContract({ abi: StrataPoolAbi, address: context.contracts.StrataPool.address, functionName: "loan", args: [a.loanId], blockNumber: event.block.number })) as {
    liquidationThresholdBps: number;
    liquidationPenaltyBps: number;
    lateFeeBps: number;
    gracePeriod: number;
  };
  await context.db.insert(s.loan).values({
    id: a.loanId,
    borrower: lower(a.borrower),
    collection: lower(a.collection),
    tokenId: a.tokenId,
    principal: a.principal,
    principalOutstanding: a.principal,
    apr: a.apr,
    maturity: a.maturity,
    rarityBps: a.rarityBps,
    originationFee: a.originationFee,
    liquidationThresholdBps: Number(terms.liquidationThresholdBps),
    liquidationPenaltyBps: Number(terms.liquidationPenaltyBps),
    lateFeeBps: Number(terms.lateFeeBps),
    gracePeriod: BigInt(terms.gracePeriod),
    status: "active",
    interestPaid: 0n,
    lateFeePaid: 0n,
    protocolFeePaid: 0n,
    repayments: 0,
    extensions: 0,
    originatedBlock: event.block.number,
    originatedAt: event.block.timestamp,
  });
  await loanEvent(event, context, a.loanId, "originated");
  await refreshExposure(event, context, a.collection, { loans: 1 });
  await snapshot(event, context, "StrataPool", "LoanOriginated");
});

ponder.on("StrataPool:LoanRepaid", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { loanId: bigint; principalPaid: bigint; interestPaid: bigint; lateFee: bigint; protocolFee: bigint; principalRemaining: bigint };
  const row = await context.db.update(s.loan, { id: a.loanId }).set((r: typeof s.loan.$inferSelect) => ({
    principalOutstanding: a.principalRemaining,
    interestPaid: r.interestPaid + a.interestPaid,
    lateFeePaid: r.lateFeePaid + a.lateFee,
    protocolFeePaid: r.protocolFeePaid + a.protocolFee,
    repayments: r.repayments + 1,
    status: a.principalRemaining === 0n ? "repaid" : r.status,
    closedAt: a.principalRemaining === 0n ? event.block.timestamp : r.closedAt,
  }));
  await loanEvent(event, context, a.loanId, a.principalRemaining === 0n ? "repaid" : "partially repaid");
  await refreshExposure(event, context, row.collection);
  await snapshot(event, context, "StrataPool", "LoanRepaid");
});

ponder.on("StrataPool:LoanExtended", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { loanId: bigint; interestPaid: bigint; newApr: bigint; newMaturity: bigint };
  await context.db.update(s.loan, { id: a.loanId }).set((r: typeof s.loan.$inferSelect) => ({
    apr: a.newApr,
    maturity: a.newMaturity,
    interestPaid: r.interestPaid + a.interestPaid,
    extensions: r.extensions + 1,
  }));
  await loanEvent(event, context, a.loanId, "extended");
  await snapshot(event, context, "StrataPool", "LoanExtended");
});

ponder.on("StrataPool:LoanDelegateSet", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { loanId: bigint; delegate: `0x${string}` };
  const existing = await context.db.find(s.loan, { id: a.loanId });
  if (existing) await context.db.update(s.loan, { id: a.loanId }).set({ delegate: a.delegate === ZERO ? null : lower(a.delegate) });
  await loanEvent(event, context, a.loanId, a.delegate === ZERO ? "delegation cleared" : "delegated");
  await snapshot(event, context, "StrataPool", "LoanDelegateSet");
});

ponder.on("StrataPool:LoanDelegateRevokeFailed", async ({ event, context }: { event: Ev; context: Ctx }) => {
  await loanEvent(event, context, event.args.loanId as bigint, "delegation revoke failed");
  await snapshot(event, context, "StrataPool", "LoanDelegateRevokeFailed");
});

ponder.on("StrataPool:LoanImpaired", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { loanId: bigint; bookValue: bigint; debt: bigint };
  const row = await context.db.update(s.loan, { id: a.loanId }).set({ status: "liquidating" });
  await loanEvent(event, context, a.loanId, "liquidation started");
  await refreshExposure(event, context, row.collection, { defaults: 1 });
  await snapshot(event, context, "StrataPool", "LoanImpaired");
});

ponder.on("StrataPool:LiquidationSettled", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { loanId: bigint; toPool: bigint; loss: bigint; gainOverBook: bigint };
  const row = await context.db.update(s.loan, { id: a.loanId }).set((r: typeof s.loan.$inferSelect) => ({
    loss: a.loss,
    gainOverBook: a.gainOverBook,
    principalOutstanding: 0n,
    status: r.status === "recovering" ? "recovered" : r.status === "liquidating" ? "sold" : r.status,
    closedAt: event.block.timestamp,
  }));
  await context.db
    .insert(s.poolTotals)
    .values({ id: "pool", cumulativeLoss: a.loss, firstDepositBlock: null })
    .onConflictDoUpdate((r: typeof s.poolTotals.$inferSelect) => ({ cumulativeLoss: r.cumulativeLoss + a.loss }));
  await loanEvent(event, context, a.loanId, "liquidation settled");
  await refreshExposure(event, context, row.collection, { recovered: a.toPool, loss: a.loss });
  await snapshot(event, context, "StrataPool", "LiquidationSettled");
});

ponder.on("StrataPool:RecoveryPending", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const loanId = event.args.loanId as bigint;
  await context.db.update(s.loan, { id: loanId }).set({ status: "recovering" });
  await loanEvent(event, context, loanId, "recovery pending");
  await snapshot(event, context, "StrataPool", "RecoveryPending");
});

ponder.on("Liquidator:AuctionStarted", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { auctionId: bigint; owed: bigint };
  await context.db.update(s.loan, { id: a.auctionId }).set({ auctionOwed: a.owed });
  await loanEvent(event, context, a.auctionId, "auction started");
  await snapshot(event, context, "Liquidator", "AuctionStarted");
});

ponder.on("Liquidator:AuctionSold", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { auctionId: bigint; price: bigint; surplus: bigint };
  await context.db.update(s.loan, { id: a.auctionId }).set({ salePrice: a.price, borrowerSurplus: a.surplus, status: "sold" });
  await loanEvent(event, context, a.auctionId, "auction sold");
  await snapshot(event, context, "Liquidator", "AuctionSold");
});

ponder.on("Liquidator:AuctionRedeemed", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { auctionId: bigint; amount: bigint };
  await context.db.update(s.loan, { id: a.auctionId }).set({ salePrice: a.amount, status: "redeemed" });
  await loanEvent(event, context, a.auctionId, "redeemed by the borrower");
  await snapshot(event, context, "Liquidator", "AuctionRedeemed");
});

ponder.on("Liquidator:AuctionRecovered", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { auctionId: bigint };
  await context.db.update(s.loan, { id: a.auctionId }).set({ status: "recovering" });
  await loanEvent(event, context, a.auctionId, "unsold: recovered by governance");
  await snapshot(event, context, "Liquidator", "AuctionRecovered");
});

for (const name of ["SurplusClaimed"] as const) {
  ponder.on(`Liquidator:${name}`, async ({ event, context }: { event: Ev; context: Ctx }) => snapshot(event, context, "Liquidator", name));
}

for (const name of ["Recovered", "ProtocolFeesPaid", "QueueServed", "QueueCooldownStarted", "RedeemQueueChanged"] as const) {
  ponder.on(`StrataPool:${name}`, async ({ event, context }: { event: Ev; context: Ctx }) => snapshot(event, context, "StrataPool", name));
}

// ---------------------------------------------------------------------------------------------------------- lenders

async function lenderRow(e: Ev, context: Ctx, tranche: string, account: string, change: (r: typeof s.lender.$inferSelect) => Partial<typeof s.lender.$inferSelect>) {
  const id = `${tranche}:${lower(account)}`;
  const base = { id, account: lower(account), tranche, deposited: 0n, exited: 0n, shares: 0n, pendingShares: 0n, claimableAssets: 0n, deposits: 0, exits: 0, firstDepositAt: null, lastEventAt: e.block.timestamp };
  const existing = await context.db.find(s.lender, { id });
  if (!existing) await context.db.insert(s.lender).values({ ...base, ...change(base as typeof s.lender.$inferSelect) });
  else await context.db.update(s.lender, { id }).set({ ...change(existing), lastEventAt: e.block.timestamp });
}

async function lenderEvent(e: Ev, tranche: string, context: Ctx, account: string, kind: string, assets: bigint, shares: bigint, requestId: bigint | null = null) {
  await context.db.insert(s.lenderEvent).values({
    id: rowId(e),
    account: lower(account),
    tranche,
    kind,
    assets,
    shares,
    requestId,
    blockNumber: e.block.number,
    logIndex: e.log.logIndex,
    timestamp: e.block.timestamp,
    txHash: e.transaction.hash,
  });
}

ponder.on("TrancheVault:Transfer", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { from: `0x${string}`; to: `0x${string}`; value: bigint };
  const tr = trancheOf(event, context);
  const vault = lower(event.log.address);
  // shares locked in the queue sit with the vault itself: they are the owner's pendingShares (request events)
  if (a.from !== ZERO && lower(a.from) !== vault) await lenderRow(event, context, tr, a.from, (r) => ({ shares: r.shares - a.value }));
  if (a.to !== ZERO && lower(a.to) !== vault) await lenderRow(event, context, tr, a.to, (r) => ({ shares: r.shares + a.value }));
  if (a.from !== ZERO && a.to !== ZERO && lower(a.from) !== vault && lower(a.to) !== vault) {
    await lenderEvent(event, tr, context, a.from, "transfer out", 0n, a.value);
  }
});

ponder.on("TrancheVault:Deposit", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { owner: `0x${string}`; assets: bigint; shares: bigint };
  const tr = trancheOf(event, context);
  await lenderRow(event, context, tr, a.owner, (r) => ({ deposited: r.deposited + a.assets, deposits: r.deposits + 1, firstDepositAt: r.firstDepositAt ?? event.block.timestamp }));
  await lenderEvent(event, tr, context, a.owner, "deposit", a.assets, a.shares);
  const totals = await context.db.find(s.poolTotals, { id: "pool" });
  if (!totals) await context.db.insert(s.poolTotals).values({ id: "pool", cumulativeLoss: 0n, firstDepositBlock: event.block.number });
  else if (totals.firstDepositBlock == null) await context.db.update(s.poolTotals, { id: "pool" }).set({ firstDepositBlock: event.block.number });
  await snapshot(event, context, "TrancheVault", "Deposit");
});

ponder.on("TrancheVault:Withdraw", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { owner: `0x${string}`; assets: bigint; shares: bigint };
  const tr = trancheOf(event, context);
  // Every exit pays through Withdraw: an instant senior exit, a junior claim (ERC-7540 withdraw/redeem of claimable
  // assets), or claimRedeem (RedeemClaimed just before it, which already took the assets off the claimable).
  const prev = await context.db.find(s.lenderEvent, { id: `${event.block.number}-${event.log.logIndex - 1}` });
  const viaClaimRedeem = prev?.kind === "claim" && prev.txHash === event.transaction.hash;
  const claim = viaClaimRedeem || tr === "junior";
  await lenderRow(event, context, tr, a.owner, (r) => ({
    exited: r.exited + a.assets,
    exits: r.exits + 1,
    claimableAssets: claim && !viaClaimRedeem ? r.claimableAssets - a.assets : r.claimableAssets,
  }));
  if (!viaClaimRedeem) await lenderEvent(event, tr, context, a.owner, claim ? "claim" : "withdraw", a.assets, a.shares);
  await snapshot(event, context, "TrancheVault", "Withdraw");
});

ponder.on("TrancheVault:RedeemRequest", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { controller: `0x${string}`; owner: `0x${string}`; requestId: bigint; shares: bigint };
  const tr = trancheOf(event, context);
  // the notice (SPEC §5.8): the vault's answer at the request's block
  const serviceableAt = (await context.client.readContract({ abi: TrancheVaultAbi, address: event.log.address, functionName: "serviceableAt", args: [a.requestId], blockNumber: event.block.number })) as bigint;
  await context.db.insert(s.redeemRequest).values({
    id: `${tr}:${a.requestId}`,
    tranche: tr,
    requestId: a.requestId,
    controller: lower(a.controller),
    owner: lower(a.owner),
    shares: a.shares,
    requestedAt: event.block.timestamp,
    serviceableAt: serviceableAt === 0n ? null : serviceableAt,
    status: "pending",
  });
  await lenderRow(event, context, tr, a.controller, (r) => ({ pendingShares: r.pendingShares + a.shares }));
  await lenderEvent(event, tr, context, a.controller, "request", 0n, a.shares, a.requestId);
  await snapshot(event, context, "TrancheVault", "RedeemRequest");
});

ponder.on("TrancheVault:RedeemRequestCancelled", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { requestId: bigint; controller: `0x${string}`; shares: bigint };
  const tr = trancheOf(event, context);
  await context.db.update(s.redeemRequest, { id: `${tr}:${a.requestId}` }).set({ status: "cancelled" });
  await lenderRow(event, context, tr, a.controller, (r) => ({ pendingShares: r.pendingShares - a.shares }));
  await lenderEvent(event, tr, context, a.controller, "cancel", 0n, a.shares, a.requestId);
  await snapshot(event, context, "TrancheVault", "RedeemRequestCancelled");
});

ponder.on("TrancheVault:RedeemServed", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { requestId: bigint; controller: `0x${string}`; assets: bigint; shares: bigint };
  const tr = trancheOf(event, context);
  await context.db.update(s.redeemRequest, { id: `${tr}:${a.requestId}` }).set({ status: "served", servedAssets: a.assets, servedAt: event.block.timestamp });
  await lenderRow(event, context, tr, a.controller, (r) => ({ pendingShares: r.pendingShares - a.shares, claimableAssets: r.claimableAssets + a.assets }));
  await lenderEvent(event, tr, context, a.controller, "served", a.assets, a.shares, a.requestId);
  await snapshot(event, context, "TrancheVault", "RedeemServed");
});

ponder.on("TrancheVault:RedeemClaimed", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { requestId: bigint; controller: `0x${string}`; assets: bigint; shares: bigint };
  const tr = trancheOf(event, context);
  await context.db.update(s.redeemRequest, { id: `${tr}:${a.requestId}` }).set({ status: "claimed", claimedAssets: a.assets, claimedAt: event.block.timestamp });
  // the exit itself is counted at the Withdraw that follows in the same call
  await lenderRow(event, context, tr, a.controller, (r) => ({ claimableAssets: r.claimableAssets - a.assets }));
  await lenderEvent(event, tr, context, a.controller, "claim", a.assets, a.shares, a.requestId);
  await snapshot(event, context, "TrancheVault", "RedeemClaimed");
});

ponder.on("TrancheVault:QueueAdvanced", async ({ event, context }: { event: Ev; context: Ctx }) => snapshot(event, context, "TrancheVault", "QueueAdvanced"));

// ------------------------------------------------------------------------------------------------------ collections

ponder.on("CollectionRegistry:CollectionConfigured", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { collection: `0x${string}`; newParams: unknown };
  const params = json(a.newParams);
  await context.db
    .insert(s.collection)
    .values({ id: lower(a.collection), listed: true, paused: false, params, exposure: 0n, loans: 0, defaults: 0, recovered: 0n, loss: 0n })
    .onConflictDoUpdate({ listed: true, params });
  await parameterChange(event, context, "CollectionRegistry", "CollectionConfigured");
});

ponder.on("CollectionRegistry:CollectionPausedSet", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { collection: `0x${string}`; paused: boolean };
  const existing = await context.db.find(s.collection, { id: lower(a.collection) });
  if (existing) await context.db.update(s.collection, { id: lower(a.collection) }).set({ paused: a.paused });
  await parameterChange(event, context, "CollectionRegistry", "CollectionPausedSet");
});

ponder.on("CollectionRegistry:NoProofRaritySet", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { collection: `0x${string}`; newBps: bigint };
  const existing = await context.db.find(s.collection, { id: lower(a.collection) });
  if (existing) await context.db.update(s.collection, { id: lower(a.collection) }).set({ noProofRarityBps: a.newBps });
  await parameterChange(event, context, "CollectionRegistry", "NoProofRaritySet");
});

ponder.on("AppraisalOracle:PricePushed", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { collection: `0x${string}`; reporter: `0x${string}`; price: bigint; oldValue: bigint; newValue: bigint };
  await context.db.insert(s.priceUpdate).values({
    id: rowId(event),
    collection: lower(a.collection),
    reporter: lower(a.reporter),
    price: a.price,
    oldValue: a.oldValue,
    newValue: a.newValue,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
  });
  const existing = await context.db.find(s.collection, { id: lower(a.collection) });
  if (existing) await context.db.update(s.collection, { id: lower(a.collection) }).set({ floorPrice: a.newValue, priceUpdatedAt: event.block.timestamp });
});

// ------------------------------------------------------------------------------------------------------- governance

ponder.on("Timelock:CallScheduled", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { id: `0x${string}`; index: bigint; target: `0x${string}`; value: bigint; data: `0x${string}`; predecessor: `0x${string}`; delay: bigint };
  await context.db.insert(s.governanceCall).values({
    id: `${a.id}:${a.index}`,
    opId: a.id,
    index: a.index,
    target: lower(a.target),
    value: a.value,
    data: a.data,
    predecessor: a.predecessor,
    delay: a.delay,
    status: "scheduled",
    scheduledAt: event.block.timestamp,
    scheduledBlock: event.block.number,
  });
});

ponder.on("Timelock:CallExecuted", async ({ event, context }: { event: Ev; context: Ctx }) => {
  const a = event.args as { id: `0x${string}`; index: bigint; target: `0x${string}`; value: bigint; data: `0x${string}` };
  const id = `${a.id}:${a.index}`;
  const existing = await context.db.find(s.governanceCall, { id });
  // an operation with no delay on a fresh timelock may execute without a scheduled record in range
  if (existing) await context.db.update(s.governanceCall, { id }).set({ status: "executed", executedAt: event.block.timestamp, executedBlock: event.block.number });
  else
    await context.db.insert(s.governanceCall).values({
      id,
      opId: a.id,
      index: a.index,
      target: lower(a.target),
      value: a.value,
      data: a.data,
      predecessor: "0x0000000000000000000000000000000000000000000000000000000000000000",
      delay: 0n,
      status: "executed",
      scheduledAt: event.block.timestamp,
      scheduledBlock: event.block.number,
      executedAt: event.block.timestamp,
      executedBlock: event.block.number,
    });
});

ponder.on("Timelock:Cancelled", async ({ event, context }: { event: Ev; context: Ctx }) => {
  await context.db.sql.update(s.governanceCall).set({ status: "cancelled" }).where(eq(s.governanceCall.opId, event.args.id as `0x${string}`));
});

// Parameter, role, pause and upgrade events of every contract: old and new values as the event gives them.
const GOVERNED = ["GovernanceTransferStarted", "GovernanceTransferred", "GuardianSet", "Upgraded"] as const;
const PARAMS: Record<string, readonly string[]> = {
  StrataPool: [...GOVERNED, "BorrowsPausedSet", "DepositsPausedSet", "FeesSet", "GracePeriodSet", "LiquidatorSet", "MinJuniorRatioSet", "QueueHoldSet", "RateWindowSet", "SeniorRateSet", "TreasurySet"],
  TrancheVault: [...GOVERNED, "NoticePeriodSet"],
  CollectionRegistry: GOVERNED,
  AppraisalOracle: [...GOVERNED, "OracleCollectionConfigured", "ReporterSet"],
  Liquidator: [...GOVERNED, "AuctionParamsSet"],
  Timelock: ["MinDelayChange", "RoleAdminChanged", "RoleGranted", "RoleRevoked"],
};
const SNAPSHOTTED = new Set(["StrataPool", "TrancheVault", "Liquidator"]);
for (const [contract, events] of Object.entries(PARAMS)) {
  for (const name of events) {
    // biome-ignore lint: the event names are checked against the ABIs by Ponder at build time
    (ponder.on as any)(`${contract}:${name}`, async ({ event, context }: { event: Ev; context: Ctx }) => {
      await parameterChange(event, context, contract, name);
      if (SNAPSHOTTED.has(contract)) await snapshot(event, context, contract, name);
    });
  }
}

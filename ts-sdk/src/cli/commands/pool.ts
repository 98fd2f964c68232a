// strata pool status (and `pool stress`, registered on the command this returns: commands/stress.ts)
import type { Command } from "@commander-js/extra-typings";
import { type PoolSnapshot, type TrancheEntity, fetchPool, formatBps, formatLimit, formatWadPct } from "../../index.ts";
import { type Context, fmt, kvTable, table, type Run, leaf } from "../context.ts";

/** The pool and both tranches as plain data (the --json shape of `pool status`). */
export function poolSummary(s: PoolSnapshot) {
  const p = s.pool;
  const v = p.valuesAt();
  const tranche = (t: TrancheEntity) => ({
    vault: t.vault,
    value: p.trancheValueAt(t.tranche),
    supply: t.totalSupply,
    sharePrice: t.sharePrice,
    shareDecimals: t.shareDecimals,
    apr: t.apr,
    apy: t.apy,
    yieldBasis: t.yield.basis,
    maxDeposit: t.maxDeposit(),
    depositLimiter: s.pool.maxDepositLimit(t.tranche).limiter,
    noticePeriod: t.noticePeriod,
    queue: { head: t.queueHead, requests: t.requestCount, pendingShares: p.pendingShares[t.tranche], servable: p.servableAt(t.tranche), blocked: p.queueBlockedAt(t.tranche) },
  });
  return {
    block: p.blockNumber,
    timestamp: p.timestamp,
    asset: { address: p.asset, symbol: p.assetSymbol, decimals: p.assetDecimals },
    nav: v.nav,
    cash: p.cash,
    availableCash: p.availableCashAt(),
    borrowed: p.totalPrincipal,
    utilization: p.utilization,
    seniorClaim: v.claim,
    impairedBook: p.impairedBook,
    loansInLiquidation: p.impairedCount,
    protocolFees: p.protocolFees,
    seniorRate: p.seniorRate,
    minJuniorRatioBps: p.minJuniorRatioBps,
    borrowsPaused: p.borrowsPaused,
    depositsPaused: p.depositsPaused,
    loansOriginated: p.nextLoanId - 1n,
    senior: tranche(s.senior),
    junior: tranche(s.junior),
  };
}

export function formatPoolStatus(s: PoolSnapshot): string {
  const x = poolSummary(s);
  const d = x.asset.decimals;
  const sym = x.asset.symbol;
  const head = kvTable([
    ["block", `${x.block} (${new Date(Number(x.timestamp) * 1000).toISOString()})`],
    ["NAV", fmt(x.nav, d, sym)],
    ["cash (available)", `${fmt(x.cash, d, sym)} (${fmt(x.availableCash, d, sym)})`],
    ["borrowed", fmt(x.borrowed, d, sym)],
    ["utilization", formatWadPct(x.utilization)],
    ["senior claim", fmt(x.seniorClaim, d, sym)],
    ["in liquidation (book)", `${x.loansInLiquidation} loans (${fmt(x.impairedBook, d, sym)})`],
    ["protocol fees", fmt(x.protocolFees, d, sym)],
    ["min junior ratio", formatBps(x.minJuniorRatioBps)],
    ["paused", `borrows ${x.borrowsPaused ? "yes" : "no"}, deposits ${x.depositsPaused ? "yes" : "no"}`],
  ]);
  const row = (name: string, t: ReturnType<typeof poolSummary>["senior"]) => [
    name,
    fmt(t.value, d),
    fmt(t.sharePrice, d),
    formatWadPct(t.apr),
    formatWadPct(t.apy),
    formatLimit({ value: t.maxDeposit, limiter: t.depositLimiter }, d),
    t.noticePeriod === null ? "instant" : `${Number(t.noticePeriod) / 3600} h notice`,
    `${t.queue.requests - t.queue.head} open, ${fmt(t.queue.pendingShares, t.shareDecimals)} shares${t.queue.blocked ? " (waits)" : ""}`,
  ];
  const tranches = table(
    ["tranche", `value (${sym})`, "share price", "APR", "APY", "max deposit", "exits", "queue"],
    [row("senior", x.senior), row("junior", x.junior)],
  );
  return `${head}\n${tranches}\nsenior: ${x.senior.yieldBasis}\njunior: ${x.junior.yieldBasis}`;
}

export function registerPool(program: Command, run: Run): Command {
  const pool = program.command("pool").description("pool state");
  leaf(pool, run, "status", "NAV, cash, utilization, both tranches (value, share price, APR and APY, limits, queue)", async (ctx) => {
    const snap = await fetchPool(await ctx.provider(), await ctx.deployment());
    ctx.print(poolSummary(snap), () => formatPoolStatus(snap));
  });
  return pool;
}


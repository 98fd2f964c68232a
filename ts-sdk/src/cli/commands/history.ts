// strata history pool|lender|loan: the pool's past, a lender's flows and P&L, a loan's timeline, from the indexer
// (indexer/, `npm run indexer`) through the SDK's history client. Amounts in token units (the asset's decimals are
// read from the node once; without a node, base units).
import type { Command } from "@commander-js/extra-typings";
import { fetchHistory, fetchLenderHistory, fetchLoanHistory, fetchUnits, formatWadPct, type IndexerOptions } from "../../index.ts";
import { type Context, UsageError, addressArg, fmt, intArg, kvTable, table, type Run } from "../context.ts";

/** The indexer's URL: --indexer, STRATA_INDEXER_URL, or `npm run indexer`'s default. */
function indexer(o: { indexer?: string }): IndexerOptions {
  return { url: o.indexer ?? process.env.STRATA_INDEXER_URL ?? "http://127.0.0.1:42069" };
}

/** The asset's decimals and symbol from the node, or base units when there is no node to ask. */
async function units(ctx: Context): Promise<{ decimals: number; symbol: string; shareDecimals: number }> {
  try {
    const u = await fetchUnits(await ctx.provider(), await ctx.deployment());
    return { decimals: u.asset.decimals, symbol: u.asset.symbol, shareDecimals: u.shares?.decimals ?? u.asset.decimals };
  } catch {
    if (!ctx.json) ctx.progress("(no node to read the asset's decimals from: amounts in base units)");
    return { decimals: 0, symbol: "base units", shareDecimals: 0 };
  }
}

const date = (t: bigint | null) => (t === null ? "-" : new Date(Number(t) * 1000).toISOString().slice(0, 16).replace("T", " "));
const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(2)} %`);

export function registerHistory(program: Command, run: Run): void {
  const history = program.command("history").description("the past from the indexer (npm run indexer): pool snapshots, a lender's P&L, a loan's timeline");
  const INDEXER_HELP = "the indexer's URL (default: STRATA_INDEXER_URL or http://127.0.0.1:42069)";

  history
    .command("pool")
    .description("pool snapshots at events: NAV, share prices, utilization, realised losses (thinned to --points)")
    .option("--points <n>", "rows at most (evenly thinned; first and last kept)", "20")
    .option("--from-block <n>", "from this block on")
    .option("--indexer <url>", INDEXER_HELP)
    .action(
    run(async (ctx: Context, o: { points: string; fromBlock?: string; indexer?: string }) => {
      const points = Number(intArg(o.points, "--points"));
      const rows = await fetchHistory(indexer(o), { maxPoints: Math.max(2, points), fromBlock: o.fromBlock === undefined ? undefined : Number(intArg(o.fromBlock, "--from-block")) });
      const u = await units(ctx);
      ctx.print(rows, () =>
        rows.length === 0
          ? "no snapshots yet (the pool's history starts at its first deposit)"
          : table(
              ["block", "time (UTC)", "event", `NAV (${u.symbol})`, "senior price", "junior price", "utilization", `losses (${u.symbol})`],
              rows.map((p) => [
                String(p.blockNumber),
                date(p.timestamp),
                p.event,
                fmt(p.nav, u.decimals),
                fmt(p.seniorSharePrice, u.decimals),
                fmt(p.juniorSharePrice, u.decimals),
                formatWadPct(p.utilization),
                fmt(p.cumulativeLoss, u.decimals),
              ]),
            ),
      );
    }),
  );

  history
    .command("lender")
    .description("a lender's deposits, exits, position, P&L and realised APY per tranche, and every flow")
    .argument("[address]", "the lender (default: the signer's address)")
    .option("--indexer <url>", INDEXER_HELP)
    .action(
    run(async (ctx: Context, address: string | undefined, o: { indexer?: string }) => {
      const account = address !== undefined ? addressArg(address, "address") : ctx.hasSigner() ? await (await ctx.signer()).getAddress() : undefined;
      if (!account) throw new UsageError("give the lender's address, or a signer (--dev-account N, --keystore, STRATA_PRIVATE_KEY)");
      const h = await fetchLenderHistory(indexer(o), account);
      const u = await units(ctx);
      ctx.print(h, () => {
        if (h.tranches.length === 0) return `${account} has no deposits in the indexer`;
        const summary = table(
          ["tranche", `deposited (${u.symbol})`, `exited (${u.symbol})`, `position (${u.symbol})`, `P&L (${u.symbol})`, "realised APY", "since"],
          h.tranches.map((t) => [t.tranche, fmt(t.deposited, u.decimals), fmt(t.exited, u.decimals), fmt(t.pnl.positionValue, u.decimals), fmt(t.pnl.pnl, u.decimals), pct(t.pnl.realisedApy), date(t.firstDepositAt)]),
        );
        const flows = table(
          ["time (UTC)", "tranche", "flow", `assets (${u.symbol})`, "shares", "request", "block"],
          h.flows.map((f) => [date(f.timestamp), f.tranche, f.kind, fmt(f.assets, u.decimals), fmt(f.shares, u.shareDecimals), f.requestId === null ? "" : String(f.requestId), String(f.blockNumber)]),
        );
        return `${summary}\n(valued at block ${h.asOf?.blockNumber ?? "-"})\n\n${flows}`;
      });
    }),
  );

  history
    .command("loan")
    .description("a loan's terms, outcome and timeline")
    .argument("<loanId>", "the loan's id")
    .option("--indexer <url>", INDEXER_HELP)
    .action(
    run(async (ctx: Context, loanId: string, o: { indexer?: string }) => {
      const h = await fetchLoanHistory(indexer(o), intArg(loanId, "loanId"));
      const u = await units(ctx);
      ctx.print(h, () => {
        const opt = (x: bigint | null) => (x === null ? "-" : fmt(x, u.decimals));
        const head = kvTable([
          ["loan", String(h.id)],
          ["status", h.status],
          ["borrower", h.borrower],
          ["collection / token", `${h.collection} #${h.tokenId}`],
          ["principal", `${fmt(h.principal, u.decimals)} ${u.symbol} (outstanding ${fmt(h.principalOutstanding, u.decimals)})`],
          ["APR", formatWadPct(h.apr)],
          ["rarity", `${Number(h.rarityBps) / 100} %`],
          ["maturity", date(h.maturity)],
          ["interest paid", `${fmt(h.interestPaid, u.decimals)} (${h.repayments} repayment(s), ${h.extensions} extension(s))`],
          ["delegate", h.delegate ?? "-"],
          ["sale price / loss / surplus", `${opt(h.salePrice)} / ${opt(h.loss)} / ${opt(h.borrowerSurplus)}`],
        ]);
        const timeline = table(
          ["time (UTC)", "event", "block", "tx"],
          h.timeline.map((e) => [date(e.timestamp), e.kind, String(e.blockNumber), `${e.txHash.slice(0, 10)}…`]),
        );
        return `${head}\n\n${timeline}`;
      });
    }),
  );
}

// strata pool status | auction list|buy | queue status|process | oracle push
import type { Command } from "@commander-js/extra-typings";
import { VoidSigner, ZeroAddress } from "ethers";
import { Keeper, type PoolSnapshot, type TrancheEntity, fetchCollection, fetchPool, formatBps, formatWadPct } from "../index.ts";
import { type Context, amountArg, fmt, intArg, kvTable, table, trancheArg } from "./context.ts";
import type { Run } from "./main.ts";
import { registerStress } from "./stress.ts";

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
    t.maxDeposit >= 2n ** 96n ? "no limit" : fmt(t.maxDeposit, d),
    t.noticePeriod === null ? "instant" : `${Number(t.noticePeriod) / 3600} h notice`,
    `${t.queue.requests - t.queue.head} open, ${fmt(t.queue.pendingShares, t.shareDecimals)} shares${t.queue.blocked ? " (waits)" : ""}`,
  ];
  const tranches = table(
    ["tranche", `value (${sym})`, "share price", "APR", "APY", "max deposit", "exits", "queue"],
    [row("senior", x.senior), row("junior", x.junior)],
  );
  return `${head}\n${tranches}\nsenior: ${x.senior.yieldBasis}\njunior: ${x.junior.yieldBasis}`;
}

export function registerPool(program: Command, run: Run): void {
  const pool = program.command("pool").description("pool state");
  pool
    .command("status")
    .description("NAV, cash, utilization, both tranches (value, share price, APR and APY, limits, queue)")
    .action(
      run(async (ctx: Context) => {
        const snap = await fetchPool(await ctx.provider(), await ctx.deployment());
        ctx.print(poolSummary(snap), () => formatPoolStatus(snap));
      }),
    );
  registerStress(pool, run);
}

export function registerAuction(program: Command, run: Run): void {
  const auction = program.command("auction").description("liquidation auctions");
  auction
    .command("list")
    .description("running auctions with their current price")
    .action(
      run(async (ctx: Context) => {
        const provider = await ctx.provider();
        const d = await ctx.deployment();
        const keeper = await Keeper.connect(new VoidSigner(ZeroAddress, provider), d);
        const snap = await fetchPool(provider, d);
        const now = snap.pool.timestamp;
        const list = await keeper.auctions();
        const rows = list.map((a) => ({ id: a.id, price: a.priceAt(now), startPrice: a.startPrice, endPrice: a.endPrice, owed: a.owed, endsAt: a.startTime + a.duration }));
        const dec = snap.pool.assetDecimals;
        ctx.print(rows, () =>
          rows.length === 0
            ? "no running auction"
            : table(
                ["auction", "price now", "start", "floor", "owed", "ends"],
                rows.map((r) => [String(r.id), fmt(r.price, dec), fmt(r.startPrice, dec), fmt(r.endPrice, dec), fmt(r.owed, dec), new Date(Number(r.endsAt) * 1000).toISOString()]),
              ),
        );
      }),
    );
  auction
    .command("buy")
    .description("buy auction <id> if its price is at most --max-price")
    .argument("<id>", "auction id (= loan id)")
    .requiredOption("--max-price <amount>", "the most you pay, in token units")
    .action(
      run(async (ctx: Context, id: string, o: { maxPrice: string }) => {
        const d = await ctx.deployment();
        const snap = await fetchPool(await ctx.provider(), d);
        const max = amountArg(o.maxPrice, snap.pool.assetDecimals, "--max-price");
        const auctionId = intArg(id, "auction id");
        const keeper = await Keeper.connect(await ctx.signer(), d);
        const r = await keeper.buy(auctionId, max, { onSent: ctx.onSent });
        ctx.print({ auctionId, price: r.price, hash: r.hash }, () => `bought auction ${auctionId} for ${fmt(r.price, snap.pool.assetDecimals, snap.pool.assetSymbol)} (tx ${r.hash})`);
      }),
    );
}

export function registerQueue(program: Command, run: Run): void {
  const queue = program.command("queue").description("redemption queues");
  queue
    .command("status")
    .description("both queues: open requests, pending shares, what cash can serve now")
    .action(
      run(async (ctx: Context) => {
        const snap = await fetchPool(await ctx.provider(), await ctx.deployment());
        const p = snap.pool;
        const rows = [snap.senior, snap.junior].map((t) => ({
          tranche: t.name,
          head: t.queueHead,
          requests: t.requestCount,
          open: t.requestCount - t.queueHead,
          pendingShares: p.pendingShares[t.tranche],
          servable: p.servableAt(t.tranche),
          blocked: p.queueBlockedAt(t.tranche),
          hold: p.queueHoldAt(t.tranche),
          noticePeriod: t.noticePeriod,
        }));
        ctx.print(rows, () =>
          table(
            ["tranche", "open requests", "pending shares", `servable now (${p.assetSymbol})`, "state"],
            rows.map((r, i) => [
              r.tranche,
              String(r.open),
              fmt(r.pendingShares, [snap.senior, snap.junior][i].shareDecimals),
              fmt(r.servable, p.assetDecimals),
              r.hold.reason === "liquidations"
                ? `held by liquidations (${fmt(r.hold.pendingRecovery, p.assetDecimals)} pending)`
                : r.hold.reason === "cooldown"
                  ? `cools down until ${new Date(Number(r.hold.servableAfter) * 1000).toISOString()}`
                  : r.open > 0n && r.servable > 0n
                    ? "can be processed"
                    : r.open > 0n
                      ? "waits for cash"
                      : "empty",
            ]),
          ),
        );
      }),
    );
  queue
    .command("process")
    .description("serve up to --max requests of a tranche's queue (anyone may)")
    .argument("<tranche>", "senior | junior")
    .option("--max <n>", "requests to serve at most", "10")
    .action(
      run(async (ctx: Context, tranche: string, o: { max: string }) => {
        const t = trancheArg(tranche);
        const max = intArg(o.max, "--max");
        const keeper = await Keeper.connect(await ctx.signer(), await ctx.deployment());
        const r = await keeper.processQueue(t, max, { onSent: ctx.onSent });
        ctx.print({ tranche: t, served: r.served, hash: r.hash }, () => `served ${r.served} ${t} request(s) (tx ${r.hash})`);
      }),
    );
}

export function registerOracle(program: Command, run: Run): void {
  const oracle = program.command("oracle").description("appraisal oracle (reporters)");
  oracle
    .command("push")
    .description("push a floor price for a collection (authorised reporters only)")
    .argument("<collection>", "address, index or deployment key (collections[0])")
    .argument("<price>", "floor price in token units")
    .action(
      run(async (ctx: Context, collection: string, price: string) => {
        const d = await ctx.deployment();
        const provider = await ctx.provider();
        const c = await ctx.collection(collection);
        const snap = await fetchPool(provider, d);
        const amount = amountArg(price, snap.pool.assetDecimals, "price");
        const keeper = await Keeper.connect(await ctx.signer(), d);
        const r = await keeper.pushPrice(c, amount, { onSent: ctx.onSent });
        const info = await fetchCollection(provider, d, c);
        ctx.print({ collection: c, pushed: amount, newValue: r.newValue, fresh: info.priceFresh, hash: r.hash }, () =>
          `pushed ${fmt(amount, snap.pool.assetDecimals)} for ${c}: floor now ${fmt(r.newValue, snap.pool.assetDecimals, snap.pool.assetSymbol)} (tx ${r.hash})`,
        );
      }),
    );
}

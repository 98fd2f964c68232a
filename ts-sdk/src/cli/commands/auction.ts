// strata auction list|buy
import type { Command } from "@commander-js/extra-typings";
import { Keeper, fetchPool } from "../../index.ts";
import { type Context, amountArg, fmt, intArg, table, type Run, leaf } from "../context.ts";

export function registerAuction(program: Command, run: Run): void {
  const auction = program.command("auction").description("liquidation auctions");
  leaf(auction, run, "list", "running auctions with their current price", async (ctx) => {
    const provider = await ctx.provider();
    const d = await ctx.deployment();
    const keeper = await Keeper.connect(await ctx.readOnlySigner(), d);
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
  });
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

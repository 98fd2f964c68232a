// strata oracle push
import type { Command } from "@commander-js/extra-typings";
import { Reporter, fetchCollection, fetchPool } from "../../index.ts";
import { type Context, amountArg, fmt, type Run } from "../context.ts";

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
        const reporter = await Reporter.connect(await ctx.signer(), d);
        const r = await reporter.pushPrice(c, amount, { onSent: ctx.onSent });
        const info = await fetchCollection(provider, d, c);
        ctx.print({ collection: c, pushed: amount, newValue: r.newValue, fresh: info.priceFresh, hash: r.hash }, () =>
          `pushed ${fmt(amount, snap.pool.assetDecimals)} for ${c}: floor now ${fmt(r.newValue, snap.pool.assetDecimals, snap.pool.assetSymbol)} (tx ${r.hash})`,
        );
      }),
    );
}

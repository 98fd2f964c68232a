// strata keeper run [--once] [--dry-run] ...: the keeper bot (ts-sdk/src/keeper/bot.ts) over the signer;
// strata keeper stale-delegations | revoke-delegate <loanId>: delegations the pool could not revoke (SPEC §3.7);
// strata keeper sync-collection <collection>: the pool's copy of a collection's configuration (SPEC §8.6).
import type { Command } from "@commander-js/extra-typings";
import { Keeper, fetchPool } from "../../index.ts";
import { KeeperBot, checkBotOptions } from "../../keeper/bot.ts";
import { type Context, UsageError, amountArg, intArg, leaf, type Run, table } from "../context.ts";

export function registerKeeper(program: Command, run: Run): void {
  const keeper = program.command("keeper").description("keepers: liquidate, buy auctions, serve queues, push prices, revoke stale delegations, sync collection copies");
  keeper
    .command("run")
    .description("the keeper bot: each tick liquidates, buys auctions under a limit, serves the queues")
    .option("--once", "one tick, then exit")
    .option("--dry-run", "simulate every action and print it; send nothing")
    .option("--max-price-bps <bps>", "buy auctions priced at most this share of the collateral's appraisal (bps, 1 .. 10000)")
    .option("--max-price <amount>", "buy auctions priced at most this (token units)")
    .option("--max-gas-price <gwei>", "send nothing while the gas price is above this")
    .option("--interval <seconds>", "seconds between ticks", "12")
    .option("--prices <file>", 'push these floor prices each tick (reporter key): { "collections[0]": "100000" }')
    .option("--state <file>", "save the keeper's state here after each tick (loan book, auction and revocation watches) and resume from it")
    .option("--no-queues", "do not serve the redemption queues")
    .action(
      run(async (ctx: Context, o: { once?: boolean; dryRun?: boolean; maxPriceBps?: string; maxPrice?: string; maxGasPrice?: string; interval: string; prices?: string; state?: string; queues: boolean }) => {
        const maxPriceBps = o.maxPriceBps !== undefined ? intArg(o.maxPriceBps, "--max-price-bps") : undefined;
        checkBotOptions({ maxPriceBps }); // before anything touches the chain
        const d = await ctx.deployment();
        const snap = await fetchPool(await ctx.provider(), d);
        const interval = Number(intArg(o.interval, "--interval"));
        if (interval === 0) throw new UsageError("--interval must be at least 1 second");
        const gwei = o.maxGasPrice;
        if (gwei !== undefined && !/^\d+(\.\d+)?$/.test(gwei)) throw new UsageError(`--max-gas-price must be in gwei, got "${gwei}"`);
        const bot = await KeeperBot.create(await ctx.signer(), d, {
          dryRun: o.dryRun,
          maxPriceBps,
          maxPrice: o.maxPrice !== undefined ? amountArg(o.maxPrice, snap.pool.assetDecimals, "--max-price") : undefined,
          maxGasPrice: gwei !== undefined ? amountArg(gwei, 9, "--max-gas-price") : undefined,
          intervalSeconds: interval,
          pricesFile: o.prices,
          stateFile: o.state,
          processQueues: o.queues,
          log: ctx.json ? (l) => process.stderr.write(`${l}\n`) : undefined,
        });
        if (o.once) {
          const actions = await bot.tick();
          if (ctx.json) ctx.print(actions, () => "");
          else if (actions.length === 0) process.stdout.write("keeper: nothing to do\n");
          return;
        }
        const stop = () => bot.stop();
        // idempotent: a terminal's Ctrl-C reaches both the launcher (which forwards it) and this process
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
        await bot.run();
      }),
    );
  leaf(keeper, run, "stale-delegations", "delegations the pool could not revoke when their loan closed (anyone may revoke them)", async (ctx) => {
    const k = await Keeper.connect(await ctx.readOnlySigner(), await ctx.deployment());
    const rows = (await k.staleDelegations()).map((x) => ({ loanId: x.loanId, delegate: x.delegate }));
    ctx.print(rows, () => (rows.length === 0 ? "no stale delegation" : table(["loan", "delegate"], rows.map((r) => [String(r.loanId), r.delegate]))));
  });
  keeper
    .command("revoke-delegate")
    .description("revoke the stale delegation of closed loan <loanId> (anyone may)")
    .argument("<loanId>", "loan id")
    .action(
      run(async (ctx: Context, id: string) => {
        const loanId = intArg(id, "loan id");
        const k = await Keeper.connect(await ctx.signer(), await ctx.deployment());
        const r = await k.revokeStaleDelegate(loanId, { onSent: ctx.onSent });
        ctx.print({ loanId, hash: r.hash }, () => `revoked the stale delegation of loan ${loanId} (tx ${r.hash})`);
      }),
    );
  keeper
    .command("sync-collection")
    .description("write the pool's copy of listed <collection>'s configuration from the registry (anyone may)")
    .argument("<collection>", "collection address, index or deployment key")
    .action(
      run(async (ctx: Context, c: string) => {
        const collection = await ctx.collection(c);
        const k = await Keeper.connect(await ctx.signer(), await ctx.deployment());
        const r = await k.syncCollection(collection, { onSent: ctx.onSent });
        ctx.print({ collection, hash: r.hash }, () => `wrote the pool's copy of ${collection}'s configuration (tx ${r.hash})`);
      }),
    );
}

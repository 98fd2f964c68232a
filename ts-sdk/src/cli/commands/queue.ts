// strata queue status|process
import type { Command } from "@commander-js/extra-typings";
import { Keeper, fetchPool } from "../../index.ts";
import { type Context, fmt, intArg, table, trancheArg, type Run, leaf } from "../context.ts";

export function registerQueue(program: Command, run: Run): void {
  const queue = program.command("queue").description("redemption queues");
  leaf(queue, run, "status", "both queues: open requests, pending shares, what cash can serve now", async (ctx) => {
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
  });
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

// strata lend deposit|mint|withdraw|redeem|request|cancel|claim|position
import type { Command } from "@commander-js/extra-typings";
import { type DepositLimiter, Lender, type QueueHold, describeQueueHold, fetchPool, formatLimit, trancheId } from "../../index.ts";
import { type Context, amountArg, fmt, intArg, kvTable, table, trancheArg, UsageError, type Run } from "../context.ts";

interface PositionRow {
  tranche: "senior" | "junior";
  account: string;
  shares: bigint;
  value: bigint;
  maxWithdraw: bigint;
  maxRedeem: bigint;
  exitReason: string;
  maxDeposit: bigint;
  depositLimiter: DepositLimiter;
  depositReason: string;
  requests: { id: bigint; pendingShares: bigint; claimable: bigint; stage: string; serviceableAt: bigint | null }[];
  /** The line's hold (SPEC §5.7): why queued requests are not served now. */
  queueHold: QueueHold;
}

async function lender(ctx: Context) {
  const d = await ctx.deployment();
  const snap = await fetchPool(await ctx.provider(), d);
  return { lender: await Lender.connect(await ctx.signer(), d), snap };
}

/** Junior (ERC-7540): every served share the signer may claim now (`maxRedeem`). */
async function claimableShares(l: Lender, t: "senior" | "junior"): Promise<bigint> {
  const c = await l.claimable(t);
  if (c.shares === 0n) throw new UsageError(`nothing of yours was served in ${t} yet: request first (lend request), then claim once served`);
  return c.shares;
}

/** Share amounts: token units with the tranche's share decimals, or "all" (the signer's whole balance). */
async function sharesArg(l: Lender, t: "senior" | "junior", s: string, decimals: number): Promise<bigint> {
  if (s === "all") {
    const p = await l.position(t);
    if (p.shares === 0n) throw new UsageError(`you hold no ${t} shares`);
    return p.shares;
  }
  return amountArg(s, decimals, "shares");
}

type Snap = Awaited<ReturnType<typeof lender>>["snap"];
type TrancheAction = (ctx: Context, t: "senior" | "junior", arg: string, l: Lender, snap: Snap) => Promise<void>;

export function registerLend(program: Command, run: Run): void {
  const lend = program.command("lend").description("lenders: deposit into and exit a tranche");
  /** `strata lend <name> <tranche> <arg>`: the tranche parsed and the signer's Lender connected, then `action`. */
  const trancheCommand = (name: string, description: string, arg: [string, string], action: TrancheAction) =>
    lend
      .command(name)
      .description(description)
      .argument("<tranche>", "senior | junior")
      .argument(arg[0], arg[1])
      .action(
        run(async (ctx: Context, tranche: string, value: string) => {
          const t = trancheArg(tranche);
          const { lender: l, snap } = await lender(ctx);
          await action(ctx, t, value, l, snap);
        }),
      );

  trancheCommand("deposit", "deposit <amount> (token units) into a tranche; the approval is sent if missing", ["<amount>", "assets in token units"], async (ctx, t, amount, l, snap) => {
    const d = snap.pool.assetDecimals;
    const assets = amountArg(amount, d, "amount");
    const r = await l.deposit(t, assets, { onSent: ctx.onSent });
    ctx.print({ tranche: t, assets, shares: r.shares, hash: r.hash }, () => `deposited ${fmt(assets, d, snap.pool.assetSymbol)} into ${t}: ${fmt(r.shares, snap.tranche(t).shareDecimals)} shares (tx ${r.hash})`);
  });

  trancheCommand("mint", "mint exactly <shares> of a tranche", ["<shares>", "shares in share units"], async (ctx, t, shares, l, snap) => {
    const n = amountArg(shares, snap.tranche(t).shareDecimals, "shares");
    const r = await l.mint(t, n, { onSent: ctx.onSent });
    ctx.print({ tranche: t, shares: n, assets: r.assets, hash: r.hash }, () => `minted ${shares} ${t} shares for ${fmt(r.assets, snap.pool.assetDecimals, snap.pool.assetSymbol)} (tx ${r.hash})`);
  });

  trancheCommand("withdraw", "withdraw exactly <amount>: senior, an instant exit; junior, an ERC-7540 claim of served assets", ["<amount>", "assets in token units"], async (ctx, t, amount, l, snap) => {
    const assets = amountArg(amount, snap.pool.assetDecimals, "amount");
    const r = await l.withdraw(t, assets, { onSent: ctx.onSent });
    ctx.print({ tranche: t, assets, shares: r.shares, hash: r.hash }, () => `withdrew ${fmt(assets, snap.pool.assetDecimals, snap.pool.assetSymbol)} from ${t}, burning ${fmt(r.shares, snap.tranche(t).shareDecimals)} shares (tx ${r.hash})`);
  });

  trancheCommand("redeem", 'redeem <shares> (or all) for assets now: senior, an instant exit; junior, an ERC-7540 claim of served shares ("all": every served share)', ["<shares>", 'shares in share units, or "all"'], async (ctx, t, shares, l, snap) => {
    const n = snap.tranche(t).asyncExitsOnly && shares === "all" ? await claimableShares(l, t) : await sharesArg(l, t, shares, snap.tranche(t).shareDecimals);
    const r = await l.redeem(t, n, { onSent: ctx.onSent });
    ctx.print({ tranche: t, shares: n, assets: r.assets, hash: r.hash }, () => `redeemed ${fmt(n, snap.tranche(t).shareDecimals)} ${t} shares for ${fmt(r.assets, snap.pool.assetDecimals, snap.pool.assetSymbol)} (tx ${r.hash})`);
  });

  trancheCommand("request", "queue <shares> (or all) for redemption: the junior's exit (notice period, then served, then claim)", ["<shares>", 'shares in share units, or "all"'], async (ctx, t, shares, l, snap) => {
    const n = await sharesArg(l, t, shares, snap.tranche(t).shareDecimals);
    const r = await l.requestRedeem(t, n, { onSent: ctx.onSent });
    const notice = snap.tranche(t).noticePeriod;
    ctx.print({ tranche: t, shares: n, requestId: r.requestId, servedAssets: r.servedAssets, noticePeriod: notice, hash: r.hash }, () =>
      `request ${r.requestId}: ${fmt(n, snap.tranche(t).shareDecimals)} ${t} shares queued` +
      (r.servedAssets > 0n ? `, ${fmt(r.servedAssets, snap.pool.assetDecimals, snap.pool.assetSymbol)} served at once` : "") +
      (notice ? ` (notice period ${Number(notice) / 3600} h)` : "") +
      ` (tx ${r.hash})`,
    );
  });

  trancheCommand("cancel", "take the unserved shares of request <id> out of the queue", ["<requestId>", "request id"], async (ctx, t, id, l, snap) => {
    const requestId = intArg(id, "request id");
    const r = await l.cancel(t, requestId, { onSent: ctx.onSent });
    ctx.print({ tranche: t, requestId, shares: r.shares, hash: r.hash }, () => `cancelled request ${requestId}: ${fmt(r.shares, snap.tranche(t).shareDecimals)} shares back (tx ${r.hash})`);
  });

  trancheCommand("claim", 'claim the served assets of request <id>, or of every claimable request of yours ("all")', ["<requestId>", 'request id, or "all"'], async (ctx, t, id, l, snap) => {
    if (id === "all" && snap.tranche(t).asyncExitsOnly) {
      // ERC-7540: one redeem of everything served to the signer, whichever requests it came from.
      if ((await l.claimable(t)).shares === 0n) throw new UsageError(`you have no claimable ${t} request`);
      const r = await l.claimAll(t, { onSent: ctx.onSent });
      return ctx.print({ tranche: t, shares: r.shares, assets: r.assets, hash: r.hash }, () =>
        `claimed ${fmt(r.assets, snap.pool.assetDecimals, snap.pool.assetSymbol)} for ${fmt(r.shares, snap.tranche(t).shareDecimals)} served ${t} shares (tx ${r.hash})`,
      );
    }
    const ids = id === "all" ? (await l.position(t)).requests.filter((q) => q.claimable > 0n).map((q) => q.id) : [intArg(id, "request id")];
    if (ids.length === 0) throw new UsageError(`you have no claimable ${t} request`);
    const out: { tranche: string; requestId: bigint; assets: bigint; hash: string }[] = [];
    for (const requestId of ids) {
      const r = await l.claim(t, requestId, { onSent: ctx.onSent });
      out.push({ tranche: t, requestId, assets: r.assets, hash: r.hash });
    }
    ctx.print(id === "all" ? out : out[0], () =>
      out.map((r) => `claimed ${fmt(r.assets, snap.pool.assetDecimals, snap.pool.assetSymbol)} from request ${r.requestId} (tx ${r.hash})`).join("\n"),
    );
  });

  lend
    .command("position")
    .description("your shares, value, limits (with the reason of each) and open requests, in both tranches or one")
    .argument("[tranche]", "senior | junior (default both)")
    .action(
      run(async (ctx: Context, tranche: string | undefined) => {
        const { lender: l, snap } = await lender(ctx);
        const names = tranche ? [trancheArg(tranche)] : (["senior", "junior"] as const);
        const dec = snap.pool.assetDecimals;
        const out: PositionRow[] = [];
        for (const t of names) {
          const [p, lim] = await Promise.all([l.position(t), l.limits(t)]);
          out.push({
            tranche: t,
            account: p.account,
            shares: p.shares,
            value: p.value,
            maxWithdraw: lim.maxWithdraw,
            maxRedeem: lim.maxRedeem,
            exitReason: lim.exitReason,
            maxDeposit: lim.maxDeposit,
            depositLimiter: lim.depositLimiter,
            depositReason: lim.depositReason,
            requests: p.requests.map((q) => ({ id: q.id, pendingShares: q.pendingShares, claimable: q.claimable, stage: q.stageAt(snap.pool.timestamp), serviceableAt: q.serviceableAt })),
            queueHold: snap.pool.queueHoldAt(trancheId(t)),
          });
        }
        ctx.print(out, () =>
          out
            .map((x) => {
              const sd = snap.tranche(x.tranche).shareDecimals;
              const kv = kvTable([
                ["tranche", x.tranche],
                ["account", x.account],
                ["shares", fmt(x.shares, sd)],
                ["value", fmt(x.value, dec, snap.pool.assetSymbol)],
                [x.tranche === "junior" && snap.tranche("junior").asyncExitsOnly ? "claimable now" : "max withdraw now", `${fmt(x.maxWithdraw, dec)} (${x.exitReason})`],
                ["max deposit now", x.depositLimiter === "ledger" ? "no limit" : `${formatLimit({ value: x.maxDeposit, limiter: x.depositLimiter }, dec)} (${x.depositReason})`],
              ]);
              const reqs = x.requests.length
                ? `\n${table(["request", "pending shares", "claimable", "stage"], x.requests.map((q) => [String(q.id), fmt(q.pendingShares, sd), fmt(q.claimable, dec), q.stage]))}`
                : "";
              const waiting = x.requests.some((q) => q.pendingShares > 0n);
              const hold = waiting && x.queueHold.reason !== null ? `\n${describeQueueHold(x.tranche, x.queueHold, snap.pool)}` : "";
              return kv + reqs + hold;
            })
            .join("\n"),
        );
      }),
    );
}

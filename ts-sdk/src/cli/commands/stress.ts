// strata pool stress [--collection <c>] [--drop <pct>] [--recovery <pct>]: what each tranche would lose if floors fell
// now (the SDK's stress view, ts-sdk/src/entities/stress.ts; assumptions in docs/ACCOUNTING.md "Stress view"). With --drop, one
// scenario (the named collection, or every listed collection at once) as a table per tranche and the loans it
// liquidates; without, the ladder of drops 10 .. 90 % for each listed collection and all at once, and the breakpoints.
import type { Command } from "@commander-js/extra-typings";
import { type Breakpoints, type StressCurve, type StressResult, breakpointSentences, breakpoints, formatBps, stress, stressCurves } from "../../index.ts";
import { type StressBook, fetchStressBook } from "../../fetch/views.ts";
import { type Context, UsageError, fmt, kvTable, table, type Run } from "../context.ts";

/** "50" or "12.5" (percent, at most two decimals, 0..100) as bps. */
export function pctArg(s: string, what: string): bigint {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(s.trim());
  if (!m) throw new UsageError(`${what} must be a percentage between 0 and 100 (at most two decimals), got "${s}"`);
  const bps = BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
  if (bps > 10_000n) throw new UsageError(`${what} must be at most 100 %, got "${s}"`);
  return bps;
}

/** A collection's label for people: its index in the deployment ("collection 1") and short address. */
function labelOf(book: StressBook, address: string | "all"): string {
  if (address === "all") return "every listed collection";
  const i = book.collections.findIndex((c) => c.address.toLowerCase() === address.toLowerCase());
  return `collection ${i + 1} (${address.slice(0, 8)}…)`;
}

/** The scenario's result as plain data (the --json shape of `pool stress --drop`). */
export function scenarioJson(r: StressResult) {
  return {
    at: r.at,
    floors: r.floors,
    shortfall: r.shortfall,
    liquidated: r.liquidated.map((s) => ({
      loan: s.loan.id,
      collection: s.loan.collection,
      reason: s.reason,
      floor: s.floor,
      appraisal: s.appraisal,
      owed: s.owed,
      bookValue: s.bookValue,
      salePrice: s.salePrice,
      proceeds: s.proceeds,
      shortfall: s.shortfall,
    })),
    before: r.before,
    after: r.after,
    loss: r.loss,
  };
}

function formatScenario(book: StressBook, r: StressResult, what: string, recovery: string): string {
  const d = book.snap.pool.assetDecimals;
  const sym = book.snap.pool.assetSymbol;
  const pct = (loss: bigint, value: bigint) => (value === 0n ? "0 %" : formatBps((loss * 10_000n) / value));
  const head = kvTable([
    ["scenario", what],
    ["recovery", recovery],
    ["loans liquidated", `${r.liquidated.length} of ${book.loans.length} active`],
    ["shortfall (NAV lost)", fmt(r.shortfall, d, sym)],
    ["NAV", `${fmt(r.before.nav, d)} -> ${fmt(r.after.nav, d)} ${sym}`],
    ["subordination (junior / NAV)", `${formatBps(r.before.subordinationBps)} -> ${formatBps(r.after.subordinationBps)}`],
  ]);
  const tranches = table(
    ["tranche", `value now (${sym})`, `value after (${sym})`, `loss (${sym})`, "loss", "share price now", "share price after"],
    (["senior", "junior"] as const).map((t) => [
      t,
      fmt(r.before[t].value, d),
      fmt(r.after[t].value, d),
      fmt(r.loss[t], d),
      pct(r.loss[t], r.before[t].value),
      fmt(r.before[t].sharePrice, d),
      fmt(r.after[t].sharePrice, d),
    ]),
  );
  const loans =
    r.liquidated.length === 0
      ? "no loan is liquidated"
      : table(
          ["loan", "collection", "reason", `owed (${sym})`, `book (${sym})`, `sale price (${sym})`, `to pool (${sym})`, `shortfall (${sym})`],
          r.liquidated.map((s) => [String(s.loan.id), labelOf(book, s.loan.collection), s.reason, fmt(s.owed, d), fmt(s.bookValue, d), fmt(s.salePrice, d), fmt(s.proceeds, d), fmt(s.shortfall, d)]),
        );
  return `${head}\n${tranches}\n${loans}`;
}

function formatLadder(book: StressBook, curves: StressCurve[], bps: Breakpoints[]): string {
  const d = book.snap.pool.assetDecimals;
  const sym = book.snap.pool.assetSymbol;
  const blocks = curves.map((c) => {
    const t = table(
      ["floor drop", "loans liquidated", `shortfall (${sym})`, `senior loss (${sym})`, "senior loss", `junior loss (${sym})`, "junior loss", "subordination after"],
      c.points.map((p) => [formatBps(p.dropBps), String(p.liquidated), fmt(p.shortfall, d), fmt(p.loss.senior, d), formatBps(p.lossBps.senior), fmt(p.loss.junior, d), formatBps(p.lossBps.junior), formatBps(p.subordinationBps)]),
    );
    const b = bps.find((x) => x.collection === c.collection);
    const words = b ? breakpointSentences(b, c.collection === "all" ? "all floors" : `${labelOf(book, c.collection)}'s floor`).map((s) => `  - ${s}`) : [];
    return `${c.collection === "all" ? "all listed collections at once" : labelOf(book, c.collection)}:\n${t}\n${words.join("\n")}`;
  });
  return [`senior value ${fmt(book.snap.pool.trancheValueAt(0), d, sym)}, junior value ${fmt(book.snap.pool.trancheValueAt(1), d, sym)}, ${book.loans.length} active loans`, ...blocks].join("\n\n");
}

export function registerStress(pool: Command, run: Run): void {
  pool
    .command("stress")
    .description("what each tranche would lose if floors fell now: one scenario (--drop) or the ladder 10 .. 90 % with breakpoints")
    .option("--collection <c>", "the collection whose floor falls (address, deployment key or index); default: every listed collection")
    .option("--drop <pct>", "the floor drop in percent (e.g. 50); default: the ladder 10, 20, ... 90 %")
    .option("--recovery <pct>", "sale price of a seized NFT as a percentage of its stressed appraisal; default: the auction's end price")
    .action(
      run(async (ctx: Context, o: { collection?: string; drop?: string; recovery?: string }) => {
        const drop = o.drop === undefined ? undefined : pctArg(o.drop, "--drop");
        const recoveryBps = o.recovery === undefined ? undefined : pctArg(o.recovery, "--recovery");
        const provider = await ctx.provider();
        const d = await ctx.deployment();
        const collection = o.collection === undefined ? undefined : await ctx.collection(o.collection);
        const book = await fetchStressBook(provider, d);
        if (book.collections.length === 0) throw new UsageError("the pool lists no collection: nothing to stress");
        if (collection !== undefined && !book.collections.some((c) => c.address.toLowerCase() === collection.toLowerCase())) {
          throw new UsageError(`${collection} is not a listed collection of this pool`);
        }
        const recovery = recoveryBps === undefined ? `the auction's end price (${formatBps(book.auction.endMultiplierBps)} of the appraisal at liquidation)` : `${formatBps(recoveryBps)} of the stressed appraisal`;
        const { snap, loans, collections, auction } = book;
        if (drop !== undefined) {
          const targets = collection === undefined ? collections.map((c) => c.address) : [collection];
          const r = stress(snap, loans, collections, { drops: Object.fromEntries(targets.map((c) => [c, drop])), recoveryBps, auction });
          const what = `${collection === undefined ? "every listed collection's floor" : `${labelOf(book, collection)}'s floor`} falls ${formatBps(drop)} now`;
          ctx.print({ drop, recoveryBps: recoveryBps ?? null, collection: collection ?? "all", ...scenarioJson(r) }, () => formatScenario(book, r, what, recovery));
          return;
        }
        const targets = collection === undefined ? [...collections.map((c) => c.address), "all"] : [collection];
        const curves = stressCurves(snap, loans, collections, { auction, recoveryBps, targets });
        const bps = breakpoints(snap, loans, collections, { auction, recoveryBps }).filter((b) => targets.includes(b.collection));
        ctx.print({ recoveryBps: recoveryBps ?? null, curves, breakpoints: bps }, () => `recovery: ${recovery}\n\n${formatLadder(book, curves, bps)}`);
      }),
    );
}

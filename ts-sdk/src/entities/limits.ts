// Why a limit is where it is, typed (the model: morpho-org/sdks blue-sdk's `CapacityLimitReason`): every `max*` the
// entities compute comes with the constraint that binds it, so a UI branches on `limiter` and a CLI prints
// `describeLimiter`. The rules that pick the limiter live with the limit (entities/pool.ts); this file only names them.

/** What bounds a deposit into a tranche (StrataPool `_maxDepositAt`). */
export type DepositLimiter =
  /** the guardian or governance paused deposits (SPEC §8.3) */
  | "paused"
  /** the senior tranche's value is below its claim: senior deposits are refused until it recovers (SPEC §5.4) */
  | "seniorImpaired"
  /** the junior tranche must stay at least `minJuniorRatioBps` of NAV (SPEC §5.5) */
  | "subordination"
  /** the pool's 128-bit ledgers (in practice: no limit) */
  | "ledger"
  /** the junior is wiped out with shares outstanding: junior deposits are refused (SPEC §5.4) */
  | "juniorWipedOut";

/** What bounds an instant exit (the senior's `maxWithdraw`), or says there is none (the junior's). */
export type ExitLimiter =
  /** cash not lent out: the rest is lent */
  | "cash"
  /** cash not lent out and not owed to the redemption queues */
  | "cashOwedToQueue"
  /** the senior tranche's whole value */
  | "trancheValue"
  /** the junior must stay at least `minJuniorRatioBps` of NAV */
  | "subordination"
  /** the junior exits asynchronously (ERC-7540): only what was served can be claimed (SPEC §5.8) */
  | "served";

/** A limit and the constraint that binds it. */
export interface CapacityLimit<L extends string> {
  value: bigint;
  limiter: L;
}

/** The parameters a limiter's description quotes. */
export interface LimiterContext {
  minJuniorRatioBps: bigint;
  /** The junior notice period in seconds (null: none). */
  noticePeriod?: bigint | null;
}

const pct = (bps: bigint) => `${Number(bps) / 100} %`;

/** A limiter in words a lender understands (the CLI's and the app's text; a program branches on the limiter). */
export function describeLimiter(limiter: DepositLimiter | ExitLimiter, ctx: LimiterContext): string {
  switch (limiter) {
    case "paused":
      return "deposits are paused by the guardian or governance";
    case "seniorImpaired":
      return "the senior tranche is impaired (value below its claim): senior deposits are refused until it recovers";
    case "subordination":
      return `subordination: the junior tranche must stay >= ${pct(ctx.minJuniorRatioBps)} of NAV`;
    case "ledger":
      return "the pool's 128-bit ledgers";
    case "juniorWipedOut":
      return "the junior tranche is wiped out with shares outstanding: junior deposits are refused";
    case "cash":
      return "available cash: the rest is lent out (request a withdrawal to queue for repayments)";
    case "cashOwedToQueue":
      return "available cash: cash not lent out and not owed to the redemption queue";
    case "trancheValue":
      return "the senior tranche's value";
    case "served": {
      const n = ctx.noticePeriod ?? 0n;
      const h = Number(n) / 3600;
      return `served and not yet claimed (ERC-7540 claim); junior exits are requests with a ${Number.isInteger(h) ? h : h.toFixed(2)} h notice period`;
    }
  }
}

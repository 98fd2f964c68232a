// The stress view (issue #33): what the live book would lose, tranche by tranche, if collection floors fell now.
// Pure (no I/O): it plays a scenario on the entities with the contracts' own rules and rounding. A loan the drop
// makes liquidatable (`Loan.isLiquidatable`) is impaired as `LoanLogic.impair` does (its principal and accrual
// leave NAV: `Loan.accrual`), auctioned as `DutchAuctionLiquidator.liquidate` opens it (`AuctionEntity.open`) and
// sold at the assumed price (`AuctionEntity.proceedsOf`: up to `owed` to the pool); the tranches then split the new
// NAV by the waterfall (`Pool.valuesAt` and `split`). ts-sdk/test/stress.test.ts plays the same scenario on anvil and
// finds the realised tranche values equal to the prediction to the unit.
//
// Assumptions (docs/ACCOUNTING.md "Stress view"): every drop happens at once, at `at`; nothing else happens (no
// deposit, exit, borrow or repayment); every liquidatable loan is liquidated at `at` and its auction sells at its end
// price (or at `recoveryBps` of the stressed appraisal), the proceeds arriving at `settledAt` (default `at`: the
// instantaneous view). Loans already in liquidation are already written off in the realised values; their pending
// proceeds are not counted (the conservative side).
import { StrataMathError } from "../errors.ts";
import { AuctionEntity, type AuctionParams } from "./auction.ts";
import type { Loan } from "./loan.ts";
import { Pool } from "./pool.ts";
import { TrancheEntity } from "./tranche.ts";
import { Tranche as TrancheIds, type TrancheId } from "./types.ts";
import { BPS, bpsDown, mulDivDown, zeroFloorSub } from "../math/fixed-point.ts";
import { split } from "../math/waterfall.ts";

/** A collection as the stress view needs it (`fetchCollection`'s `CollectionInfo` fits). */
export interface StressCollection {
  address: string;
  floorPrice: bigint;
}

/** The pool and its two tranches at one block (`fetchPool`'s `PoolSnapshot` fits). */
export interface StressPool {
  pool: Pool;
  senior: TrancheEntity;
  junior: TrancheEntity;
}

export interface StressScenario {
  /** Floor drop per collection address (any case), in bps of today's floor, 0..10,000. Unnamed collections keep theirs. */
  drops: Readonly<Record<string, bigint>>;
  /** Exact stressed floors per collection (an oracle price to play), overriding `drops` for those collections. */
  floors?: Readonly<Record<string, bigint>>;
  /** Sale price as bps of the stressed appraisal (floor x rarity); default: the auction's end price. */
  recoveryBps?: bigint;
  /** The liquidator's auction parameters in force (`fetchAuctionParams`). */
  auction: AuctionParams;
  /** When the drop happens and the loans are liquidated (default: the pool's timestamp). */
  at?: bigint;
  /** When the auctions' proceeds are in (default `at`: the instantaneous view). */
  settledAt?: bigint;
}

/** A loan the scenario liquidates. */
export interface StressedLoan {
  loan: Loan;
  reason: "overdue" | "unhealthy";
  /** The collection's floor in the scenario and the loan's appraisal at it. */
  floor: bigint;
  appraisal: bigint;
  /** Debt + penalty frozen at liquidation (`owed`) and the book value the pool writes off. */
  owed: bigint;
  bookValue: bigint;
  /** The assumed sale price and what of it goes to the pool (up to `owed`). */
  salePrice: bigint;
  proceeds: bigint;
  /** `bookValue - proceeds` where positive: this loan's part of the shortfall. */
  shortfall: bigint;
}

/** One side of the comparison: NAV, the senior claim, and per tranche its value and share price. */
export interface StressState {
  nav: bigint;
  claim: bigint;
  senior: { value: bigint; sharePrice: bigint };
  junior: { value: bigint; sharePrice: bigint };
  /** The junior's share of NAV, bps (rounded Down; 0 when NAV is 0). */
  subordinationBps: bigint;
}

export interface StressResult {
  at: bigint;
  settledAt: bigint;
  /** The stressed floor of every collection given. */
  floors: Record<string, bigint>;
  liquidated: StressedLoan[];
  /** NAV lost: realised NAV now minus NAV once the auctions are settled (0 if it does not fall). */
  shortfall: bigint;
  /** Today's realised values (at `at`) and the values once the scenario has played out (at `settledAt`). */
  before: StressState;
  after: StressState;
  /** What each tranche loses: its value before minus after, floored at 0; the junior absorbs first. */
  loss: { senior: bigint; junior: bigint };
  /** The pool after the scenario, as of `settledAt` (the same entity the SDK reads from the chain). */
  poolAfter: Pool;
}

export class StressScenarioError extends StrataMathError {}

const key = (a: string) => a.toLowerCase();

/** A floor after a drop of `dropBps`: `floor x (10,000 - drop) / 10,000`, rounded Down. */
export function droppedFloor(floor: bigint, dropBps: bigint): bigint {
  if (dropBps < 0n || dropBps > BPS) throw new StressScenarioError(`floor drop ${dropBps} bps is outside 0..10000`);
  return bpsDown(floor, BPS - dropBps);
}

/** `tr` over `pool` read at `t` (the entities answer at their pool's timestamp by default: sharePrice, previews). */
const anchored = (tr: TrancheEntity, pool: Pool, t: bigint) => new TrancheEntity({ ...tr }, new Pool({ ...pool, timestamp: t }));

function stateOf(pool: Pool, senior: TrancheEntity, junior: TrancheEntity, t: bigint): StressState {
  const { nav, claim } = pool.valuesAt(t);
  const s = split(nav, claim);
  const price = (tr: TrancheEntity) => anchored(tr, pool, t).sharePrice;
  return {
    nav,
    claim,
    senior: { value: s.seniorValue, sharePrice: price(senior) },
    junior: { value: s.juniorValue, sharePrice: price(junior) },
    subordinationBps: nav === 0n ? 0n : mulDivDown(s.juniorValue, BPS, nav),
  };
}

/**
 * Plays `scenario` on the live book: `pool` (with its tranches), its active `loans` (other statuses are skipped),
 * the listed `collections` with today's floors. See the file header for what it assumes.
 */
export function stress(pool: StressPool, loans: readonly Loan[], collections: readonly StressCollection[], scenario: StressScenario): StressResult {
  const p = pool.pool;
  const at = scenario.at ?? p.timestamp;
  const settledAt = scenario.settledAt ?? at;
  if (at < p.timestamp) throw new StressScenarioError(`scenario time ${at} is before the pool's state (${p.timestamp})`);
  if (settledAt < at) throw new StressScenarioError(`settlement ${settledAt} is before the liquidations (${at})`);
  if (scenario.recoveryBps !== undefined && scenario.recoveryBps < 0n) throw new StressScenarioError(`recovery ${scenario.recoveryBps} bps is negative`);

  const floors: Record<string, bigint> = {};
  for (const c of collections) floors[key(c.address)] = c.floorPrice;
  for (const [c, drop] of Object.entries(scenario.drops)) {
    const today = floors[key(c)];
    if (today === undefined) throw new StressScenarioError(`drop given for ${c}, which is not among the collections`);
    floors[key(c)] = droppedFloor(today, drop);
  }
  for (const [c, floor] of Object.entries(scenario.floors ?? {})) {
    if (floors[key(c)] === undefined) throw new StressScenarioError(`floor given for ${c}, which is not among the collections`);
    if (floor < 0n) throw new StressScenarioError(`floor ${floor} for ${c} is negative`);
    floors[key(c)] = floor;
  }

  const liquidated: StressedLoan[] = [];
  let proceeds = 0n;
  let cash = p.cash;
  let totalPrincipal = p.totalPrincipal;
  let rateSum = p.rateSum;
  let rateTimeSum = p.rateTimeSum;
  for (const loan of loans) {
    if (!loan.isActive) continue;
    const floor = floors[key(loan.collection)];
    if (floor === undefined) throw new StressScenarioError(`loan ${loan.id} is on ${loan.collection}, which is not among the collections`);
    // A stressed floor is a fresh price (the oracle has just been pushed).
    const reason = loan.liquidationReason(at, floor, true);
    if (reason === null) continue;
    const auction = AuctionEntity.open(loan, floor, at, scenario.auction);
    const appraisal = loan.appraisal(floor);
    const salePrice = scenario.recoveryBps === undefined ? auction.endPrice : bpsDown(appraisal, scenario.recoveryBps);
    const { toPool } = auction.proceedsOf(salePrice);
    const { bookValue } = loan.impairmentAt(at);
    const acc = loan.accrual;
    proceeds += toPool;
    totalPrincipal -= loan.principal;
    rateSum -= acc.rateSum;
    rateTimeSum -= acc.rateTimeSum;
    liquidated.push({ loan, reason, floor, appraisal, owed: auction.owed, bookValue, salePrice, proceeds: toPool, shortfall: zeroFloorSub(bookValue, toPool) });
  }

  // The pool once every auction has settled (at `settledAt`): impaired and settled in the same scenario, so
  // `impairedBook` and `impairedCount` end where they started. The senior claim follows the contracts' checkpoints
  // (SPEC §5.1): at `at` the impairments checkpoint it at the utilization that held until then; from `at` it accrues at
  // the utilization without the liquidated principal and before the proceeds; at `settledAt` the settlements (all in
  // one block) checkpoint it again. In the instantaneous view (`settledAt == at`) that is `seniorClaimAt(at)`.
  const waiting = new Pool({ ...p, timestamp: at, seniorClaimStored: p.seniorClaimAt(at), seniorLastUpdate: at, totalPrincipal, seniorAccrualMode: 1 });
  const claimSettled = liquidated.length === 0 ? p.seniorClaimAt(settledAt) : waiting.seniorClaimAt(settledAt);
  cash += proceeds;
  const poolAfter = new Pool({
    ...p,
    timestamp: settledAt,
    cash,
    totalPrincipal,
    rateSum,
    rateTimeSum,
    seniorClaimStored: claimSettled,
    seniorLastUpdate: settledAt,
    seniorAccrualMode: liquidated.length === 0 ? p.seniorAccrualMode : 1,
  });
  const before = stateOf(p, pool.senior, pool.junior, at);
  const after = stateOf(poolAfter, pool.senior, pool.junior, settledAt);
  return {
    at,
    settledAt,
    floors,
    liquidated,
    shortfall: zeroFloorSub(before.nav, after.nav),
    before,
    after,
    loss: { senior: zeroFloorSub(before.senior.value, after.senior.value), junior: zeroFloorSub(before.junior.value, after.junior.value) },
    poolAfter,
  };
}

/**
 * A lender's `shares` of `tranche` (wallet and queued shares alike bear the loss) in scenario `r`: what they redeem
 * for now and once the scenario has played out (`convertToAssets`, Down), and the difference.
 */
export function stressPosition(pool: StressPool, r: StressResult, tranche: TrancheId, shares: bigint): { before: bigint; after: bigint; loss: bigint } {
  const tr = tranche === TrancheIds.Senior ? pool.senior : pool.junior;
  const before = anchored(tr, pool.pool, r.at).convertToAssets(shares);
  const after = anchored(tr, r.poolAfter, r.settledAt).convertToAssets(shares);
  return { before, after, loss: zeroFloorSub(before, after) };
}

/** Per collection (or `"all"`: every collection at once), the smallest floor drops (bps) that cross each line. */
export interface Breakpoints {
  collection: string | "all";
  /** The smallest drop that liquidates a first loan (0: one is liquidatable already; null: none even at `MAX_DROP`). */
  firstLiquidation: bigint | null;
  /** The smallest drop at which the junior loses anything. */
  juniorFirstLoss: bigint | null;
  /** The smallest drop that leaves the junior worth nothing. */
  juniorWipedOut: bigint | null;
  /** The smallest drop at which the senior loses anything. */
  seniorFirstLoss: bigint | null;
}

/**
 * The largest drop `breakpoints` searches: 99.99 %. At 100 % the price is dead (zero) and the liquidator prices the
 * auction off the debt instead of the appraisal (DutchAuctionLiquidator `liquidate`), so the default recovery jumps
 * back up there; `stress` plays that case as the contracts would.
 */
export const MAX_DROP = BPS - 1n;

/** The smallest drop in 0..MAX_DROP bps for which `hit` holds (it must be monotone in the drop), or null. */
function smallestDrop(hit: (drop: bigint) => boolean): bigint | null {
  if (!hit(MAX_DROP)) return null;
  let lo = 0n;
  let hi = MAX_DROP;
  if (hit(lo)) return lo;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (hit(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * `breakpoints(pool, loans, collections, scenario)`: for each collection and for all of them at once, the smallest
 * floor drop (whole bps, up to `MAX_DROP`) that liquidates a first loan, that wipes out the junior, and that first costs the senior
 * anything, under `scenario`'s recovery assumption and times (its `drops` and `floors` are ignored). Found by
 * bisection over `stress` itself: each line is monotone in the drop as long as a liquidation does not bring the pool
 * more than it writes off (an assumed sale price at most the loan's book value; see docs/ACCOUNTING.md).
 */
export function breakpoints(
  pool: StressPool,
  loans: readonly Loan[],
  collections: readonly StressCollection[],
  scenario: Omit<StressScenario, "drops" | "floors"> & { drops?: StressScenario["drops"]; floors?: StressScenario["floors"] },
): Breakpoints[] {
  const base = { ...scenario, floors: undefined };
  const of = (label: string | "all", targets: readonly StressCollection[]): Breakpoints => {
    const run = (drop: bigint) => stress(pool, loans, collections, { ...base, drops: Object.fromEntries(targets.map((c) => [c.address, drop])) });
    return {
      collection: label,
      firstLiquidation: smallestDrop((d) => run(d).liquidated.length > 0),
      juniorFirstLoss: smallestDrop((d) => run(d).loss.junior > 0n),
      juniorWipedOut: smallestDrop((d) => run(d).after.junior.value === 0n),
      seniorFirstLoss: smallestDrop((d) => run(d).loss.senior > 0n),
    };
  };
  return [...collections.map((c) => of(c.address, [c])), of("all", collections)];
}

/** One point of a stress curve: a drop and what it costs each tranche. */
export interface StressPoint {
  dropBps: bigint;
  liquidated: number;
  shortfall: bigint;
  loss: { senior: bigint; junior: bigint };
  /** Loss as bps of the tranche's value now (Down; 0 for an empty tranche). */
  lossBps: { senior: bigint; junior: bigint };
  sharePrice: { senior: bigint; junior: bigint };
  subordinationBps: bigint;
}

/** A stress curve: one collection's floor (or all of them at once) falling by each of `drops`. */
export interface StressCurve {
  collection: string | "all";
  points: StressPoint[];
}

/** The default ladder of drops: 10 %, 20 %, ... 90 %. */
export const DEFAULT_DROPS: readonly bigint[] = [1000n, 2000n, 3000n, 4000n, 5000n, 6000n, 7000n, 8000n, 9000n];

/**
 * The stress curves of the live book: for each of `targets` (collection addresses, or `"all"` for every collection
 * at once; default each collection then all) the scenario at each drop of `drops` (default 10 .. 90 %).
 */
export function stressCurves(
  pool: StressPool,
  loans: readonly Loan[],
  collections: readonly StressCollection[],
  opts: { auction: AuctionParams; recoveryBps?: bigint; drops?: readonly bigint[]; targets?: readonly (string | "all")[]; at?: bigint },
): StressCurve[] {
  const targets = opts.targets ?? [...collections.map((c) => c.address), "all"];
  return targets.map((target) => {
    const named = target === "all" ? collections : collections.filter((c) => key(c.address) === key(target));
    if (named.length === 0) throw new StressScenarioError(`${target} is not among the collections`);
    const points = (opts.drops ?? DEFAULT_DROPS).map((dropBps) => {
      const r = stress(pool, loans, collections, { drops: Object.fromEntries(named.map((c) => [c.address, dropBps])), recoveryBps: opts.recoveryBps, auction: opts.auction, at: opts.at });
      const pct = (loss: bigint, value: bigint) => (value === 0n ? 0n : mulDivDown(loss, BPS, value));
      return {
        dropBps,
        liquidated: r.liquidated.length,
        shortfall: r.shortfall,
        loss: r.loss,
        lossBps: { senior: pct(r.loss.senior, r.before.senior.value), junior: pct(r.loss.junior, r.before.junior.value) },
        sharePrice: { senior: r.after.senior.sharePrice, junior: r.after.junior.sharePrice },
        subordinationBps: r.after.subordinationBps,
      };
    });
    return { collection: target, points };
  });
}

/** Bps as a percentage for sentences: 7125n -> "71.25 %". */
const pctText = (bps: bigint) => `${Number(bps) / 100} %`;

/**
 * The breakpoints in words, for people: `name` names the collection ("collection A's floor"; for `"all"`, say
 * "every floor"). E.g. "the senior loses nothing until collection A's floor falls 71 %".
 */
export function breakpointSentences(b: Breakpoints, name: string): string[] {
  const subject = b.collection === "all" ? `${name} fall` : `${name} falls`;
  const line = (what: string, at: bigint | null, never: string) =>
    at === null ? never : at === 0n ? `${what} already, with no drop` : `${what} once ${subject} ${pctText(at)}`;
  const out = [
    b.firstLiquidation === 0n
      ? "a loan is liquidatable already, with no drop (overdue, or unhealthy at today's floor)"
      : line("a first loan is liquidated", b.firstLiquidation, `no loan is liquidated even if ${subject} ${pctText(MAX_DROP)}`),
    b.juniorFirstLoss === null
      ? `the junior tranche loses nothing even if ${subject} ${pctText(MAX_DROP)}`
      : b.juniorFirstLoss === 0n
        ? "the junior tranche is already losing, with no drop"
        : `the junior tranche loses nothing until ${subject} ${pctText(b.juniorFirstLoss)}`,
    line("the junior tranche is wiped out", b.juniorWipedOut, `the junior tranche keeps value even if ${subject} ${pctText(MAX_DROP)}`),
  ];
  if (b.seniorFirstLoss === null) out.push(`the senior tranche loses nothing even if ${subject} ${pctText(MAX_DROP)}`);
  else if (b.seniorFirstLoss === 0n) out.push("the senior tranche is already losing, with no drop");
  else out.push(`the senior tranche loses nothing until ${subject} ${pctText(b.seniorFirstLoss)}`);
  return out;
}

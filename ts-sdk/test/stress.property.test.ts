// Property tests (fast-check) of the stress view on random books: losses are monotone in the drop, the junior loses
// first and the senior only once the junior is wiped out, the two losses add up to the NAV shortfall, a zero drop on
// a healthy book loses nothing, and the breakpoints are the exact edges of what `stress` says. The on-chain proof
// that the figures equal the contracts' accounting is ts-sdk/test/stress.test.ts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AuctionParams, Loan, Pool, type PoolState, TrancheEntity, Tranche } from "../src/entities/index.ts";
import { BPS, WAD } from "../src/math/fixed-point.ts";
import { MAX_DROP, type StressPool, breakpoints, stress, stressPosition } from "../src/entities/stress.ts";

const RUNS = 300;
const UNIT = 10n ** 6n;
const DAY = 86_400n;
const T = 1_800_000_000n;
const COLLECTIONS = ["0x00000000000000000000000000000000000000c1", "0x00000000000000000000000000000000000000c2"];

interface Book {
  snap: StressPool;
  loans: Loan[];
  collections: { address: string; floorPrice: bigint }[];
  auction: AuctionParams;
  /** The largest threshold of the book: recoveries and end multipliers are drawn at most half of the smallest one. */
  minThresholdBps: bigint;
}

const loanArb = fc.record({
  c: fc.constantFrom(0, 1),
  rarityBps: fc.integer({ min: 5_000, max: 30_000 }),
  thresholdBps: fc.integer({ min: 5_000, max: 9_500 }),
  // principal as a share of the liquidation line (appraisal x threshold): 5 % .. 95 %
  lineShareBps: fc.integer({ min: 500, max: 9_500 }),
  aprBps: fc.integer({ min: 0, max: 10_000 }),
  ageDays: fc.integer({ min: 0, max: 60 }),
  termDays: fc.integer({ min: 1, max: 120 }),
  penaltyBps: fc.integer({ min: 0, max: 2_000 }),
  protocolFeeBps: fc.integer({ min: 0, max: 3_000 }),
});

const bookArb: fc.Arbitrary<Book> = fc
  .record({
    floors: fc.tuple(fc.integer({ min: 1_000, max: 2_000_000 }), fc.integer({ min: 1_000, max: 2_000_000 })),
    loans: fc.array(loanArb, { minLength: 1, maxLength: 12 }),
    cash: fc.integer({ min: 0, max: 5_000_000 }),
    claimShareBps: fc.integer({ min: 0, max: 12_000 }),
    seniorRateBps: fc.integer({ min: 0, max: 3_000 }),
    claimAgeDays: fc.integer({ min: 0, max: 30 }),
    supplies: fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 18n }), fc.bigInt({ min: 1n, max: 10n ** 18n })),
    startMultiplierBps: fc.integer({ min: 10_000, max: 50_000 }),
    endShare: fc.integer({ min: 2_000, max: 5_000 }),
  })
  .map((r) => {
    const floors = [BigInt(r.floors[0]) * UNIT, BigInt(r.floors[1]) * UNIT];
    const loans = r.loans.map((l, i) => {
      const appraisal = (floors[l.c] * BigInt(l.rarityBps)) / BPS;
      const principal = (((appraisal * BigInt(l.thresholdBps)) / BPS) * BigInt(l.lineShareBps)) / BPS + 10n;
      const start = T - BigInt(l.ageDays) * DAY;
      return new Loan({
        id: BigInt(i + 1),
        borrower: "0x00000000000000000000000000000000000000b0",
        start,
        maturity: start + BigInt(l.termDays) * DAY,
        status: 1,
        collection: COLLECTIONS[l.c],
        principal,
        tokenId: BigInt(i + 1),
        apr: (BigInt(l.aprBps) * WAD) / BPS,
        rarityBps: BigInt(l.rarityBps),
        liquidationThresholdBps: BigInt(l.thresholdBps),
        liquidationPenaltyBps: BigInt(l.penaltyBps),
        lateFeeBps: 0n,
        protocolFeeBps: BigInt(l.protocolFeeBps),
        gracePeriod: 3n * DAY,
        impairedAt: 0n,
        asOf: T,
      });
    });
    const minThresholdBps = loans.reduce((m, l) => (l.liquidationThresholdBps < m ? l.liquidationThresholdBps : m), BPS);
    const state: PoolState = {
      blockNumber: 1,
      timestamp: T,
      asset: "0x00000000000000000000000000000000000000a0",
      assetDecimals: 6,
      assetSymbol: "USD",
      cash: BigInt(r.cash) * UNIT,
      totalPrincipal: loans.reduce((s, l) => s + l.principal, 0n),
      rateSum: loans.reduce((s, l) => s + l.accrual.rateSum, 0n),
      rateTimeSum: loans.reduce((s, l) => s + l.accrual.rateTimeSum, 0n),
      seniorClaimStored: 0n,
      seniorLastUpdate: T - BigInt(r.claimAgeDays) * DAY,
      seniorRate: (BigInt(r.seniorRateBps) * WAD) / BPS,
      seniorAccrualMode: 1,
      protocolFees: 0n,
      minJuniorRatioBps: 2_000n,
      originationFeeBps: 0n,
      protocolFeeBps: 1_000n,
      gracePeriod: 3n * DAY,
      borrowsPaused: false,
      depositsPaused: false,
      impairedBook: 0n,
      impairedCount: 0n,
      nextLoanId: BigInt(loans.length + 1),
      supply: r.supplies,
      holdThresholdBps: 100n,
      queueCooldown: 86_400n,
      servableAfter: [0n, 0n],
      pendingShares: [0n, 0n],
    };
    const nav = new Pool(state).navAt(T);
    const pool = new Pool({ ...state, seniorClaimStored: (nav * BigInt(r.claimShareBps)) / BPS });
    const tranche = (t: 0 | 1) =>
      new TrancheEntity({ tranche: t, vault: `0x${"0".repeat(39)}${t + 1}`, totalSupply: r.supplies[t], shareDecimals: 12, noticePeriod: null, queueHead: 0n, requestCount: 0n }, pool);
    return {
      snap: { pool, senior: tranche(Tranche.Senior), junior: tranche(Tranche.Junior) },
      loans,
      collections: COLLECTIONS.map((address, i) => ({ address, floorPrice: floors[i] })),
      // The end price at most half the smallest threshold: a liquidation then never brings the pool more than it
      // writes off (the condition under which losses are monotone; see docs/ACCOUNTING.md "Stress view").
      auction: { startMultiplierBps: BigInt(r.startMultiplierBps), endMultiplierBps: (minThresholdBps * BigInt(r.endShare)) / BPS, auctionDuration: 3n * DAY, recoveryTimeout: 30n * DAY },
      minThresholdBps,
    };
  });

/** A recovery assumption: the auction's end price, or a rate at most half the smallest threshold. */
const recoveryArb = (b: Book) => fc.option(fc.bigInt({ min: 0n, max: b.minThresholdBps / 2n }), { nil: undefined });
// Drops short of 100 %: at 100 % the price is dead (zero) and the liquidator prices the auction off the debt instead
// of the appraisal (DutchAuctionLiquidator `liquidate`), which the stress view follows; see the dead-price case below.
const dropArb = fc.bigInt({ min: 0n, max: BPS - 1n });
const targetArb = fc.constantFrom<"all" | 0 | 1>("all", 0, 1);
const dropsFor = (target: "all" | 0 | 1, d: bigint) => (target === "all" ? Object.fromEntries(COLLECTIONS.map((c) => [c, d])) : { [COLLECTIONS[target]]: d });

describe("stress view: properties", () => {
  it("losses are monotone in the drop (per collection and all at once), for both recovery assumptions", () => {
    fc.assert(
      fc.property(
        bookArb.chain((b) => fc.tuple(fc.constant(b), recoveryArb(b), targetArb, dropArb, dropArb)),
        ([b, recoveryBps, target, d1, d2]) => {
          const [lo, hi] = d1 <= d2 ? [d1, d2] : [d2, d1];
          const run = (d: bigint) => stress(b.snap, b.loans, b.collections, { drops: dropsFor(target, d), recoveryBps, auction: b.auction });
          const a = run(lo);
          const z = run(hi);
          expect(z.loss.junior).toBeGreaterThanOrEqual(a.loss.junior);
          expect(z.loss.senior).toBeGreaterThanOrEqual(a.loss.senior);
          expect(z.shortfall).toBeGreaterThanOrEqual(a.shortfall);
          expect(z.liquidated.length).toBeGreaterThanOrEqual(a.liquidated.length);
          expect(z.after.senior.sharePrice).toBeLessThanOrEqual(a.after.senior.sharePrice);
          expect(z.after.junior.sharePrice).toBeLessThanOrEqual(a.after.junior.sharePrice);
          // A lender's own position (a third of each tranche) loses more with the drop.
          for (const t of [Tranche.Senior, Tranche.Junior] as const) {
            const shares = (t === Tranche.Senior ? b.snap.senior : b.snap.junior).totalSupply / 3n;
            const pa = stressPosition(b.snap, a, t, shares);
            const pz = stressPosition(b.snap, z, t, shares);
            expect(pz.loss).toBeGreaterThanOrEqual(pa.loss);
            expect(pz.loss).toBe(pz.before > pz.after ? pz.before - pz.after : 0n);
            expect(pz.before).toBe(pa.before);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("the junior loses first; the senior only once the junior is wiped out; the losses add up to the shortfall", () => {
    const seen = { liquidations: 0, juniorOnly: 0, seniorToo: 0 };
    fc.assert(
      fc.property(
        bookArb.chain((b) => fc.tuple(fc.constant(b), recoveryArb(b), targetArb, dropArb)),
        ([b, recoveryBps, target, d]) => {
          const s = stress(b.snap, b.loans, b.collections, { drops: dropsFor(target, d), recoveryBps, auction: b.auction });
          if (s.loss.senior > 0n) expect(s.after.junior.value).toBe(0n);
          if (s.after.junior.value > 0n) expect(s.loss.senior).toBe(0n);
          expect(s.loss.junior + s.loss.senior).toBe(s.shortfall);
          if (s.liquidated.length > 0) seen.liquidations++;
          if (s.loss.junior > 0n && s.loss.senior === 0n) seen.juniorOnly++;
          if (s.loss.senior > 0n) seen.seniorToo++;
          expect(s.after.senior.value + s.after.junior.value).toBe(s.after.nav);
          // The shortfall is the written-off book less the proceeds, within the aggregate accrual's rounding (one
          // unit per loan: NAV accrues the book's interest rounded down in aggregate, book values round up per loan).
          const perLoan = s.liquidated.reduce((x, l) => x + l.bookValue - l.proceeds, 0n);
          expect(s.before.nav - s.after.nav - perLoan).toBeLessThanOrEqual(0n);
          expect(s.before.nav - s.after.nav - perLoan).toBeGreaterThanOrEqual(-BigInt(s.liquidated.length));
        },
      ),
      { numRuns: RUNS },
    );
    // Not vacuous: the generator reaches every regime.
    expect(seen.liquidations).toBeGreaterThan(RUNS / 10);
    expect(seen.juniorOnly).toBeGreaterThan(RUNS / 20);
    expect(seen.seniorToo).toBeGreaterThan(RUNS / 20);
  });

  it("a zero drop on a healthy book liquidates and loses nothing", () => {
    fc.assert(
      fc.property(
        bookArb.chain((b) => fc.tuple(fc.constant(b), recoveryArb(b))),
        ([b, recoveryBps]) => {
          const floors = new Map(b.collections.map((c) => [c.address, c.floorPrice]));
          const healthy = b.loans.filter((l) => !l.isLiquidatable(T, floors.get(l.collection)!, true));
          const s = stress(b.snap, healthy, b.collections, { drops: dropsFor("all", 0n), recoveryBps, auction: b.auction });
          expect(s.liquidated).toEqual([]);
          expect(s.loss).toEqual({ senior: 0n, junior: 0n });
          expect(s.shortfall).toBe(0n);
          expect(s.after).toEqual(s.before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("breakpoints are the exact edges: crossed at the breakpoint, not one bps before", () => {
    fc.assert(
      fc.property(
        bookArb.chain((b) => fc.tuple(fc.constant(b), recoveryArb(b))),
        ([b, recoveryBps]) => {
          const scenario = { recoveryBps, auction: b.auction };
          const bps = breakpoints(b.snap, b.loans, b.collections, scenario);
          expect(bps.map((x) => x.collection)).toEqual([...COLLECTIONS, "all"]);
          for (const bp of bps) {
            const target = bp.collection === "all" ? "all" : (COLLECTIONS.indexOf(bp.collection) as 0 | 1);
            const run = (d: bigint) => stress(b.snap, b.loans, b.collections, { ...scenario, drops: dropsFor(target, d) });
            const checks: [bigint | null, (d: bigint) => boolean][] = [
              [bp.firstLiquidation, (d) => run(d).liquidated.length > 0],
              [bp.juniorFirstLoss, (d) => run(d).loss.junior > 0n],
              [bp.juniorWipedOut, (d) => run(d).after.junior.value === 0n],
              [bp.seniorFirstLoss, (d) => run(d).loss.senior > 0n],
            ];
            for (const [edge, hit] of checks) {
              if (edge === null) {
                expect(hit(MAX_DROP)).toBe(false);
              } else {
                expect(hit(edge)).toBe(true);
                if (edge > 0n) expect(hit(edge - 1n)).toBe(false);
              }
            }
            // The senior can only lose once the junior is gone.
            if (bp.seniorFirstLoss !== null) expect(bp.juniorWipedOut).not.toBeNull();
            if (bp.seniorFirstLoss !== null && bp.juniorWipedOut !== null) expect(bp.seniorFirstLoss).toBeGreaterThanOrEqual(bp.juniorWipedOut);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

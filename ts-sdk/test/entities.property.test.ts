// Property tests (fast-check, >= 200 cases each): the entities' pure bigint math equals the contracts' views exactly
// on randomized states of a real deployment (random deposits, withdrawals, borrows, repayments, queue requests,
// price moves, liquidations and time), read at the same block.
import fc from "fast-check";
import { type Contract, MaxUint256 } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devCollectionAt } from "../src/chain/contracts.ts";
import { send, mined } from "../src/chain/tx.ts";
import { BORROW, Tranche, fetchAuction, fetchLoans, fetchPool, loadLoanBook } from "../src/index.ts";
import { type Fixture, setupFixture } from "./fixture.ts";

const RUNS = 200;
let f: Fixture;
let nextToken = 1n;

beforeAll(async () => {
  f = await setupFixture();
  await f.mintAsset(f.lender, f.usd(100_000_000));
  await f.mintAsset(f.lender2, f.usd(100_000_000));
  await f.mintAsset(f.borrower, f.usd(100_000_000));
  await f.mintAsset(f.keeper, f.usd(100_000_000));
  for (const w of [f.lender, f.lender2]) {
    await mined(await f.c.asset.connect(w).approve(f.d.seniorVault, MaxUint256));
    await mined(await f.c.asset.connect(w).approve(f.d.juniorVault, MaxUint256));
  }
  await mined(await f.c.asset.connect(f.borrower).approve(f.d.pool, MaxUint256));
  await mined(await f.c.asset.connect(f.keeper).approve(f.d.liquidator, MaxUint256));
  for (const c of f.d.collections) await mined(await devCollectionAt(c, f.borrower).setApprovalForAll(f.d.pool, true));
  await send(f.c.junior.connect(f.lender), "deposit", [f.usd(400_000), f.lender.address]);
  await send(f.c.senior.connect(f.lender2), "deposit", [f.usd(900_000), f.lender2.address]);
}, 120_000);
afterAll(async () => f?.stop());

const tx = async (p: Promise<Parameters<typeof mined>[0]>) => {
  try {
    await mined(await p);
    return true;
  } catch {
    return false;
  }
};

/** One random action; reverts are part of the game (the state simply does not change). */
type Action =
  | { kind: "deposit"; tranche: 0 | 1; amount: number }
  | { kind: "withdraw"; tranche: 0 | 1; fraction: number }
  | { kind: "borrow"; collection: 0 | 1; bps: number; days: number }
  | { kind: "repay"; pick: number; full: boolean }
  | { kind: "request"; tranche: 0 | 1; fraction: number }
  | { kind: "process"; tranche: 0 | 1 }
  | { kind: "price"; collection: 0 | 1; moveBps: number }
  | { kind: "liquidate"; pick: number }
  | { kind: "warp"; seconds: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("deposit" as const), tranche: fc.constantFrom(0 as const, 1 as const), amount: fc.integer({ min: 1, max: 200_000 }) }),
  fc.record({ kind: fc.constant("withdraw" as const), tranche: fc.constantFrom(0 as const, 1 as const), fraction: fc.double({ min: 0.001, max: 0.5, noNaN: true }) }),
  fc.record({ kind: fc.constant("borrow" as const), collection: fc.constantFrom(0 as const, 1 as const), bps: fc.integer({ min: 100, max: 10_000 }), days: fc.integer({ min: 7, max: 60 }) }),
  fc.record({ kind: fc.constant("repay" as const), pick: fc.nat(), full: fc.boolean() }),
  fc.record({ kind: fc.constant("request" as const), tranche: fc.constantFrom(0 as const, 1 as const), fraction: fc.double({ min: 0.001, max: 0.3, noNaN: true }) }),
  fc.record({ kind: fc.constant("process" as const), tranche: fc.constantFrom(0 as const, 1 as const) }),
  fc.record({ kind: fc.constant("price" as const), collection: fc.constantFrom(0 as const, 1 as const), moveBps: fc.integer({ min: -3000, max: 3000 }) }),
  fc.record({ kind: fc.constant("liquidate" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("warp" as const), seconds: fc.integer({ min: 1, max: 20 * 86_400 }) }),
);

async function activeLoans(): Promise<bigint[]> {
  return (await loadLoanBook(f.provider, f.d)).ids();
}

async function apply(a: Action): Promise<void> {
  const vault = (t: 0 | 1) => (t === 0 ? f.c.senior : f.c.junior);
  const lenderOf = (t: 0 | 1) => (t === 0 ? f.lender2 : f.lender);
  switch (a.kind) {
    case "deposit":
      await tx(vault(a.tranche).connect(lenderOf(a.tranche)).deposit(f.usd(a.amount), lenderOf(a.tranche).address));
      return;
    case "withdraw": {
      const w = lenderOf(a.tranche);
      const max = await vault(a.tranche).maxRedeem(w.address);
      const shares = BigInt(Math.floor(Number(max) * a.fraction));
      if (shares > 0n) await tx(vault(a.tranche).connect(w).redeem(shares, w.address, w.address));
      return;
    }
    case "borrow": {
      const collection = f.d.collections[a.collection];
      const id = nextToken++;
      await tx(devCollectionAt(collection, f.borrower).mint(f.borrower.address, id));
      let [floor, , fresh] = (await (f.c.oracle as unknown as Contract).floorPrice(collection)) as [bigint, bigint, boolean];
      if (!fresh) {
        // a reporter re-pushes the last value (no deviation) so that borrowing is possible again
        await tx(f.c.oracle.connect(f.reporter).pushPrice(collection, floor));
        [floor, , fresh] = (await (f.c.oracle as unknown as Contract).floorPrice(collection)) as [bigint, bigint, boolean];
        if (!fresh) return;
      }
      const ltv = a.collection === 0 ? 5000n : 4000n;
      const principal = ((floor * ltv) / 10_000n) * BigInt(a.bps) / 10_000n;
      if (principal > 0n) await tx(f.c.pool.connect(f.borrower)[BORROW](collection, id, principal, BigInt(a.days) * 86_400n, MaxUint256, { multiplierBps: 0n, proof: [] }));
      return;
    }
    case "repay": {
      const ids = await activeLoans();
      if (ids.length === 0) return;
      const id = ids[a.pick % ids.length];
      if (a.full) {
        await tx(f.c.pool.connect(f.borrower).repay(id, MaxUint256));
      } else {
        const debt = await f.c.lens.debt(id);
        const [l] = await fetchLoans(f.provider, f.d, [id]);
        await tx(f.c.pool.connect(f.borrower).repay(id, debt - l.principal / 2n));
      }
      return;
    }
    case "request": {
      const w = lenderOf(a.tranche);
      const bal = await vault(a.tranche).balanceOf(w.address);
      const shares = BigInt(Math.floor(Number(bal) * a.fraction));
      if (shares > 0n) await tx(vault(a.tranche).connect(w).requestRedeem(shares, w.address, w.address));
      return;
    }
    case "process":
      await tx(vault(a.tranche).connect(f.keeper).processQueue(5n));
      return;
    case "price": {
      const collection = f.d.collections[a.collection];
      const info = await f.c.oracle.collectionInfo(collection);
      const price = (info.value * BigInt(10_000 + a.moveBps)) / 10_000n;
      if (price > 0n) await tx(f.c.oracle.connect(f.reporter).pushPrice(collection, price));
      return;
    }
    case "liquidate": {
      const ids = await activeLoans();
      for (let i = 0; i < ids.length; i++) {
        const id = ids[(a.pick + i) % ids.length];
        if (await f.c.liquidator.isLiquidatable(id)) {
          await tx(f.c.liquidator.connect(f.keeper).liquidate(id));
          // sometimes sell it at once, so settlements (losses and gains over book) happen too
          if (a.pick % 2 === 0) await tx(f.c.liquidator.connect(f.keeper).buy(id, MaxUint256));
          return;
        }
      }
      return;
    }
    case "warp":
      await f.warp(a.seconds);
  }
}

describe("entity math equals the contracts' views on randomized states", () => {
  it("pool: NAV, senior claim, tranche values, deposit values, cash limits, servable (and NAV growth over time)", async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(action, async (a) => {
        const before = await fetchPool(f.provider, f.d);
        await apply(a);
        const snap = await fetchPool(f.provider, f.d);
        const p = snap.pool;
        const blockTag = p.blockNumber;
        const pool = f.c.pool;
        const [nav, claim, sv, jv, sdv, jdv, avail, cash, principal, ms, mj, ws, wj, ss, sj, nextId] = await Promise.all([
          pool.nav({ blockTag }),
          pool.seniorClaim({ blockTag }),
          pool.trancheValue(0, { blockTag }),
          pool.trancheValue(1, { blockTag }),
          pool.trancheDepositValue(0, { blockTag }),
          pool.trancheDepositValue(1, { blockTag }),
          pool.availableCash({ blockTag }),
          pool.cash({ blockTag }),
          pool.totalPrincipal({ blockTag }),
          pool.maxDeposit(0, { blockTag }),
          pool.maxDeposit(1, { blockTag }),
          pool.maxWithdraw(0, { blockTag }),
          pool.maxWithdraw(1, { blockTag }),
          pool.servable(0, { blockTag }),
          pool.servable(1, { blockTag }),
          pool.nextLoanId({ blockTag }),
        ]);
        expect([p.navAt(), p.seniorClaimAt(), p.trancheValueAt(0), p.trancheValueAt(1)]).toEqual([nav, claim, sv, jv]);
        expect([p.trancheDepositValueAt(0), p.trancheDepositValueAt(1), p.availableCashAt(), p.cash, p.totalPrincipal]).toEqual([sdv, jdv, avail, cash, principal]);
        expect([p.maxDepositAt(0), p.maxDepositAt(1), p.maxWithdrawAt(0), p.maxWithdrawAt(1), p.servableAt(0), p.servableAt(1)]).toEqual([ms, mj, ws, wj, ss, sj]);
        // the raw-storage read of the loan id cursor (0.4, beside `impairedCount`) against the pool's view
        expect(p.nextLoanId).toBe(nextId);
        // Only time passed: the previous state predicts NAV and the claim now (the junior APY inputs: rateSum,
        // rateTimeSum, seniorRate are what the contract accrues with).
        if (a.kind === "warp") expect([before.pool.navAt(p.timestamp), before.pool.seniorClaimAt(p.timestamp)]).toEqual([nav, claim]);
        cases++;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(cases).toBe(RUNS);
  }, 600_000);

  it("tranches: share conversions, previews and ERC-4626 limits for random amounts", async () => {
    let cases = 0;
    const amount = fc.bigInt({ min: 0n, max: 10n ** 30n });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 * 86_400 }), fc.constantFrom(0 as const, 1 as const), amount, amount, async (dt, t, assets, shares) => {
        if (dt > 0) await f.warp(dt);
        const snap = await fetchPool(f.provider, f.d);
        const tr = snap.tranche(t);
        const v = t === Tranche.Senior ? f.c.senior : f.c.junior;
        const owner = t === Tranche.Senior ? f.lender2.address : f.lender.address;
        const blockTag = snap.pool.blockNumber;
        const [bal, cs, ca, pd, pm, pw, pr, md, mm, mw, mr, ta] = await Promise.all([
          v.balanceOf(owner, { blockTag }),
          v.convertToShares(assets, { blockTag }),
          v.convertToAssets(shares, { blockTag }),
          v.previewDeposit(assets, { blockTag }),
          v.previewMint(shares, { blockTag }),
          // The junior is an ERC-7540 vault: its exit previews revert (checked below), the senior's are mirrored.
          t === Tranche.Senior ? v.previewWithdraw(assets, { blockTag }) : v.previewWithdraw(assets, { blockTag }).then(() => -1n, (e: Error) => (/AsyncRedeemNoPreview/.test(e.message) ? 0n : -1n)),
          t === Tranche.Senior ? v.previewRedeem(shares, { blockTag }) : v.previewRedeem(shares, { blockTag }).then(() => -1n, (e: Error) => (/AsyncRedeemNoPreview/.test(e.message) ? 0n : -1n)),
          v.maxDeposit(owner, { blockTag }),
          v.maxMint(owner, { blockTag }),
          v.maxWithdraw(owner, { blockTag }),
          v.maxRedeem(owner, { blockTag }),
          v.totalAssets({ blockTag }),
        ]);
        expect([tr.totalAssetsAt(), tr.convertToShares(assets), tr.convertToAssets(shares)]).toEqual([ta, cs, ca]);
        if (t === Tranche.Senior) expect([tr.previewDeposit(assets), tr.previewMint(shares), tr.previewWithdraw(assets), tr.previewRedeem(shares)]).toEqual([pd, pm, pw, pr]);
        else expect([tr.previewDeposit(assets), tr.previewMint(shares), pw, pr]).toEqual([pd, pm, 0n, 0n]); // 0n: reverted AsyncRedeemNoPreview
        if (t === Tranche.Senior) expect([tr.maxDeposit(), tr.maxMint(), tr.maxWithdraw(bal), tr.maxRedeem(bal)]).toEqual([md, mm, mw, mr]);
        else {
          // ERC-7540: the junior's maxWithdraw/maxRedeem are the owner's claimable total (served requests), not an instant exit.
          const c = await f.c.junior.claimableRedeem(owner, { blockTag });
          expect([tr.maxDeposit(), tr.maxMint(), tr.maxWithdraw(bal), c.assets, c.shares]).toEqual([md, mm, 0n, mw, mr]);
        }
        expect(tr.sharePrice).toBe(await v.convertToAssets(10n ** BigInt(tr.shareDecimals), { blockTag }));
        cases++;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(cases).toBe(RUNS);
  }, 600_000);

  it("loans: debt, health and liquidatability at random times and prices", async () => {
    // a book of loans of both collections
    for (let i = 0; i < 6; i++) await apply({ kind: "borrow", collection: (i % 2) as 0 | 1, bps: 3000 + i * 1000, days: 10 + i * 5 });
    const book = await loadLoanBook(f.provider, f.d);
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 86_400 }), fc.integer({ min: -2500, max: 2500 }), fc.nat(), async (dt, moveBps, pick) => {
        await f.warp(dt);
        if (moveBps % 3 === 0) await apply({ kind: "price", collection: (pick % 2) as 0 | 1, moveBps });
        await book.sync(f.provider);
        const ids = book.ids();
        expect(ids.length).toBeGreaterThan(0);
        const id = ids[pick % ids.length];
        const head = await f.provider.getBlock("latest");
        const blockTag = head!.number;
        const t = BigInt(head!.timestamp);
        const [loan] = await fetchLoans(f.provider, f.d, [id], { blockTag });
        // the storage read path assembles exactly what the pool's loan(id) view returns
        expect(await fetchLoans(f.provider, f.d, ids, { blockTag, via: "storage" })).toEqual(await fetchLoans(f.provider, f.d, ids, { blockTag, via: "multicall" }));
        const [[floor, , fresh], debt, [health], liq] = await Promise.all([
          (f.c.oracle as unknown as Contract).floorPrice(loan.collection, { blockTag }) as Promise<[bigint, bigint, boolean]>,
          f.c.lens.debt(id, { blockTag }),
          f.c.liquidator.health(id, { blockTag }),
          f.c.liquidator.isLiquidatable(id, { blockTag }),
        ]);
        expect(loan.debtAt(t)).toBe(debt);
        expect(loan.health(floor, t)).toBe(health);
        expect(loan.isLiquidatable(t, floor, fresh)).toBe(liq);
        // the liquidation price is the boundary: healthy at it, unhealthy one unit below
        const lp = loan.liquidationPriceAt(t);
        expect(loan.health(lp, t)).toBeGreaterThanOrEqual(10n ** 18n);
        if (lp > 0n) expect(loan.health(lp - 1n, t)).toBeLessThan(10n ** 18n);
        cases++;
        // keep the book alive: replace loans that mature or are repaid
        if (ids.length < 4) await apply({ kind: "borrow", collection: (pick % 2) as 0 | 1, bps: 5000, days: 60 });
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(cases).toBe(RUNS);
  }, 600_000);

  it("auctions: the price at any time equals currentPrice", async () => {
    let id: bigint | null = null;
    await apply({ kind: "borrow", collection: 0, bps: 9000, days: 7 });
    for (const loanId of await activeLoans()) {
      await f.warp(90 * 86_400); // overdue past grace
      if (await f.c.liquidator.isLiquidatable(loanId)) {
        await mined(await f.c.liquidator.connect(f.keeper).liquidate(loanId));
        id = loanId;
        break;
      }
    }
    expect(id).not.toBeNull();
    const a = await fetchAuction(f.provider, f.d, id!);
    // an impaired loan read from storage equals the view too (impairedAt, book value as principal)
    expect(await fetchLoans(f.provider, f.d, [id!], { via: "storage" })).toEqual(await fetchLoans(f.provider, f.d, [id!], { via: "multicall" }));
    // 400 blocks spread over twice the auction's duration, mined in one call; each case reads one of them
    const first = (await f.provider.getBlock("latest"))!.number + 1;
    // an interval prime to the duration, so that the fall rarely divides exactly and its rounding is tested
    const interval = Math.ceil((Number(a.duration) * 2) / 400) + 1;
    await f.provider.send("anvil_mine", [`0x${(400).toString(16)}`, `0x${interval.toString(16)}`]);
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 399 }), async (k) => {
        const block = await f.provider.getBlock(first + k);
        const price = await f.c.liquidator.currentPrice(id!, { blockTag: first + k });
        expect(a.priceAt(BigInt(block!.timestamp))).toBe(price);
        const back = a.timeAtPrice(price);
        if (back !== null) expect(a.priceAt(back)).toBeLessThanOrEqual(price);
        cases++;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(cases).toBe(RUNS);
  }, 600_000);
});

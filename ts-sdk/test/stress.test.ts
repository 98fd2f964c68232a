// The stress view against the contracts' own accounting: a scenario predicted by `stress` from a snapshot of the live
// book is then played on anvil (the oracle pushed down to the stressed floors, every loan the prediction names
// liquidated in one block at the scenario's time, every auction bought once it has reached its end price) and the
// realised figures (which loans were liquidatable, each auction's owed and proceeds, each book value written off, NAV,
// both tranche values and share prices) equal the prediction to the unit. Random drops (fast-check) and fixed cases.
import fc from "fast-check";
import { type Contract, MaxUint256, ZeroHash } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devCollectionAt } from "../src/chain/contracts.ts";
import { send, mined } from "../src/chain/tx.ts";
import { BORROW, type StressResult, droppedFloor, fetchActiveLoans, fetchAuctionParams, fetchCollection, fetchPool, stress } from "../src/index.ts";
import { type Fixture, setupFixture } from "./fixture.ts";

const DAY = 86_400;
let f: Fixture;

beforeAll(async () => {
  f = await setupFixture();
  await f.mintAsset(f.lender, f.usd(10_000_000));
  await f.mintAsset(f.lender2, f.usd(10_000_000));
  await f.mintAsset(f.keeper, f.usd(10_000_000));
  await mined(await f.c.asset.connect(f.lender).approve(f.d.juniorVault, MaxUint256));
  await mined(await f.c.asset.connect(f.lender2).approve(f.d.seniorVault, MaxUint256));
  await mined(await f.c.asset.connect(f.keeper).approve(f.d.liquidator, MaxUint256));
  await send(f.c.junior.connect(f.lender), "deposit", [f.usd(120_000), f.lender.address]);
  await send(f.c.senior.connect(f.lender2), "deposit", [f.usd(450_000), f.lender2.address]);
  for (const c of f.d.collections) await mined(await devCollectionAt(c, f.borrower).setApprovalForAll(f.d.pool, true));
  // Collection 1 (floor 100,000, LTV 50 %): eight loans from 25 % to 50 % of the floor; collection 2 (40,000, LTV 40 %): five.
  const plans = [
    ...[50, 48, 45, 42, 38, 34, 30, 25].map((pct, i) => ({ c: 0, pct, days: 30 + i * 5 })),
    ...[40, 37, 32, 26, 20].map((pct, i) => ({ c: 1, pct, days: 20 + i * 7 })),
  ];
  let token = 1n;
  for (const p of plans) {
    const collection = f.d.collections[p.c];
    await f.mintNft(collection, f.borrower, token);
    const floor = p.c === 0 ? 100_000 : 40_000;
    const principal = f.usd((floor * p.pct) / 100);
    await mined(await (f.c.pool.connect(f.borrower) as unknown as Contract)[BORROW](collection, token, principal, BigInt(p.days * DAY), MaxUint256, { multiplierBps: 0n, proof: [] }, { gasLimit: 2_000_000n }));
    token++;
  }
  // Ten days of interest and senior claim; then the reporter pushes both floors again (fresh prices), at odd values so
  // that every rounding (stressed floor, appraisal, auction prices) is exercised.
  await f.warp(10 * DAY);
  await mined(await f.c.oracle.connect(f.reporter).pushPrice(f.d.collections[0], f.usd("99999.999973")));
  await mined(await f.c.oracle.connect(f.reporter).pushPrice(f.d.collections[1], f.usd("40000.000011")));
}, 180_000);
afterAll(async () => f?.stop());

/** Walks the oracle's value to `target` in pushes within its 50 % deviation bound (window 0: a push sets the value). */
async function pushTo(collection: string, target: bigint): Promise<void> {
  for (;;) {
    const value = (await f.c.oracle.collectionInfo(collection)).value as bigint;
    if (value === target) return;
    const step = target >= value - value / 2n ? target : value - value / 2n;
    await mined(await f.c.oracle.connect(f.reporter).pushPrice(collection, step));
  }
}

/**
 * Plays `drops` (bps per collection index) on the chain and checks every figure against the prediction. Without
 * `recoveryBps` every auction is bought at its end price; with it (below the end price), the auctions go unsold, and
 * after the recovery timeout governance recovers each NFT (`recoverUnsold`, through the timelock) and books its sale at
 * `recoveryBps` of the stressed appraisal (`pool.settleRecovery`, SPEC §7.5).
 */
async function playAndCompare(drops: [bigint, bigint], setup?: () => Promise<void>, recoveryBps?: bigint): Promise<StressResult> {
  const id = await f.snapshot();
  try {
    await setup?.();
    const p = f.provider;
    const snap = await fetchPool(p, f.d);
    const pinned = { blockNumber: snap.pool.blockNumber, timestamp: snap.pool.timestamp };
    const [loans, params, ...collections] = await Promise.all([
      fetchActiveLoans(p, f.d, { pinned }),
      fetchAuctionParams(p, f.d, { pinned }),
      ...f.d.collections.map((c) => fetchCollection(p, f.d, c, { pinned })),
    ]);
    // The oracle pushes take a few blocks; the liquidations then happen together, in one block at `at`.
    for (const [i, c] of collections.entries()) await pushTo(c.address, droppedFloor(c.floorPrice, drops[i]));
    const at = BigInt((await p.getBlock("latest"))!.timestamp) + 60n;
    const scenario = { drops: { [collections[0].address]: drops[0], [collections[1].address]: drops[1] }, recoveryBps, auction: params };
    const predicted = stress(snap, loans, collections, { ...scenario, at });

    await p.send("evm_setAutomine", [false]);
    let nonce = await p.getTransactionCount(f.keeper.address, "pending");
    const sent = [];
    for (const s of predicted.liquidated) sent.push(await f.c.liquidator.connect(f.keeper).liquidate(s.loan.id, { nonce: nonce++, gasLimit: 1_500_000n }));
    await p.send("evm_setNextBlockTimestamp", [Number(at)]);
    await p.send("evm_mine", []);
    await p.send("evm_setAutomine", [true]);
    const liqBlock = await p.getBlock("latest");
    expect(BigInt(liqBlock!.timestamp)).toBe(at);
    for (const tx of sent) expect((await mined(tx)).status).toBe(1);
    // The prediction named exactly the liquidatable loans: every other active loan is healthy on chain at `at`.
    const liquidatedIds = new Set(predicted.liquidated.map((s) => s.loan.id));
    for (const l of loans) {
      if (!liquidatedIds.has(l.id)) expect(await f.c.liquidator.isLiquidatable(l.id, { blockTag: liqBlock!.number })).toBe(false);
    }
    // Each auction as predicted (owed, reference at the stressed appraisal), each book value written off as predicted.
    for (const s of predicted.liquidated) {
      const a = await f.c.liquidator.auction(s.loan.id);
      expect(a.owed).toBe(s.owed);
      if (recoveryBps === undefined) expect(a.endPrice).toBe(s.salePrice);
      else expect(s.salePrice).toBeLessThan(a.endPrice); // the scenario's sale happens after the auction, unsold
      expect((await f.c.pool.loan(s.loan.id)).principal).toBe(s.bookValue);
    }

    const proceeds = new Map<bigint, bigint>();
    if (recoveryBps === undefined) {
      // The auctions end at their end price; a buyer takes each one there, all in one block (the scenario's
      // settlement: the senior claim is checkpointed once there, SPEC §5.1).
      await p.send("evm_setAutomine", [false]);
      let bn = await p.getTransactionCount(f.keeper.address, "pending");
      const buys = [];
      for (const s of predicted.liquidated) buys.push(await f.c.liquidator.connect(f.keeper).buy(s.loan.id, s.salePrice, { nonce: bn++, gasLimit: 1_500_000n }));
      await p.send("evm_setNextBlockTimestamp", [Number(at + params.auctionDuration)]);
      await p.send("evm_mine", []);
      await p.send("evm_setAutomine", [true]);
      for (const [i, s] of predicted.liquidated.entries()) {
        const r = await mined(buys[i]);
        expect(r!.status).toBe(1);
        const ev = r!.logs.map((l) => f.c.liquidator.interface.parseLog(l)).find((e) => e?.name === "AuctionSold");
        proceeds.set(s.loan.id, ev!.args.toPool as bigint);
      }
    } else if (predicted.liquidated.length > 0) {
      // Nobody buys; after the recovery timeout governance takes the NFTs back (the timelock, one batch, each pending
      // at a zero estimate), and books each sale at the assumed price (SPEC §7.5: `settleRecovery`, governance's).
      await p.send("evm_setNextBlockTimestamp", [Number(at + params.recoveryTimeout)]);
      await p.send("evm_mine", []);
      const liq = f.c.liquidator.interface;
      await f.govern(predicted.liquidated.map((s) => ({ target: f.d.liquidator, data: liq.encodeFunctionData("recoverUnsold", [s.loan.id, f.keeper.address, 0n]) })));
      // Each NFT sells for `recoveryBps` of the appraisal the registry gives at the (stressed) oracle floor.
      let sold = 0n;
      for (const s of predicted.liquidated) {
        const [appraisal] = await f.c.registry.appraisal(s.loan.collection, s.loan.rarityBps);
        const price = (appraisal * recoveryBps) / 10_000n;
        proceeds.set(s.loan.id, price);
        sold += price;
      }
      // The recovery address hands the proceeds to the timelock, which approves and books them.
      if (sold > 0n) await mined(await f.c.asset.connect(f.keeper).transfer(f.d.timelock, sold));
      await f.govern([
        { target: f.d.asset, data: f.c.asset.interface.encodeFunctionData("approve", [f.d.pool, sold]) },
        ...predicted.liquidated.map((s) => ({ target: f.d.pool, data: f.c.pool.interface.encodeFunctionData("settleRecovery", [s.loan.id, proceeds.get(s.loan.id)!]) })),
      ]);
    }
    const end = (await p.getBlock("latest"))!;
    const settledAt = BigInt(end.timestamp);
    const blockTag = end.number;
    const result = stress(snap, loans, collections, { ...scenario, at, settledAt });
    for (const s of result.liquidated) expect(proceeds.get(s.loan.id)).toBe(s.proceeds);

    const [nav, claim, sv, jv, sp, jp] = await Promise.all([
      f.c.pool.nav({ blockTag }),
      f.c.pool.seniorClaim({ blockTag }),
      f.c.pool.trancheValue(0, { blockTag }),
      f.c.pool.trancheValue(1, { blockTag }),
      f.c.senior.convertToAssets(10n ** BigInt(snap.senior.shareDecimals), { blockTag }),
      f.c.junior.convertToAssets(10n ** BigInt(snap.junior.shareDecimals), { blockTag }),
    ]);
    expect({ nav, claim, senior: sv, junior: jv, seniorPrice: sp, juniorPrice: jp }).toEqual({
      nav: result.after.nav,
      claim: result.after.claim,
      senior: result.after.senior.value,
      junior: result.after.junior.value,
      seniorPrice: result.after.senior.sharePrice,
      juniorPrice: result.after.junior.sharePrice,
    });
    return result;
  } finally {
    await f.provider.send("evm_setAutomine", [true]);
    await f.revert(id);
  }
}

describe("stress view equals the contracts' accounting when the scenario is played on anvil", () => {
  it("no drop: nothing liquidated, the values only accrue", async () => {
    const r = await playAndCompare([0n, 0n]);
    expect(r.liquidated).toEqual([]);
  });

  it("a 45 % drop of collection 1 only: the junior absorbs the loss, the senior loses nothing", async () => {
    const r = await playAndCompare([4_500n, 0n]);
    expect(r.liquidated.length).toBeGreaterThan(0);
    expect(r.liquidated.every((s) => s.loan.collection === f.d.collections[0])).toBe(true);
    expect(r.after.junior.value).toBeGreaterThan(0n);
    expect(r.after.junior.value).toBeLessThan(r.before.junior.value);
  });

  it("an 85 % drop of both: the junior is wiped out and the senior loses", async () => {
    const r = await playAndCompare([8_500n, 8_500n]);
    expect(r.after.junior.value).toBe(0n);
    expect(r.after.senior.value).toBeLessThan(r.before.senior.value);
  });

  it("an overdue loan is liquidated whatever the drop (collection 2's 20-day loan past maturity + grace)", async () => {
    const r = await playAndCompare([1_000n, 0n], async () => {
      // 14 more days (24 in all): the 20-day loan of collection 2 is past its maturity and 3-day grace period.
      await f.warp(14 * DAY);
      await mined(await f.c.oracle.connect(f.reporter).pushPrice(f.d.collections[0], f.usd("99999.999973")));
      await mined(await f.c.oracle.connect(f.reporter).pushPrice(f.d.collections[1], f.usd("40000.000011")));
    });
    expect(r.liquidated.filter((s) => s.reason === "overdue").length).toBe(1);
    expect(r.liquidated.every((s) => s.reason === "overdue")).toBe(true);
  });

  it("a recovery rate below the end price: unsold auctions, NFTs recovered by governance and sold at 20 % of the stressed appraisal", async () => {
    const r = await playAndCompare([6_000n, 5_000n], undefined, 2_000n);
    expect(r.liquidated.length).toBeGreaterThan(1);
    expect(r.after.junior.value).toBe(0n);
    expect(r.loss.senior).toBeGreaterThan(0n);
  });

  it("random drops of each collection (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: 9_000n }), fc.bigInt({ min: 0n, max: 9_000n }), async (d0, d1) => {
        await playAndCompare([d0, d1]);
      }),
      { numRuns: 8 },
    );
  }, 300_000);
});

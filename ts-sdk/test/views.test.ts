// The read models the web app uses (views.ts), and Keeper.buy as the app calls it, against a real anvil + forge
// deployment, each figure checked against the contracts' own views.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Borrower, HAS_NOTICE_PERIOD, Keeper, Lender, Reporter, Tranche, WAD, erc721At, fetchAuction, fetchPool, vaultAt } from "../src/index.ts";
import { deploymentFeatures, fetchLoanViews, fetchOwnedTokens, fetchRunningAuctions, fetchSharePriceHistory, queueView, subordination } from "../src/fetch/views.ts";
import { type Fixture, setupFixture } from "./fixture.ts";
import { mined } from "../src/chain/tx.ts";

const DAY = 86_400n;
let f: Fixture;
let snap: string;

beforeAll(async () => {
  f = await setupFixture();
}, 120_000);
afterAll(async () => f?.stop());
beforeEach(async () => {
  snap = await f.snapshot();
});
afterEach(async () => {
  await f.revert(snap);
});

async function funded(): Promise<Lender> {
  await f.mintAsset(f.lender2, f.usd(1_000_000));
  const l = await Lender.connect(f.lender2, f.d);
  await l.deposit("junior", f.usd(200_000));
  await l.deposit("senior", f.usd(400_000));
  return l;
}

/** A loan of `principal` on collection #1 (floor 40,000), then its floor pushed to `floor`. */
async function loanThenFloor(principal: number, floor: number): Promise<bigint> {
  await f.mintNft(f.d.collections[1], f.borrower, 3n);
  const b = await Borrower.connect(f.borrower, f.d);
  const { loanId } = await b.borrow({ collection: f.d.collections[1], tokenId: 3n, principal: f.usd(principal), duration: 30n * DAY });
  await (await Reporter.connect(f.reporter, f.d)).pushPrice(f.d.collections[1], f.usd(floor));
  return loanId;
}

describe("views", () => {
  it("deploymentFeatures: delegation (the borrow overload with a delegate); the junior notice as the fetchers detect it", () => {
    expect(deploymentFeatures()).toEqual({ delegation: true, juniorNotice: HAS_NOTICE_PERIOD });
  });

  it("fetchSharePriceHistory: nothing before a deposit, then the vaults' own convertToAssets at every block it samples", async () => {
    expect(await fetchSharePriceHistory(f.provider, f.d)).toEqual([]);
    await funded();
    await f.mintNft(f.d.collections[0], f.borrower, 1n);
    const b = await Borrower.connect(f.borrower, f.d);
    const { loanId } = await b.borrow({ collection: f.d.collections[0], tokenId: 1n, principal: f.usd(40_000), duration: 30n * DAY });
    await f.warp(20 * 86_400);
    await f.mintAsset(f.borrower, f.usd(10_000));
    await b.repay(loanId, "full");
    const points = await fetchSharePriceHistory(f.provider, f.d);
    expect(points.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < points.length; i++) expect(points[i].blockNumber).toBeGreaterThan(points[i - 1].blockNumber);
    const senior = vaultAt(f.d.seniorVault, f.provider);
    const junior = vaultAt(f.d.juniorVault, f.provider);
    const one = 10n ** (await senior.decimals());
    for (const p of points) {
      expect(p.senior).toBe(await senior.convertToAssets(one, { blockTag: p.blockNumber }));
      expect(p.junior).toBe(await junior.convertToAssets(one, { blockTag: p.blockNumber }));
    }
    // The repayment's interest raised both prices.
    expect(points.at(-1)!.senior).toBeGreaterThan(points[0].senior);
    expect(points.at(-1)!.blockNumber).toBe(await f.provider.getBlockNumber());
    // Thinned to maxPoints, keeping the first and the latest block.
    const two = await fetchSharePriceHistory(f.provider, f.d, { maxPoints: 2 });
    expect(two.map((p) => p.blockNumber)).toEqual([points[0].blockNumber, points.at(-1)!.blockNumber]);
  });

  it("queueView and subordination", async () => {
    const l = await funded();
    const s0 = await fetchPool(f.provider, f.d);
    const sub = subordination(s0);
    expect(sub.ratio).toBe((s0.pool.trancheValueAt(Tranche.Junior) * WAD) / s0.pool.navAt());
    expect(sub.minimum).toBe((s0.pool.minJuniorRatioBps * WAD) / 10_000n);
    expect(queueView(s0, s0.senior).requestsInLine).toBe(0n);
    // Lend out all the cash (12 x 50,000) so a senior request waits in line.
    const b = await Borrower.connect(f.borrower, f.d);
    for (let id = 1n; id <= 12n; id++) {
      await f.mintNft(f.d.collections[0], f.borrower, id);
      await b.borrow({ collection: f.d.collections[0], tokenId: id, principal: f.usd(50_000), duration: 30n * DAY });
    }
    const shares = await vaultAt(f.d.seniorVault, f.provider).balanceOf(f.lender2.address);
    await l.requestRedeem("senior", shares);
    const s1 = await fetchPool(f.provider, f.d);
    const q = queueView(s1, s1.senior);
    const [head, count, pending] = await vaultAt(f.d.seniorVault, f.provider).queue();
    expect(q.requestsInLine).toBe(count - head);
    expect(q.requestsInLine).toBe(1n);
    expect(q.pendingShares).toBe(pending);
    expect(q.pendingShares).toBe(shares);
    expect(q.pendingValue).toBe(await vaultAt(f.d.seniorVault, f.provider).convertToAssets(pending));
    expect(q.servableNow).toBe(await f.c.pool.servable(Tranche.Senior));
  });

  it("fetchOwnedTokens: from Transfer events, checked with ownerOf", async () => {
    const c = f.d.collections[0];
    for (const id of [5n, 6n, 7n]) await f.mintNft(c, f.borrower, id);
    await erc721At(c, f.borrower).transferFrom(f.borrower.address, f.keeper.address, 6n).then(mined);
    expect(await fetchOwnedTokens(f.provider, c, f.borrower.address)).toEqual([5n, 7n]);
    expect(await fetchOwnedTokens(f.provider, c, f.keeper.address)).toEqual([6n]);
  });

  it("fetchLoanViews: health equal to the liquidator's, least healthy first, liquidatable flagged, per borrower", async () => {
    await funded();
    await f.mintNft(f.d.collections[0], f.lender2, 1n);
    const healthy = await (await Borrower.connect(f.lender2, f.d)).borrow({ collection: f.d.collections[0], tokenId: 1n, principal: f.usd(10_000), duration: 30n * DAY });
    const risky = await loanThenFloor(15_000, 22_000);
    const views = await fetchLoanViews(f.provider, f.d);
    expect(views.map((v) => v.loan.id)).toEqual([risky, healthy.loanId]);
    const liq = f.c.liquidator;
    for (const v of views) expect(v.health).toBe((await liq.health(v.loan.id))[0]);
    expect(views[0].liquidatable).toBe("unhealthy");
    expect(await liq.isLiquidatable(risky)).toBe(true);
    expect(views[1].liquidatable).toBeNull();
    expect(views[0].debt).toBe(await f.c.lens.debt(risky));
    const mine = await fetchLoanViews(f.provider, f.d, { borrower: f.borrower.address });
    expect(mine.map((v) => v.loan.id)).toEqual([risky]);
  });

  it("fetchRunningAuctions and Keeper.buy: a started auction is listed, bought for at most maxPrice (allowance maxPrice), then gone", async () => {
    await funded();
    const risky = await loanThenFloor(15_000, 22_000);
    const keeper = await Keeper.connect(f.keeper, f.d);
    await keeper.liquidate(risky);
    const running = await fetchRunningAuctions(f.provider, f.d);
    expect(running.map((a) => a.id)).toEqual([risky]);
    await f.mintAsset(f.keeper, f.usd(100_000));
    const head = BigInt((await f.provider.getBlock("latest"))!.timestamp);
    const maxPrice = running[0].priceAt(head);
    const r = await keeper.buy(risky, maxPrice);
    expect(r.price).toBeLessThanOrEqual(maxPrice);
    expect(await f.c.asset.allowance(f.keeper.address, f.d.liquidator)).toBe(maxPrice - r.price);
    expect((await fetchAuction(f.provider, f.d, risky)).statusName).toBe("Sold");
    expect(await fetchRunningAuctions(f.provider, f.d)).toEqual([]);
  });

  it("Keeper.buy approves nothing it cannot pay: a short balance is its typed error", async () => {
    await funded();
    const risky = await loanThenFloor(15_000, 22_000);
    const keeper = await Keeper.connect(f.keeper, f.d);
    await keeper.liquidate(risky);
    const a = (await fetchRunningAuctions(f.provider, f.d))[0];
    const maxPrice = a.priceAt(BigInt((await f.provider.getBlock("latest"))!.timestamp));
    await expect(keeper.buy(risky, maxPrice)).rejects.toThrow(/InsufficientBalance: need [\d,.]+ dUSD, have 0 dUSD: buying auction \d+/);
    expect(await f.c.asset.allowance(f.keeper.address, f.d.liquidator)).toBe(0n);
  });
});

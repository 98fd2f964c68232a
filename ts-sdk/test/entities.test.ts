// Entity behaviour that needs no chain: the junior notice period (coming with the lender-protection change) turns
// instant junior exits off with a readable reason; queue stages; auction inverse price; formatting.
import { describe, expect, it } from "vitest";
import { AuctionEntity, JuniorNoticeRequiredError, Pool, QueueRequest, TrancheEntity, formatAmount, formatWadPct, parseAmount } from "../src/index.ts";

const pool = new Pool({
  blockNumber: 1,
  timestamp: 1_000_000n,
  asset: "0x0000000000000000000000000000000000000001",
  assetDecimals: 6,
  assetSymbol: "USDC",
  cash: 500_000_000_000n,
  totalPrincipal: 0n,
  rateSum: 0n,
  rateTimeSum: 0n,
  seniorClaimStored: 300_000_000_000n,
  seniorLastUpdate: 1_000_000n,
  seniorRate: 5n * 10n ** 16n,
  protocolFees: 0n,
  minJuniorRatioBps: 2000n,
  originationFeeBps: 0n,
  protocolFeeBps: 0n,
  gracePeriod: 3600n,
  borrowsPaused: false,
  depositsPaused: false,
  impairedBook: 0n,
  impairedCount: 0n,
  nextLoanId: 1n,
  supply: [300_000_000_000n * 10n ** 6n, 200_000_000_000n * 10n ** 6n],
  pendingShares: [0n, 0n],
  holdThresholdBps: 100n,
  queueCooldown: 86_400n,
  servableAfter: [0n, 0n],
});
const tranche = (t: 0 | 1, noticePeriod: bigint | null) =>
  new TrancheEntity({ tranche: t, vault: "0x0000000000000000000000000000000000000002", totalSupply: pool.supply[t], shareDecimals: 12, noticePeriod, queueHead: 0n, requestCount: 0n }, pool);

describe("queue holds (SPEC §5.7, QueueHold.sol)", () => {
  // 500k cash, claim 300k: junior realised 200k. A loan in liquidation adds its book to the junior at book.
  const withBook = (impairedBook: bigint, servableAfter: readonly [bigint, bigint] = [0n, 0n]) =>
    new Pool({ ...pool, impairedBook, impairedCount: 1n, servableAfter });

  it("an immaterial loan in liquidation holds nothing: the line is served (A-1)", () => {
    const p = withBook(2_000_000_000n); // 2k against 202k at book: under 1 %
    expect(p.queueHoldAt(1)).toEqual({ reason: null, pendingRecovery: 2_000_000_000n, servableAfter: 0n });
    expect(p.servableAt(1)).toBeGreaterThan(0n);
  });

  it("a material one holds the junior line, never the whole senior (senior whole at its realised value)", () => {
    const p = withBook(2_100_000_000n); // 2.1k against 202.1k: over 1 %
    expect(p.queueHoldAt(1).reason).toBe("liquidations");
    expect(p.servableAt(1)).toBe(0n);
    expect(p.queueHoldAt(0).reason).toBe(null);
  });

  it("after a hold the line cools down until `servableAfter`, then opens", () => {
    const p = withBook(0n, [0n, pool.timestamp + 10n]);
    expect(p.queueHoldAt(1)).toEqual({ reason: "cooldown", pendingRecovery: 0n, servableAfter: pool.timestamp + 10n });
    expect(p.servableAt(1)).toBe(0n);
    expect(p.queueHoldAt(1, pool.timestamp + 10n).reason).toBe(null);
    expect(p.servableAt(1, pool.timestamp + 10n)).toBeGreaterThan(0n);
  });
});

describe("junior notice period", () => {
  it("the junior has no instant exit (StrataPool `_maxWithdrawAt`), the senior exits within cash", () => {
    const j = tranche(1, null);
    expect(pool.maxWithdrawAt(1)).toBe(0n);
    expect([j.maxWithdraw(j.totalSupply), j.maxRedeem(j.totalSupply)]).toEqual([0n, 0n]);
    expect(pool.maxWithdrawAt(0)).toBeGreaterThan(0n);
  });

  it("with a notice period junior maxWithdraw/maxRedeem are 0 and the reason reads as the protocol states it", () => {
    const j = tranche(1, 86_400n);
    expect(j.asyncExitsOnly).toBe(true);
    expect([j.maxWithdraw(j.totalSupply), j.maxRedeem(j.totalSupply)]).toEqual([0n, 0n]);
    expect(new JuniorNoticeRequiredError(86_400n).message).toMatch(/^junior exits go through the queue with a 24 h notice period/);
    const s = tranche(0, null);
    expect(s.maxWithdraw(s.totalSupply)).toBeGreaterThan(0n);
  });

  it("a request moves notice -> queued -> claimable", () => {
    const r = (pending: bigint, claimable: bigint) =>
      new QueueRequest({ id: 1n, tranche: 1, controller: "0x0000000000000000000000000000000000000003", pendingShares: pending, claimableShares: claimable, claimableAssets: claimable, requestedAt: 0n, serviceableAt: 86_400n, passedHead: false });
    expect(r(10n, 0n).stageAt(100n)).toBe("notice");
    expect(r(10n, 0n).stageAt(86_400n)).toBe("queued");
    expect(r(0n, 5n).stageAt(86_400n)).toBe("claimable");
    expect(r(0n, 0n).stageAt(86_400n)).toBe("done");
  });
});

describe("origination fee", () => {
  it("rounds up like LoanLogic `borrow` (SPEC §2): a principal the fee does not divide pays one more unit", () => {
    const p = new Pool({ ...pool, originationFeeBps: 37n });
    // 40_000_000_001 * 37 / 10_000 = 148_000_000.0037
    expect(p.originationFee(40_000_000_001n)).toBe(148_000_001n);
    expect(p.originationFee(40_000_000_000n)).toBe(148_000_000n);
    expect(pool.originationFee(40_000_000_001n)).toBe(0n);
  });
});

describe("yields and formatting", () => {
  it("labels senior and junior yields; the junior residual is negative with nothing lent", () => {
    const s = tranche(0, null).yield;
    expect(s.apr).toBe(5n * 10n ** 16n);
    expect(s.apy).toBeGreaterThan(s.apr);
    const j = tranche(1, null).yield;
    expect(j.apr).toBeLessThan(0n);
    expect(j.basis).toMatch(/junior residual/);
  });

  it("formats amounts without floating point", () => {
    expect(formatAmount(1_234_567_890_123n, 6)).toBe("1,234,567.890123");
    expect(formatAmount(-5n, 6, { symbol: "USDC" })).toBe("-0.000005 USDC");
    expect(parseAmount("1,234.5", 6)).toBe(1_234_500_000n);
    expect(() => parseAmount("1.1234567", 6)).toThrow(/more than 6 decimals/);
    expect(formatWadPct(5n * 10n ** 16n)).toBe("5.00 %");
    expect(formatWadPct(-123n * 10n ** 14n)).toBe("-1.23 %");
  });

  it("inverts the auction price: the first second at or below a price", () => {
    const a = new AuctionEntity({ id: 1n, startPrice: 150n, endPrice: 50n, owed: 90n, startTime: 1000n, duration: 7n, status: 1 });
    for (const p of [149n, 120n, 77n, 51n, 50n]) {
      const t = a.timeAtPrice(p)!;
      expect(a.priceAt(t)).toBeLessThanOrEqual(p);
      if (t > a.startTime) expect(a.priceAt(t - 1n)).toBeGreaterThan(p);
    }
    expect(a.timeAtPrice(49n)).toBeNull();
    expect(a.proceedsAt(2000n)).toEqual({ price: 50n, toPool: 50n, surplus: 0n });
  });
});

// The risk-premium tie (SPEC §8.2, §9.8) the governance tooling checks before scheduling: pure arithmetic.
import { describe, expect, it } from "vitest";
import { PREMIUM_MARGIN_BPS, maxSeniorRateFor, riskPremiumViolations } from "../src/index.ts";

const pct = (x: number) => BigInt(Math.round(x * 1e4)) * 10n ** 12n; // percent -> WAD

describe("risk-premium tie", () => {
  it("caps the senior rate at base x (1 - protocol fee) x (1 - 10 % margin), rounded down", () => {
    expect(PREMIUM_MARGIN_BPS).toBe(1_000n);
    expect(maxSeniorRateFor(pct(8), 1_000n)).toBe(pct(6.48));
    expect(maxSeniorRateFor(pct(5), 0n)).toBe(pct(4.5));
    expect(maxSeniorRateFor(3n, 0n)).toBe(2n); // 2.7 -> 2
  });

  it("names every curve a senior rate breaks, and none at the bound", () => {
    const curves = [
      { collection: "collections[0]", baseRate: pct(5) },
      { collection: "collections[1]", baseRate: pct(8) },
    ];
    expect(riskPremiumViolations(pct(4.05), 1_000n, curves)).toEqual([]);
    const bad = riskPremiumViolations(pct(6), 1_000n, curves);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/senior rate 6\.00 % > 4\.05 % = the base rate 5\.00 % of collections\[0\]/);
    expect(riskPremiumViolations(pct(7), 1_000n, curves)).toHaveLength(2);
  });
});

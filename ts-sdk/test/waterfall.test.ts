// The SDK's waterfall equals src/libraries/Waterfall.sol to the wei, proved against WaterfallHarness on anvil.
import { ContractFactory, JsonRpcProvider, Wallet, type Contract } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadArtifact } from "../src/dev/artifacts.ts";
import { WAD, YEAR } from "../src/math/fixed-point.ts";
import * as w from "../src/math/waterfall.ts";
import { type Anvil, startAnvil } from "./anvil.ts";

const ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
let anvil: Anvil;
let h: Contract;

beforeAll(async () => {
  anvil = await startAnvil();
  const wallet = new Wallet(ANVIL_KEY_0, new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true }));
  const art = loadArtifact("WaterfallHarness");
  h = (await (await new ContractFactory(art.abi as never, art.bytecode, wallet).deploy()).waitForDeployment()) as Contract;
});
afterAll(async () => anvil?.stop());

// Deterministic inputs: edge values and a xorshift sequence scaled to realistic pool sizes (6 and 18 decimals).
function* amounts(seed: bigint, n: number): Generator<bigint> {
  for (const e of [0n, 1n, 999_999n, 10n ** 12n, 10n ** 24n + 7n]) yield e;
  let s = seed;
  for (let i = 0; i < n; i++) {
    s ^= (s << 13n) & ((1n << 64n) - 1n);
    s ^= s >> 7n;
    s ^= (s << 17n) & ((1n << 64n) - 1n);
    yield (s % 10n ** 15n) * (i % 2 === 0 ? 1n : 10n ** 12n);
  }
}

describe("Waterfall port", () => {
  it("compounds the senior claim exactly (Taylor, rounded down)", async () => {
    let compared = 0;
    for (const claim of amounts(0x51n, 6)) {
      for (const rate of [0n, 5n * 10n ** 16n, 3n * 10n ** 17n]) {
        for (const dt of [0n, 1n, 86_400n, YEAR, 3n * YEAR]) {
          expect(await h.compoundClaimDown(claim, rate, dt)).toBe(w.compoundClaimDown(claim, rate, dt));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    // The worked example of the docs: 800k at 5 % for a year.
    expect(w.compoundClaimDown(800_000n * 10n ** 6n, 5n * 10n ** 16n, YEAR)).toBe(841_016_666_666n);
  });

  it("accrues the senior at its rate on lent capital: seniorRate × P / (P + cash), rounded down (SPEC §5.1)", async () => {
    for (const p of amounts(0x91n, 6)) {
      for (const c of [0n, 1n, 10n ** 12n, 7n * 10n ** 18n + 3n]) {
        for (const rate of [0n, 5n * 10n ** 16n, 3n * 10n ** 17n]) {
          expect(await h.accrualRateDown(rate, p, c)).toBe(w.accrualRateDown(rate, p, c));
        }
      }
    }
    expect(w.accrualRateDown(6n * 10n ** 16n, 0n, 10n ** 12n)).toBe(0n); // idle: nothing
    expect(w.accrualRateDown(6n * 10n ** 16n, 10n ** 12n, 0n)).toBe(6n * 10n ** 16n); // fully lent: the rate
    expect(w.accrualRateDown(6n * 10n ** 16n, 52n, 48n)).toBe(312n * 10n ** 14n); // 6 % × 52 %
  });

  it("splits NAV and computes the subordination limits exactly", async () => {
    const xs = [...amounts(0x77n, 10)];
    for (let i = 0; i < xs.length; i++) {
      const nav = xs[i];
      const claim = xs[(i * 3 + 1) % xs.length];
      const [s, j] = await h.split(nav, claim);
      const sdk = w.split(nav, claim);
      expect([s, j]).toEqual([sdk.seniorValue, sdk.juniorValue]);
      for (const r of [0n, 1n, 2000n, 5000n, 9000n]) {
        expect(await h.maxSeniorDeposit(sdk.juniorValue, nav, r)).toBe(w.maxSeniorDeposit(sdk.juniorValue, nav, r));
        expect(await h.maxJuniorWithdraw(sdk.juniorValue, nav, r)).toBe(w.maxJuniorWithdraw(sdk.juniorValue, nav, r));
      }
    }
  });

  it("reduces the senior claim by the assets paid, whole or impaired, and by all of it on the last exit", async () => {
    for (const claim of [0n, 1n, 841_016_666_666n, WAD * 7n]) {
      for (const [shares, supply] of [[0n, 0n], [1n, 3n], [10n ** 15n, 8n * 10n ** 17n], [5n, 5n], [9n, 5n]] as const) {
        const assets = supply === 0n ? 0n : (claim * shares) / supply / 2n;
        expect(await h.claimReduction(claim, assets, shares, supply)).toBe(w.claimReduction(claim, assets, shares, supply));
      }
    }
    expect(w.claimReduction(600n, 100n, 1n, 3n)).toBe(100n); // impaired: the assets paid, not pro rata (200)
    expect(w.claimReduction(500n, 499n, 3n, 3n)).toBe(500n); // the last exit takes it all
  });
});

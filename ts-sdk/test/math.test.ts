// The SDK's fixed-point math equals the contract library's to the wei, proved against a real anvil node.
import { ContractFactory, JsonRpcProvider, Wallet, type Contract } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadArtifact } from "../src/dev/artifacts.ts";
import { StrataMathError } from "../src/errors.ts";
import * as m from "../src/math/fixed-point.ts";
import { type Anvil, startAnvil } from "./anvil.ts";

const ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

let anvil: Anvil;
let harness: Contract;

beforeAll(async () => {
  anvil = await startAnvil();
  const wallet = new Wallet(ANVIL_KEY_0, new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true }));
  const art = loadArtifact("MathHarness");
  harness = (await (await new ContractFactory(art.abi as never, art.bytecode, wallet).deploy()).waitForDeployment()) as Contract;
});
afterAll(async () => anvil?.stop());

// Deterministic pseudo-random uint256 values (xorshift), mixed with edge cases.
function* values(seed: bigint, n: number): Generator<bigint> {
  let s = seed;
  const edges = [0n, 1n, 2n, 3n, 10n ** 6n, 10n ** 18n, (1n << 128n) - 1n, (1n << 256n) - 1n];
  for (const e of edges) yield e;
  for (let i = 0; i < n; i++) {
    s ^= (s << 13n) & ((1n << 256n) - 1n);
    s ^= s >> 7n;
    s ^= (s << 17n) & ((1n << 256n) - 1n);
    yield s >> BigInt(i % 200);
  }
}

describe("FixedPointMath port", () => {
  it("mulDivDown / mulDivUp equal the contract on random and edge inputs", async () => {
    const xs = [...values(0x1234567n, 24)];
    let compared = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      const y = xs[(i * 7 + 3) % xs.length];
      const d = xs[(i * 5 + 1) % xs.length] || 1n;
      let sdkDown: bigint | undefined;
      try {
        sdkDown = m.mulDivDown(x, y, d);
      } catch (e) {
        expect(e).toBeInstanceOf(StrataMathError);
        await expect(harness.mulDivDown(x, y, d)).rejects.toThrow();
        continue;
      }
      expect(await harness.mulDivDown(x, y, d)).toBe(sdkDown);
      expect(await harness.mulDivUp(x, y, d).catch(() => "revert")).toBe(
        (() => {
          try {
            return m.mulDivUp(x, y, d);
          } catch {
            return "revert";
          }
        })(),
      );
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it("wTaylorCompoundedDown equals the contract", async () => {
    for (const rate of [0n, 1n, 5n * 10n ** 16n, 3n * 10n ** 17n, 10n ** 18n]) {
      for (const dt of [0n, 1n, 3600n, m.YEAR, 10n * m.YEAR]) {
        expect(await harness.wTaylorCompoundedDown(rate, dt)).toBe(m.wTaylorCompoundedDown(rate, dt));
      }
    }
  });

  it("bps helpers equal the contract", async () => {
    for (const x of [0n, 1n, 999_999n, 10n ** 24n + 7n]) {
      for (const b of [0n, 1n, 2_500n, 9_999n, 10_000n]) {
        expect(await harness.bpsDown(x, b)).toBe(m.bpsDown(x, b));
        expect(await harness.bpsUp(x, b)).toBe(m.bpsUp(x, b));
      }
    }
  });

  it("rejects division by zero with a typed error", () => {
    expect(() => m.mulDivDown(1n, 1n, 0n)).toThrow(StrataMathError);
    expect(() => m.mulDivDown(1n, 1n, 0n)).toThrow(/division by zero/);
  });
});

// `strata demo` end to end (anvil + forge script + timelock + life cycle), and the status it prints: the tranche
// values add up to NAV, the example proposal took effect, and anvil is gone afterwards.
import { describe, expect, it } from "vitest";
import { JsonRpcProvider } from "ethers";
import { runDemo } from "../src/demo.ts";

describe("strata demo", () => {
  it("deploys, governs through the timelock, lends, and prints a consistent status", async () => {
    const lines: string[] = [];
    await runDemo((l) => lines.push(l));
    const text = lines.join("\n");
    expect(text).toMatch(/executed after 3600 s/);
    expect(text).toMatch(/senior rate\s+6\.00 %/);
    const num = (label: string) => {
      const m = text.match(new RegExp(`^${label}\\s+([\\d,.]+)`, "m"));
      if (!m) throw new Error(`no ${label} in:\n${text}`);
      return Number(m[1].replaceAll(",", ""));
    };
    const nav = num("NAV");
    expect(nav).toBeGreaterThan(1_000_000);
    expect(num("senior") + num("junior")).toBeCloseTo(nav, 1);
    expect(text).toMatch(/#2 .* Active/);
    expect(text).toMatch(/#1 .* Repaid/);
    expect(text).toMatch(/loan #1's NFT delegated to 0x[0-9a-fA-F]{40} \(delegate\.xyz check: true\)/);
    expect(text).toMatch(/loan #1 repaid: its delegation revoked \(delegate\.xyz check: false\)/);
    const url = lines.find((l) => l.includes("anvil listening on"))?.match(/http:\/\/[\d.:]+/)?.[0];
    expect(url).toBeDefined();
    await expect(new JsonRpcProvider(url, 31337, { staticNetwork: true }).getBlockNumber()).rejects.toThrow();
  });
});

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
    expect(text).toMatch(/junior exit: request #1, 24 h notice, served and claimed \d+/);
    const nav = num("NAV");
    expect(nav).toBeGreaterThan(990_000); // 1M deposited, 10k of junior exited, interest earned
    expect(num("senior") + num("junior")).toBeCloseTo(nav, 1);
    expect(text).toMatch(/#2 .* Active/);
    expect(text).toMatch(/#1 .* Repaid/);
    const url = lines.find((l) => l.includes("anvil listening on"))?.match(/http:\/\/[\d.:]+/)?.[0];
    expect(url).toBeDefined();
    await expect(new JsonRpcProvider(url, 31337, { staticNetwork: true }).getBlockNumber()).rejects.toThrow();
  });
});

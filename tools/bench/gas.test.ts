// Tests of the bench:gas logic (tools/bench/gas-table.ts): the spread and its 1 % bound, the SPEC §10.2 names, the
// cold/warm pairing and the peer ratios; and the scale figures the forge suite has just written (snapshots/scale.json)
// are within the bound, so `npm test` fails on a per-loan cost even without running the bench.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { change, formatOperations, formatScale, operationRows, scaleRows, specNames, spread } from "./gas-table.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SPEC = readFileSync(join(ROOT, "docs/SPEC.md"), "utf8");

describe("scale spread", () => {
  it("is (max - min) / min", () => {
    expect(spread([100, 101, 100.5])).toBeCloseTo(0.01, 12);
    expect(spread([5])).toBe(0);
  });

  it("flags an operation above 1 % and passes one at exactly 1 %", () => {
    const s = scaleRows({
      borrow_with_1_loans: "200000",
      borrow_with_10000_loans: "202001",
      repay_with_1_loans: "100000",
      repay_with_10000_loans: "101000",
    });
    expect(s.columns).toEqual(["1 loan", "10,000 loans"]);
    expect(s.rows.find((r) => r.operation === "borrow")?.ok).toBe(false);
    expect(s.rows.find((r) => r.operation === "repay")?.ok).toBe(true);
    expect(formatScale(s)).toMatch(/borrow .*1\.00 % \| +> 1\.00 % \|/);
  });

  it("orders the lender column after the loan columns", () => {
    const s = scaleRows({ deposit_with_100_lenders: "9", deposit_with_1000_loans: "9", deposit_with_1_loans: "9" });
    expect(s.columns).toEqual(["1 loan", "1,000 loans", "100 lenders"]);
  });

  it("rejects a name it cannot place", () => {
    expect(() => scaleRows({ borrow_big: "1" })).toThrow(/unexpected name/);
  });

  it("holds for the figures in snapshots/scale.json (1 to 10,000 loans, 100 lenders)", () => {
    const scale = JSON.parse(readFileSync(join(ROOT, "snapshots/scale.json"), "utf8"));
    const s = scaleRows(scale);
    expect(s.columns).toEqual(["1 loan", "100 loans", "1,000 loans", "10,000 loans", "100 lenders"]);
    for (const r of s.rows) expect(r.spread, r.operation).toBeLessThanOrEqual(0.01);
  });
});

describe("operations table", () => {
  it("reads the SPEC §10.2 names of each snapshot file", () => {
    const vault = specNames(SPEC, "vault");
    expect(vault).toContain("deposit");
    expect(vault).toContain("deposit_first");
    expect(vault).not.toContain("junior_");
    expect(specNames(SPEC, "pool")).toContain("liquidate");
  });

  it("pairs cold with warm, lists an unmeasured SPEC name, and divides by the peer", () => {
    const spec = [
      "## 10. Measured operations (gas)",
      "| `snapshots/vault.json` | `deposit`, `deposit_first`, `redeem` |",
      "| `snapshots/pool.json` | `borrow`, `borrow_first_in_collection`, `set_delegate` |",
    ].join("\n");
    const rows = operationRows(
      {
        vault: { deposit: "99770", deposit_first: "116870", redeem: "93682" },
        pool: { borrow: "274242", borrow_first_in_collection: "300000" },
        peer: { oz_erc4626_deposit: "33000", oz_erc4626_redeem: "28673" },
      },
      spec,
    );
    expect(rows.map((r) => r.operation)).toEqual(["deposit", "redeem", "borrow", "set_delegate"]);
    const deposit = rows[0];
    expect(deposit.cold).toBe(116_870);
    expect(deposit.peers.map((p) => p.peer)).toEqual(["MetaStreet v2", "Gondi v3", "OZ ERC-4626 (bare)"]);
    expect(deposit.peers[2].ratio).toBeCloseTo(99_770 / 33_000, 12);
    expect(rows[2].peers[0].ratio).toBeCloseTo(274_242 / 137_121, 12); // exactly 2x the 1-tick borrow
    expect(rows[3].missing).toBe(true);
  });
});

describe("before and after (--before), and Gondi", () => {
  const now = { vault: { deposit: "90000" }, pool: { borrow: "180000", repay: "110000" } };
  const then = { vault: { deposit: "100000" }, pool: { borrow: "180000", repay: "100000" } };

  it("puts the figure at the other revision and the signed change beside each operation", () => {
    const rows = operationRows(now, SPEC, ["vault", "pool"], then);
    const row = (op: string) => rows.find((r) => r.operation === op)!;
    expect(row("deposit").before).toBe(100_000);
    expect(change(row("deposit"))).toBe("−10,000");
    expect(change(row("repay"))).toBe("+10,000");
    expect(change(row("borrow"))).toBe("±0");
    expect(change(row("mint"))).toBe("—");
    const table = formatOperations(rows, "abc1234");
    expect(table).toMatch(/Strata at abc1234 \| +change \|/);
    expect(table).toMatch(/vault\.deposit .*\| +100,000 \| +−10,000 \| +90,000 \|/);
  });

  it("compares borrow, repay and deposit with Gondi v3's own report", () => {
    const rows = operationRows(now, SPEC);
    const gondi = (op: string) => rows.find((r) => r.operation === op)!.peers.find((p) => p.peer === "Gondi v3");
    expect(gondi("borrow")?.gas).toBe(207_031);
    expect(gondi("borrow")?.ratio).toBeCloseTo(180_000 / 207_031, 12);
    expect(gondi("repay")?.gas).toBe(97_431);
    expect(gondi("deposit")?.gas).toBe(105_830);
    expect(rows.find((r) => r.operation === "deposit")!.before).toBeNull();
  });
});

// The SDK's rate curve and loan interest equal the contract libraries' to the wei (values and reverts), proved
// against RateCurveHarness and LoanInterestHarness deployed on a real anvil node.
import { ContractFactory, JsonRpcProvider, NonceManager, Wallet, decodeBytes32String, encodeBytes32String, type Contract } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadArtifact } from "../src/dev/artifacts.ts";
import { StrataError, StrataMathError } from "../src/errors.ts";
import * as ir from "../src/math/interest.ts";
import { type RateCurve, LoanInterestError, RateCurveError } from "../src/math/interest.ts";
import { WAD, YEAR } from "../src/math/fixed-point.ts";
import { type Anvil, startAnvil } from "./anvil.ts";

const ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_P = (1n << 96n) - 1n;
const D = YEAR * WAD;

let anvil: Anvil;
let curveH: Contract;
let interestH: Contract;

async function deploy(wallet: NonceManager, name: string): Promise<Contract> {
  const art = loadArtifact(name);
  return (await (await new ContractFactory(art.abi as never, art.bytecode, wallet).deploy()).waitForDeployment()) as Contract;
}

beforeAll(async () => {
  anvil = await startAnvil();
  // Two deployments in a row: the NonceManager keeps the nonces sequential.
  const wallet = new NonceManager(
    new Wallet(ANVIL_KEY_0, new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true })),
  );
  curveH = await deploy(wallet, "RateCurveHarness");
  interestH = await deploy(wallet, "LoanInterestHarness");
});
afterAll(async () => anvil?.stop());

// Deterministic pseudo-random generator (xorshift64*-like over bigint), reproducible across runs.
function rng(seed: bigint): (bits: number) => bigint {
  let s = seed & MAX_UINT64 || 1n;
  const next64 = (): bigint => {
    s ^= (s << 13n) & MAX_UINT64;
    s ^= s >> 7n;
    s ^= (s << 17n) & MAX_UINT64;
    return s;
  };
  return (bits: number): bigint => {
    let out = 0n;
    for (let i = 0; i < bits; i += 64) out = (out << 64n) | next64();
    return out & ((1n << BigInt(bits)) - 1n);
  };
}
/** Uniform-ish value in [lo, hi]. */
const between = (r: (bits: number) => bigint, lo: bigint, hi: bigint): bigint => lo + (r(256) % (hi - lo + 1n));

// An outcome is a value or a revert, both comparable with toEqual.
type Outcome = { ok: bigint } | { err: string; args: string[] };

function sdk(f: () => bigint | void): Outcome {
  try {
    const v = f();
    return { ok: v ?? 0n };
  } catch (e) {
    if (e instanceof RateCurveError || e instanceof LoanInterestError) {
      return { err: e.errorName, args: e.args.map(String) };
    }
    // Contract reverts with FixedPointMath.MathOverflowOrDivByZero or a checked-arithmetic panic.
    if (e instanceof StrataMathError) return { err: "math", args: [] };
    throw e;
  }
}

async function chain(p: Promise<unknown>): Promise<Outcome> {
  try {
    const v = await p;
    return { ok: typeof v === "bigint" ? v : 0n };
  } catch (e) {
    const rev = (e as { revert?: { name: string; args: unknown[] } }).revert;
    if (!rev) throw e;
    if (rev.name === "MathOverflowOrDivByZero" || rev.name === "Panic") return { err: "math", args: [] };
    return { err: rev.name, args: rev.args.map(String) };
  }
}

/** Runs every case on chain (batched) and through the SDK; returns the outcomes for inspection. */
async function compareAll(cases: { chain: () => Promise<unknown>; sdk: () => bigint | void; label: string }[]) {
  const onChain = await Promise.all(cases.map((c) => chain(c.chain())));
  const outcomes: Outcome[] = [];
  cases.forEach((c, i) => {
    const mine = sdk(c.sdk);
    expect(mine, c.label).toEqual(onChain[i]);
    outcomes.push(mine);
  });
  return outcomes;
}

const curveArg = (c: RateCurve) => ({ baseRate: c.baseRate, slope1: c.slope1, slope2: c.slope2, kink: c.kink });

function validCurve(r: (bits: number) => bigint): RateCurve {
  const baseRate = between(r, 0n, ir.MAX_BASE_RATE);
  const slope1 = between(r, 0n, ir.MAX_SLOPE1);
  const room = ir.MAX_APR - baseRate - slope1;
  const slope2 = between(r, 0n, room < ir.MAX_SLOPE2 ? room : ir.MAX_SLOPE2);
  const kink = between(r, ir.MIN_KINK, ir.MAX_KINK);
  return { baseRate, slope1, slope2, kink };
}

describe("RateCurveLib port", () => {
  it("exposes the same hard bounds as the contract", async () => {
    const b = await curveH.bounds();
    expect([...b]).toEqual([ir.MIN_KINK, ir.MAX_KINK, ir.MAX_BASE_RATE, ir.MAX_SLOPE1, ir.MAX_SLOPE2, ir.MAX_APR]);
  });

  it("utilization equals the contract, including U = 0, U = 1 and overflow", async () => {
    const r = rng(0xa11ce5n);
    const pairs: [bigint, bigint][] = [
      [0n, 0n],
      [0n, 1_000_000n],
      [1_000_000n, 0n],
      [1n, 2n],
      [2n, 1n],
      [1n, 10n ** 30n],
      [MAX_UINT256, 0n],
      [MAX_UINT256, 1n],
      [MAX_UINT256 - 5n, 5n],
    ];
    for (let i = 0; i < 120; i++) {
      const bits = [8, 48, 96, 128, 255][i % 5];
      pairs.push([r(bits), r([8, 48, 96, 128, 255][(i * 3) % 5])]);
    }
    const out = await compareAll(
      pairs.map(([b, c]) => ({
        label: `utilization(${b}, ${c})`,
        chain: () => curveH.utilization(b, c),
        sdk: () => ir.utilization(b, c),
      })),
    );
    expect(out[0]).toEqual({ ok: 0n });
    expect(out[2]).toEqual({ ok: WAD });
    expect(out[3]).toEqual({ ok: 333_333_333_333_333_334n });
    expect(out[7]).toEqual({ err: "math", args: [] });
  });

  it("apr equals the contract on random valid curves at U = 0, around the kink, U = 1 and beyond", async () => {
    const r = rng(0xc0ffeen);
    const cases = [];
    for (let i = 0; i < 40; i++) {
      const c = validCurve(r);
      const us = [
        0n,
        1n,
        c.kink - 1n,
        c.kink,
        c.kink + 1n,
        between(r, 0n, c.kink),
        between(r, c.kink, WAD),
        WAD - 1n,
        WAD,
        WAD + 1n,
        MAX_UINT256,
      ];
      for (const u of us) {
        cases.push({ label: `apr(${JSON.stringify(curveArg(c), (_, v) => String(v))}, ${u})`, c, u });
      }
    }
    const out = await compareAll(
      cases.map(({ label, c, u }) => ({ label, chain: () => curveH.apr(curveArg(c), u), sdk: () => ir.apr(c, u) })),
    );
    // The SDK itself agrees with the closed-form properties at the edges.
    for (let i = 0; i < cases.length; i++) {
      const { c, u } = cases[i];
      const v = (out[i] as { ok: bigint }).ok;
      if (u === 0n) expect(v).toBe(c.baseRate);
      if (u === c.kink) expect(v).toBe(c.baseRate + c.slope1);
      if (u >= WAD) expect(v).toBe(ir.maxApr(c));
    }
  });

  it("apr reverts alike on a degenerate kink, and rounds exactly like the contract on a fixed curve", async () => {
    const fixed: RateCurve = { baseRate: 2n * 10n ** 16n, slope1: 4n * 10n ** 16n, slope2: 75n * 10n ** 16n, kink: 8n * 10n ** 17n };
    const cases: { c: RateCurve; u: bigint }[] = [
      { c: { ...fixed, kink: 0n }, u: 0n },
      { c: { ...fixed, kink: WAD }, u: WAD },
      { c: { ...fixed, kink: MAX_UINT64 }, u: 1n },
      { c: fixed, u: 1n },
      { c: fixed, u: fixed.kink + 1n },
      { c: fixed, u: 9n * 10n ** 17n },
    ];
    const out = await compareAll(
      cases.map(({ c, u }) => ({ label: `apr kink=${c.kink} u=${u}`, chain: () => curveH.apr(curveArg(c), u), sdk: () => ir.apr(c, u) })),
    );
    expect(out.slice(0, 3)).toEqual([
      { err: "DegenerateKink", args: ["0"] },
      { err: "DegenerateKink", args: [String(WAD)] },
      { err: "DegenerateKink", args: [String(MAX_UINT64)] },
    ]);
    expect(out.slice(3)).toEqual([{ ok: 2n * 10n ** 16n + 1n }, { ok: 6n * 10n ** 16n + 4n }, { ok: 435n * 10n ** 15n }]);
  });

  it("validate accepts and rejects exactly like the contract, with the same error and values", async () => {
    const r = rng(0xbadcafen);
    const near = (bound: bigint): bigint[] => [0n, bound - 1n, bound, bound + 1n];
    const pick = (xs: bigint[]): bigint => xs[Number(r(16) % BigInt(xs.length))];
    const curves: RateCurve[] = [
      { baseRate: 10n ** 18n, slope1: 2n * 10n ** 18n, slope2: 7n * 10n ** 18n, kink: 5n * 10n ** 17n },
      { baseRate: 10n ** 18n, slope1: 2n * 10n ** 18n, slope2: 7n * 10n ** 18n + 1n, kink: 5n * 10n ** 17n },
      { baseRate: MAX_UINT64, slope1: MAX_UINT64, slope2: MAX_UINT64, kink: 0n },
    ];
    for (let i = 0; i < 150; i++) {
      curves.push({
        baseRate: pick([...near(ir.MAX_BASE_RATE), between(r, 0n, ir.MAX_BASE_RATE), r(64)]),
        slope1: pick([...near(ir.MAX_SLOPE1), between(r, 0n, ir.MAX_SLOPE1)]),
        slope2: pick([...near(ir.MAX_SLOPE2), between(r, 0n, ir.MAX_SLOPE2), r(64)]),
        kink: pick([...near(ir.MIN_KINK), ...near(ir.MAX_KINK), between(r, ir.MIN_KINK, ir.MAX_KINK), WAD]),
      });
    }
    for (let i = 0; i < 30; i++) curves.push(validCurve(r));
    const out = await compareAll(
      curves.map((c) => ({
        label: `validate(${JSON.stringify(curveArg(c), (_, v) => String(v))})`,
        chain: () => curveH.validate(curveArg(c)),
        sdk: () => ir.validate(c),
      })),
    );
    expect(out[0]).toEqual({ ok: 0n });
    const name = (s: string) => encodeBytes32String(s);
    expect(out[1]).toEqual({ err: "ParameterOutOfBounds", args: [name("maxApr"), String(10n * WAD + 1n), "0", String(10n * WAD)] });
    expect(out[2]).toEqual({ err: "ParameterOutOfBounds", args: [name("kink"), "0", String(ir.MIN_KINK), String(ir.MAX_KINK)] });
    // The generated set exercises every path (each bound, named by the error's parameter).
    const seen = new Set(out.map((o) => ("err" in o ? decodeBytes32String(o.args[0]) : "ok")));
    expect([...seen].sort()).toEqual(["baseRate", "kink", "maxApr", "ok", "slope1", "slope2"]);
  });

  it("throws typed errors", () => {
    const bad = { baseRate: 0n, slope1: 0n, slope2: 0n, kink: 0n };
    expect(() => ir.validate(bad)).toThrow(RateCurveError);
    expect(() => ir.validate(bad)).toThrow(StrataError);
    expect(() => ir.validate(bad)).toThrow(/ParameterOutOfBounds\(0x6b696e6b0{56}, 0, 10000000000000000, 990000000000000000\): kink must be within/);
    expect(() => ir.apr(bad, 0n)).toThrow(/DegenerateKink\(0\)/);
    expect(() => ir.apr({ ...bad, kink: 1n << 64n }, 0n)).toThrow(StrataMathError);
  });
});

describe("LoanInterest port", () => {
  it("interest and loanRate equal the contract on random and edge inputs", async () => {
    const r = rng(0x1badb002n);
    const triples: [bigint, bigint, bigint][] = [
      [1_000_000_000n, 10n ** 17n, 30n * 86_400n],
      [1_000n * WAD, 10n ** 17n, YEAR],
      [1n, 10n ** 16n, 1n],
      [0n, 10n ** 17n, YEAR],
      [MAX_P, MAX_UINT64, 100n * YEAR],
      [MAX_P + 1n, 10n ** 17n, 1n],
      [1_000_000n, MAX_UINT64 + 1n, 1n],
      [MAX_P, MAX_UINT64, MAX_UINT256],
    ];
    for (let i = 0; i < 150; i++) {
      const p = r(256) % (MAX_P >> r(7) % 96n);
      const a = i % 3 === 0 ? r(64) : between(r, 0n, 10n * WAD);
      const e = [between(r, 0n, 10n * YEAR), r(32), r(64), r(200)][i % 4];
      triples.push([p, a, e]);
    }
    const out = await compareAll(
      triples.flatMap(([p, a, e]) => [
        { label: `interest(${p}, ${a}, ${e})`, chain: () => interestH.interest(p, a, e), sdk: () => ir.interest(p, a, e) },
        { label: `loanRate(${p}, ${a})`, chain: () => interestH.loanRate(p, a), sdk: () => ir.loanRate(p, a) },
      ]),
    );
    expect(out[0]).toEqual({ ok: 8_219_179n });
    expect(out[2]).toEqual({ ok: 100n * WAD });
    expect(out[10]).toEqual({ err: "InterestOperandOutOfRange", args: [String(MAX_P + 1n), String(10n ** 17n)] });
    expect(out[14]).toEqual({ err: "math", args: [] });
  });

  it("accrued equals the contract for random books, edge cases and inconsistent aggregates", async () => {
    const r = rng(0x5eedn);
    const cases: [bigint, bigint, bigint][] = [
      [0n, 0n, 1_700_000_000n],
      [1n << 255n, MAX_UINT256, 3n],
      [3n * D + 1n, D + 2n, 1n],
      [D + 1n, D + 2n, 1n],
      [10n ** 26n, 10n ** 26n * 1_000n, 999n],
      [MAX_UINT256, 0n, MAX_UINT256],
    ];
    // Random books of up to 50 loans, with their per-loan interests summed by the SDK.
    const books: { rateSum: bigint; rateTimeSum: bigint; t: bigint; perLoan: bigint; n: bigint }[] = [];
    for (let b = 0; b < 25; b++) {
      const n = 1 + Number(r(16) % 50n);
      const t0 = 1_700_000_000n;
      const t = t0 + between(r, 0n, 10n * YEAR);
      let rateSum = 0n;
      let rateTimeSum = 0n;
      let perLoan = 0n;
      for (let i = 0; i < n; i++) {
        const p = r(256) % ((MAX_P >> r(7) % 96n) + 1n);
        const a = between(r, 0n, 10n * WAD);
        const start = between(r, t0, t);
        const rate = ir.loanRate(p, a);
        rateSum += rate;
        rateTimeSum += rate * start;
        perLoan += ir.interest(p, a, t - start);
      }
      books.push({ rateSum, rateTimeSum, t, perLoan, n: BigInt(n) });
      cases.push([rateSum, rateTimeSum, t]);
      cases.push([rateSum, rateTimeSum, t - 1n - r(20)]); // read before the latest start: may underflow
    }
    for (let i = 0; i < 40; i++) cases.push([r(200), r(240), r(40)]);
    const out = await compareAll(
      cases.map(([rs, rts, t]) => ({
        label: `accrued(${rs}, ${rts}, ${t})`,
        chain: () => interestH.accrued(rs, rts, t),
        sdk: () => ir.accrued(rs, rts, t),
      })),
    );
    expect(out[0]).toEqual({ ok: 0n });
    expect(out[1]).toEqual({ ok: ((1n << 255n) + 1n) / D });
    expect(out[2]).toEqual({ ok: 1n });
    expect(out[3]).toEqual({ err: "AccruedUnderflow", args: ["1", String(D + 1n), String(D + 2n)] });
    expect(out[5]).toEqual({ err: "math", args: [] });
    books.forEach((b, i) => {
      const agg = (out[6 + 2 * i] as { ok: bigint }).ok;
      expect(agg).toBeLessThanOrEqual(b.perLoan);
      expect(b.perLoan - agg).toBeLessThanOrEqual(b.n);
    });
    expect(out.some((o) => "err" in o && o.err === "AccruedUnderflow")).toBe(true);
  });

  it("throws typed errors", () => {
    expect(() => ir.interest(MAX_P + 1n, 1n, 1n)).toThrow(LoanInterestError);
    expect(() => ir.accrued(1n, 2n, 1n)).toThrow(/AccruedUnderflow\(1, 1, 2\)/);
    expect(() => ir.accrued(1n, 2n, 1n)).toThrow(StrataError);
  });
});

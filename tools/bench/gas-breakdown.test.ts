// Tests of `npm run bench:gas -- --breakdown` (tools/bench/gas-breakdown.ts, gas-breakdown-run.ts): the call tree and
// the attribution on a hand-made trace whose every figure is known (gas limits of 2^63 - 1, as forge's, so a lost digit
// shows), the rounding that keeps a printed column equal to its total, the SPEC §10.3 targets; and, on forge's own
// trace of the borrow and deposit gas tests, that the components add up exactly to the figure forge measured in the
// same run and to the committed snapshot, with the structural facts of each operation (a borrow writes its two-slot
// loan record into two new pool slots; a deposit enters the vault and the pool once each and pulls the asset once).
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CHEATCODES,
  COMPUTE,
  type Component,
  type ContractLookup,
  OP,
  PROXY_ACCOUNT,
  PROXY_CODE,
  PROXY_SLOT,
  attribute,
  findMeasured,
  formatBreakdown,
  parseDump,
  roundToSum,
  specTargets,
  sstoreKind,
  total,
} from "./gas-breakdown.ts";
import { breakdownProblems, discoverGasTests, runBreakdown, snakeCase } from "./gas-breakdown-run.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MAX = 2n ** 63n - 1n;

// ------------------------------------------------------------------ a hand-made trace

type Item = [op: number, cost: number, stack?: string[]] | { to: string; op?: number; own: number; input?: string; callee?: Callee };
interface Callee {
  address: string;
  kind: string;
  calldata?: string;
  items: Item[];
}

/** Writes the nodes of `c` (and of its callees, depth first) as forge orders them; returns the gas `c` spent. */
function emit(c: Callee, limit: bigint, out: object[]): number {
  let rem = limit;
  let used = 0;
  let node = { address: c.address, kind: c.kind, calldata: c.calldata ?? "0x", gas_limit: String(limit), steps: [] as object[] };
  out.push(node);
  const step = (pc: number, op: number, cost: number, extra: object = {}) => ({
    pc,
    op,
    stack: [],
    memory: "0x",
    gas_remaining: String(rem),
    gas_cost: String(cost),
    gas_used: used,
    gas_refund_counter: 0,
    status: null,
    ...extra,
  });
  c.items.forEach((it, pc) => {
    const last = pc === c.items.length - 1;
    if (Array.isArray(it)) {
      node.steps.push(step(pc, it[0], it[1], { ...(it[2] ? { stack: it[2] } : {}), ...(last ? { status: "Return" } : {}) }));
      rem -= BigInt(it[1]);
      used += it[1];
      return;
    }
    const op = it.op ?? OP.CALL;
    const input = it.input ?? "";
    const args = op === OP.CALL ? ["0x0", "0x0", `0x${(input.length / 2).toString(16)}`, "0x0", "0x0"] : ["0x0", "0x0", `0x${(input.length / 2).toString(16)}`, "0x0"];
    node.steps.push(step(pc, op, Number.MAX_SAFE_INTEGER, { stack: [...args, it.to, "0xffffffffffff"], memory: `0x${input}` }));
    const spent = it.callee ? emit(it.callee, rem - BigInt(it.own) - 1000n, out) : 0;
    rem -= BigInt(it.own + spent);
    used += it.own + spent;
    node = { ...node, steps: [] };
    out.push(node);
  });
  return Number(limit - rem);
}

/** forge's dump text for `root`, the gas fields written as bare integers (as forge does). */
function dumpOf(root: Callee, names: Record<string, string>): string {
  const nodes: object[] = [];
  emit(root, MAX, nodes);
  return JSON.stringify({ contracts: { identified_contracts: names }, debug_arena: nodes }).replace(/"(gas_remaining|gas_limit|gas_cost)":"(\d+)"/g, '"$1":$2');
}

const word = (n: number) => n.toString(16).padStart(64, "0");
const str = (s: string) => word(s.length) + Buffer.from(s).toString("hex").padEnd(64, "0");
/** `snapshotGasLastCall(group, name)` calldata. */
const snapshotCall = (group: string, name: string) => `200c6772${word(64)}${word(64 + 32 + 32)}${str(group)}${str(name)}`;

const TEST = "0x7fa9385be102ac3eac297483dd6233d62b3e1496";
const PROXY = "0xa1000000000000000000000000000000000000a1";
const POOL = "0xb2000000000000000000000000000000000000b2";
const LIB = "0xc3000000000000000000000000000000000000c3";
const TOKEN = "0xd4000000000000000000000000000000000000d4";
const NAMES = { [TEST]: "SomeGasTest", [PROXY]: "ERC1967Proxy", [POOL]: "StrataPool", [LIB]: "LoanLogic", [TOKEN]: "MockStablecoin" };
const METHODS: Record<string, Record<string, string>> = {
  MockStablecoin: { a9059cbb: "transfer(address,uint256)", "70a08231": "balanceOf(address)", "313ce567": "decimals()" },
  StrataPool: { "319dfe74": "borrow(address,uint256,uint256,uint32,uint256,bytes32[])" },
};
const LOOKUP: ContractLookup = (name) => (METHODS[name] ? { methods: METHODS[name] } : undefined);

// token.transfer: a cold update of a balance, a warm rewrite, an event: 2 + 5,000 + 100 + 1,756 + 0 = 6,858.
const transfer: Callee = { address: TOKEN, kind: "CALL", calldata: "0xa9059cbb", items: [[0x60, 2], [OP.SSTORE, 5_000], [OP.SSTORE, 100], [0xa3, 1_756], [0xf3, 0]] };
// The library, delegatecalled by the pool: its storage is the pool's.
const lib: Callee = {
  address: LIB,
  kind: "DELEGATECALL",
  items: [[0x60, 3], [OP.SSTORE, 22_100], [OP.SSTORE, 22_100], [OP.EXTCODESIZE, 2_600, [TOKEN]], { to: TOKEN, own: 100, callee: transfer }, [0xf3, 0]],
};
const impl: Callee = {
  address: POOL,
  kind: "DELEGATECALL",
  items: [[0x60, 3], [OP.SLOAD, 2_100], [OP.SLOAD, 100], [OP.TSTORE, 100], { to: LIB, op: OP.DELEGATECALL, own: 2_600, callee: lib }, [0xa4, 2_400], [0xf3, 0]],
};
const proxy: Callee = {
  address: PROXY,
  kind: "CALL",
  calldata: "0x319dfe74",
  items: [[0x37, 9], [OP.SLOAD, 2_100], { to: POOL, op: OP.DELEGATECALL, own: 2_600, callee: impl }, [0x3e, 6], [0xf3, 0]],
};
const test: Callee = {
  address: TEST,
  kind: "CALL",
  items: [
    { to: TOKEN, op: OP.STATICCALL, own: 2_600, callee: { address: TOKEN, kind: "STATICCALL", calldata: "0x70a08231", items: [[OP.SLOAD, 2_100], [0xf3, 0]] } },
    { to: CHEATCODES, own: 0, input: "ca669fa7" }, // vm.prank: no callee frame
    { to: PROXY, own: 2_600, callee: proxy }, // the measured call
    { to: CHEATCODES, own: 0, input: snapshotCall("pool", "borrow") },
    { to: TOKEN, op: OP.STATICCALL, own: 100, callee: { address: TOKEN, kind: "STATICCALL", calldata: "0x70a08231", items: [[OP.SLOAD, 100], [0xf3, 0]] } },
    [0x00, 0],
  ],
};
// What each component must be, by hand.
const TRANSFER = 6_858 + 100 + 2_600; // the subtree, the warm call, the EXTCODESIZE that prepared it
const LIB_SPENT = 3 + 22_100 + 22_100 + TRANSFER + 0;
const IMPL_SPENT = 3 + 2_100 + 100 + 100 + 2_600 + LIB_SPENT + 2_400;
const MEASURED = 9 + 2_100 + 2_600 + IMPL_SPENT + 6;

describe("the call tree and the attribution (hand-made trace)", () => {
  const trace = parseDump(dumpOf(test, NAMES));
  const byLabel = (cs: Component[], label: string) => cs.find((c) => c.label === label);

  it("rebuilds the frames, with continuations, a call that ran no code, and exact gas at 2^63 - 1", () => {
    expect(trace.root.address).toBe(TEST);
    expect([...trace.root.children.keys()]).toEqual([0, 2, 4]); // the prank and the snapshot have no callee frame
    const p = trace.root.children.get(2)!;
    expect(p.spent).toBe(MEASURED);
    expect(p.children.get(2)!.storage).toBe(PROXY); // the implementation runs on the proxy's storage
    expect(p.children.get(2)!.children.get(4)!.storage).toBe(PROXY); // and so does its library
  });

  it("measures the last call before vm.snapshotGasLastCall, and reads the snapshot's group and name", () => {
    const m = findMeasured(trace.root);
    expect(m.frame.address).toBe(PROXY);
    expect([m.group, m.name]).toEqual(["pool", "borrow"]);
  });

  it("puts every unit of gas in one component, each where it belongs", () => {
    const b = attribute(trace, LOOKUP);
    expect(b.measured).toBe(MEASURED);
    expect(total(b)).toBe(MEASURED);
    expect(b.call).toBe("StrataPool.borrow");
    const cs = b.components;
    expect(byLabel(cs, PROXY_SLOT)).toMatchObject({ gas: 2_100, count: 1 });
    expect(byLabel(cs, PROXY_ACCOUNT)?.gas).toBe(2_600); // the delegatecall; the test's call into the proxy is outside
    expect(byLabel(cs, "library delegatecall (LoanLogic)")).toMatchObject({ gas: 2_600, count: 1 });
    const pool = cs.filter((c) => c.contract === "StrataPool");
    expect(pool.map((c) => [c.storage, c.gas, c.count])).toEqual([
      ["SLOAD cold", 2_100, 1],
      ["SLOAD warm", 100, 1],
      ["SSTORE new slot", 44_200, 2],
    ]);
    expect(byLabel(cs, "ERC-20 transfer")).toMatchObject({ section: "calls", gas: TRANSFER, count: 1 });
    expect(byLabel(cs, "events (LOG0–LOG4)")).toMatchObject({ gas: 2_400, count: 1 }); // the token's event is in its call
    expect(byLabel(cs, "transient storage (TLOAD/TSTORE)")).toMatchObject({ gas: 100, count: 1 });
    expect(byLabel(cs, PROXY_CODE)?.gas).toBe(9 + 6);
    expect(byLabel(cs, COMPUTE)?.gas).toBe(3 + 3);
    expect(cs.some((c) => c.contract === "MockStablecoin")).toBe(false); // a token's storage stays inside its call
  });

  it("fails loudly on a trace with no snapshot and on a cost the schedule does not have", () => {
    const none = { ...test, items: test.items.filter((i) => Array.isArray(i) || !i.input?.startsWith("200c6772")) };
    expect(() => findMeasured(parseDump(dumpOf(none, NAMES)).root)).toThrow(/no vm.snapshotGasLastCall/);
    expect(sstoreKind(22_100)).toBe("SSTORE new slot");
    expect(sstoreKind(5_000)).toBe("SSTORE update");
    expect(sstoreKind(100)).toBe("SSTORE rewrite");
    expect(() => sstoreKind(2_000)).toThrow(/cancun/);
  });

  it("prints thousands whose column adds up to the total row", () => {
    const b = attribute(trace, LOOKUP);
    const table = formatBreakdown([{ operation: "borrow", breakdown: b, snapshot: MEASURED + 1, target: 50_000 }]);
    const rows = table.split("\n").slice(2).map((l) => l.split("|").map((c) => c.trim()));
    const at = (label: string) => rows.findIndex((r) => r[1] === label);
    const figures = rows.slice(0, at("total (thousands)")).map((r) => Number.parseFloat(r[2]));
    expect(figures.reduce((t, x) => t + x, 0)).toBeCloseTo(Number(rows[at("total (thousands)")][2]), 9);
    expect(rows[at("sum − snapshot")][2]).toBe("−1");
    expect(rows[at("over the target (thousands)")][2]).toBe((Math.round((MEASURED - 50_000) / 100) / 10).toFixed(1));
  });
});

describe("rounding, targets and test names", () => {
  it("rounds to the unit so that the parts add up to the rounded whole", () => {
    const parts = [149, 149, 149, 153];
    const r = roundToSum(parts, 100);
    expect(r.reduce((t, x) => t + x, 0)).toBe(6);
    expect(r).toEqual([2, 1, 1, 2]);
    expect(roundToSum([0, 0], 100)).toEqual([0, 0]);
  });

  it("reads SPEC §10.3's targets, one relative to another operation", () => {
    const spec = readFileSync(join(ROOT, "docs/SPEC.md"), "utf8");
    const t = specTargets(spec, { borrow: 180_000 });
    expect(t.borrow).toBe(155_000);
    expect(t.borrow_with_delegate).toBe(330_000);
    expect(t.redeem).toBe(85_000);
    expect(t.buy_with_surplus).toBeUndefined();
  });

  it("finds each gas test by its snapshot name", () => {
    expect(snakeCase("pushPrice")).toBe("push_price");
    const tests = discoverGasTests(ROOT);
    expect(tests.get("borrow")).toMatchObject({ contract: "PoolGasTest", test: "test_gas_borrow" });
    expect(tests.get("liquidate")?.contract).toBe("LiquidationGasTest");
    expect(tests.get("push_price")?.test).toBe("test_gas_pushPrice");
  });
});

// ------------------------------------------------------------------ forge's own trace

describe("forge's trace of the gas tests (one forge test --debug each)", () => {
  const snapshotFile = (g: string) => readFileSync(join(ROOT, "snapshots", `${g}.json`), "utf8");

  it("borrow: the components add up to the figure forge measured and to snapshots/pool.json; two new pool slots", () => {
    const before = snapshotFile("pool");
    const r = runBreakdown(ROOT, "borrow");
    expect(snapshotFile("pool")).toBe(before); // the one-test run wrote its snapshot elsewhere
    expect(r.failure).toBeNull();
    expect(breakdownProblems(r)).toEqual([]);
    const committed = Number(JSON.parse(before).borrow);
    expect(total(r.breakdown)).toBe(r.sameRun);
    expect(total(r.breakdown)).toBe(committed);
    const cs = r.breakdown.components;
    expect(r.breakdown.call).toBe("StrataPool.borrow");
    const newSlots = cs.filter((c) => c.storage === "SSTORE new slot");
    expect(newSlots.map((c) => [c.contract, c.count])).toEqual([["StrataPool", 2]]); // SPEC: the two-slot loan record
    expect(cs.find((c) => c.label === "ERC-721 transferFrom")?.count).toBe(1); // the collateral comes in
    expect(cs.find((c) => c.label === "ERC-20 transfer")?.count).toBe(1); // the principal goes out
    expect(cs.find((c) => c.label === PROXY_SLOT)?.count).toBe(1); // one proxy: the pool's
    for (const c of cs) expect(c.gas, c.label).toBeGreaterThanOrEqual(0);
  });

  it("deposit: the vault and the pool entered once each, the asset pulled once, no new slot for a returning lender", () => {
    const r = runBreakdown(ROOT, "deposit");
    expect(breakdownProblems(r)).toEqual([]);
    expect(total(r.breakdown)).toBe(Number(JSON.parse(snapshotFile("vault")).deposit));
    const cs = r.breakdown.components;
    expect(r.breakdown.call).toBe("TrancheVault.deposit");
    expect(cs.find((c) => c.label === PROXY_SLOT)?.count).toBe(2);
    expect(new Set(cs.filter((c) => c.contract).map((c) => c.contract))).toEqual(new Set(["TrancheVault", "StrataPool"]));
    expect(cs.find((c) => c.label === "ERC-20 transferFrom")?.count).toBe(1);
    expect(cs.filter((c) => c.storage === "SSTORE new slot")).toEqual([]);
  });
});

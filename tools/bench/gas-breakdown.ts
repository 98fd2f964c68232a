// The logic of `npm run bench:gas -- --breakdown` (issue #30: "where a gas target is not met, say so with the measured
// breakdown"), kept free of I/O so that tools/bench/gas-breakdown.test.ts can test it on a hand-made trace as well as
// on forge's own: it reads the step trace forge writes with `forge test --debug --dump <file>`, rebuilds the call tree,
// finds the call `vm.snapshotGasLastCall` measured, and attributes every unit of that call's gas to one component.
//
// The trace. forge's dump is {contracts: {identified_contracts: {address: name}}, debug_arena: [node]}: each node is a
// run of steps of one call frame, in execution order; a frame that makes a call is split into one node before the call
// and one after it (the callee's nodes, if it has code, come in between). A frame's first node starts at pc 0 with
// gas_used 0; a continuation never does. Per step, `gas_remaining` is the frame's gas before the step (exact: read as a
// string, since the test gas limit is 2^63 - 1, beyond a double's 2^53); `gas_used` is net of refunds, so it is not
// used. The gas a step costs is the frame's remaining gas before it minus before the next step; for a CALL-family step
// that difference is the call's own cost (account access, memory, value) plus everything the callee spent, the callee's
// spent being its gas limit minus what it had left when it halted. A frame's spent is what `vm.snapshotGasLastCall`
// records (execution gas: no 21,000 intrinsic, no calldata, refunds not subtracted), and the components below add up
// to it exactly, by construction; the runner checks that figure against the one forge wrote in the same run.
//
// The components. Strata's own frames (the measured call, the implementation behind each Strata proxy, the libraries
// they delegatecall, and calls into another Strata contract listed in EXPANDED) are opened step by step: proxy entry,
// library delegatecalls, storage by contract (cold / warm SLOAD; SSTORE to a new slot, an update of a clean slot, a
// rewrite of a dirty or unchanged one: told apart by the EIP-2929/2200 cost each one has), transient storage, events,
// account access, and compute/memory/ABI for the rest. Every other call (tokens, the registry, the oracle, the
// delegate registry, precompiles) is one component with its whole subtree and the call's own cost, named by what it
// is (ERC-20 / ERC-721 by their methods) and the function its selector names.
import { textTable } from "./gas-table.ts";

/** A call frame rebuilt from the trace. */
export interface Frame {
  kind: string;
  /** The address whose code runs (for a DELEGATECALL, the library or implementation). */
  address: string;
  /** The address whose storage it reads and writes. */
  storage: string;
  calldata: string;
  gasLimit: bigint;
  steps: Step[];
  /** Callee frames, by the index (in `steps`) of the CALL-family step that made them. */
  children: Map<number, Frame>;
  /** limit - gas left when it halted. */
  spent: number;
}

export interface Step {
  pc: number;
  op: number;
  stack: string[];
  memory: string;
  remaining: bigint;
  /** The step's own cost as forge reports it; exact for every step but the CALL family (whose figure is not used). */
  cost: number;
  /** The frame's refund counter before the step (its callees' refunds join it when they return). */
  refund: number;
  status: string | null;
}

export interface Trace {
  /** address (lower case) -> contract name, as forge identified it. */
  names: Record<string, string>;
  root: Frame;
}

/** Raw dump, as written by `forge test --debug --dump`. */
interface RawStep {
  pc: number;
  op: number;
  stack: string[];
  memory: string;
  gas_remaining: string;
  gas_cost: string;
  gas_used: number;
  gas_refund_counter: number;
  status: string | null;
}
interface RawNode {
  address: string;
  kind: string;
  calldata: string;
  gas_limit: string;
  steps: RawStep[];
}

export const OP = {
  SLOAD: 0x54,
  SSTORE: 0x55,
  TLOAD: 0x5c,
  TSTORE: 0x5d,
  BALANCE: 0x31,
  EXTCODESIZE: 0x3b,
  EXTCODECOPY: 0x3c,
  EXTCODEHASH: 0x3f,
  LOG0: 0xa0,
  LOG4: 0xa4,
  CREATE: 0xf0,
  CALL: 0xf1,
  CALLCODE: 0xf2,
  DELEGATECALL: 0xf4,
  CREATE2: 0xf5,
  STATICCALL: 0xfa,
} as const;
const CALLS: ReadonlySet<number> = new Set([OP.CALL, OP.CALLCODE, OP.DELEGATECALL, OP.STATICCALL, OP.CREATE, OP.CREATE2]);
const ACCOUNT_OPS: ReadonlySet<number> = new Set([OP.BALANCE, OP.EXTCODESIZE, OP.EXTCODECOPY, OP.EXTCODEHASH]);
export const isCall = (op: number): boolean => CALLS.has(op);

/** forge's cheatcode address (`address(uint160(uint256(keccak256("hevm cheat code"))))`). */
export const CHEATCODES = "0x7109709ecfa91a80626ff3989d68f67f5b1dd12d";
/** `snapshotGasLastCall(string)` and `snapshotGasLastCall(string,string)` (forge-std Vm), by selector: string args. */
export const SNAPSHOT_LAST_CALL: Readonly<Record<string, number>> = { dd9fca12: 1, "200c6772": 2 };

// ------------------------------------------------------------------ the trace

/**
 * Parses a dump. The gas fields are turned into strings before JSON.parse (a double cannot hold 2^63 - 1 exactly);
 * everything else is kept as forge wrote it.
 */
export function parseDump(text: string): Trace {
  const exact = text.replace(/"(gas_remaining|gas_limit|gas_cost)":(\d+)/g, '"$1":"$2"');
  const dump = JSON.parse(exact) as { contracts?: { identified_contracts?: Record<string, string> }; debug_arena?: RawNode[] };
  if (!Array.isArray(dump.debug_arena) || dump.debug_arena.length === 0) throw new Error("not a forge --debug dump: no debug_arena");
  const names: Record<string, string> = {};
  for (const [a, n] of Object.entries(dump.contracts?.identified_contracts ?? {})) names[a.toLowerCase()] = n;
  return { names, root: buildFrames(dump.debug_arena) };
}

/** Rebuilds the call tree from the arena's nodes (see the file's head for the node order). */
export function buildFrames(nodes: readonly RawNode[]): Frame {
  const open: { frame: Frame; lastCall: number }[] = [];
  let root: Frame | undefined;
  for (const [i, node] of nodes.entries()) {
    if (node.steps.length === 0) continue;
    const first = node.steps[0];
    const starts = first.pc === 0 && first.gas_used === 0;
    let frame: Frame;
    if (open.length === 0 || starts) {
      if (!starts) throw new Error(`debug_arena[${i}]: expected the start of a call frame`);
      const parent = open.at(-1);
      const address = node.address.toLowerCase();
      const kind = node.kind.toUpperCase();
      const delegated = kind === "DELEGATECALL" || kind === "CALLCODE";
      frame = {
        kind,
        address,
        storage: delegated && parent ? parent.frame.storage : address,
        calldata: node.calldata ?? "0x",
        gasLimit: BigInt(node.gas_limit),
        steps: [],
        children: new Map(),
        spent: 0,
      };
      if (parent) {
        const at = parent.lastCall;
        if (at < 0 || !isCall(parent.frame.steps[at].op)) throw new Error(`debug_arena[${i}]: a call frame whose caller made no call`);
        parent.frame.children.set(at, frame);
      } else root = frame;
      open.push({ frame, lastCall: -1 });
    } else {
      frame = open.at(-1)!.frame;
      if (node.address.toLowerCase() !== frame.address) throw new Error(`debug_arena[${i}]: continues ${frame.address} with ${node.address}`);
    }
    for (const s of node.steps) {
      frame.steps.push({
        pc: s.pc,
        op: s.op,
        stack: s.stack,
        memory: s.memory ?? "0x",
        remaining: BigInt(s.gas_remaining),
        cost: Number(s.gas_cost),
        refund: s.gas_refund_counter ?? 0,
        status: s.status ?? null,
      });
    }
    const top = open.at(-1)!;
    const last = node.steps.at(-1)!;
    if (last.status !== null && last.status !== undefined) {
      const end = frame.steps.at(-1)!;
      frame.spent = Number(frame.gasLimit - (end.remaining - BigInt(end.cost)));
      open.pop();
    } else top.lastCall = frame.steps.length - 1;
  }
  if (!root) throw new Error("debug_arena has no steps");
  return root;
}

/** The gas step `i` of `f` costs (for a CALL-family step: its own cost plus all its callee spent). */
export function stepGas(f: Frame, i: number): number {
  const s = f.steps[i];
  const next = f.steps[i + 1];
  return next ? Number(s.remaining - next.remaining) : s.cost;
}

/** The address a CALL-family step calls (the second stack item from the top). */
export function callTarget(s: Step): string {
  const a = s.stack.at(-2);
  if (a === undefined) throw new Error(`pc ${s.pc}: a call with a short stack`);
  return `0x${BigInt(a).toString(16).padStart(40, "0")}`;
}

/** The bytes a CALL-family step sends (from its memory), as hex without 0x. */
export function callInput(s: Step): string {
  const k = s.op === OP.CALL || s.op === OP.CALLCODE ? 4 : 3; // gas, to, [value,] offset, length
  const off = Number(BigInt(s.stack.at(-k) ?? "0"));
  const len = Number(BigInt(s.stack.at(-k - 1) ?? "0"));
  return s.memory.replace(/^0x/, "").slice(2 * off, 2 * (off + len)).padEnd(2 * len, "0");
}

/** Decodes `count` ABI-encoded strings (the arguments after a 4-byte selector). */
export function decodeStrings(input: string, count: number): string[] {
  const body = input.slice(8);
  const word = (at: number) => Number(BigInt(`0x${body.slice(2 * at, 2 * at + 64) || "0"}`));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const off = word(32 * i);
    const len = word(off);
    out.push(Buffer.from(body.slice(2 * (off + 32), 2 * (off + 32 + len)), "hex").toString("utf8"));
  }
  return out;
}

/** The measured call: the last call of the test frame before its `vm.snapshotGasLastCall`, and the snapshot's names. */
export interface Measured {
  frame: Frame;
  /** The snapshot group and name the cheatcode was given (group "" when the one-argument form was used). */
  group: string;
  name: string;
}

export function findMeasured(root: Frame): Measured {
  for (let i = 0; i < root.steps.length; i++) {
    const s = root.steps[i];
    if (!isCall(s.op) || s.op === OP.CREATE || s.op === OP.CREATE2 || callTarget(s) !== CHEATCODES) continue;
    const input = callInput(s);
    const args = SNAPSHOT_LAST_CALL[input.slice(0, 8)];
    if (args === undefined) continue;
    const strs = decodeStrings(input, args);
    for (let j = i - 1; j >= 0; j--) {
      const c = root.children.get(j);
      if (c && callTarget(root.steps[j]) !== CHEATCODES) return { frame: c, group: args === 2 ? strs[0] : "", name: strs.at(-1)! };
    }
    throw new Error(`snapshotGasLastCall("${strs.join('", "')}") with no call before it`);
  }
  throw new Error("the test makes no vm.snapshotGasLastCall");
}

// ------------------------------------------------------------------ attribution

/** What the breakdown knows of a contract, from its forge artifact. */
export interface ContractInfo {
  /** selector (8 hex digits) -> function signature. */
  methods: Record<string, string>;
}
export type ContractLookup = (name: string) => ContractInfo | undefined;

/** Strata contracts whose frames are opened when called (delegatecalled code and the measured call always are). */
export const EXPANDED: readonly string[] = ["StrataPool", "TrancheVault", "DutchAuctionLiquidator", "LoanLogic"];

export type Section = "entry" | "storage" | "transient" | "events" | "calls" | "compute";
export const SECTIONS: readonly Section[] = ["entry", "storage", "transient", "events", "calls", "compute"];

export interface Component {
  section: Section;
  label: string;
  gas: number;
  /** How many of it (storage operations, events, calls, proxies entered); 0 where counting means nothing. */
  count: number;
  /** Storage rows: the contract whose storage it is, and what was done to it. */
  contract?: string;
  storage?: StorageKind;
}

export type StorageKind = "SLOAD cold" | "SLOAD warm" | "SSTORE new slot" | "SSTORE update" | "SSTORE rewrite";
export const STORAGE_KINDS: readonly StorageKind[] = ["SLOAD cold", "SLOAD warm", "SSTORE new slot", "SSTORE update", "SSTORE rewrite"];

export interface Breakdown {
  group: string;
  name: string;
  /** The measured frame's spent gas, from the trace. */
  measured: number;
  /** The measured call: the contract behind it and its function. */
  call: string;
  components: Component[];
  /** The refund counter when the measured call returned (not subtracted from the figure). */
  refunds: number;
}

export const COMPUTE = "compute, memory, ABI";
export const PROXY_SLOT = "proxy entry: implementation slot (SLOAD)";
export const PROXY_ACCOUNT = "proxy entry: account access (call into it, delegatecall out)";
export const PROXY_CODE = "proxy entry: dispatch code (copies, return)";
export const STRATA_CALL = "call into another Strata contract (account access)";
export const EVENTS = "events (LOG0–LOG4)";
export const TRANSIENT = "transient storage (TLOAD/TSTORE)";
export const ACCOUNT = "account access (EXTCODESIZE/BALANCE, no call after)";

/** SSTORE's cost (EIP-2200/2929/3529, cancun) tells what it wrote: 0 -> x, an update of a clean slot, or the rest. */
export function sstoreKind(cost: number): StorageKind {
  const kind = SSTORE_COSTS[cost];
  if (!kind) throw new Error(`SSTORE costing ${cost} gas: not a cost the cancun schedule has`);
  return kind;
}
const SSTORE_COSTS: Readonly<Record<number, StorageKind>> = {
  20_000: "SSTORE new slot",
  22_100: "SSTORE new slot",
  2_900: "SSTORE update",
  5_000: "SSTORE update",
  100: "SSTORE rewrite",
  2_200: "SSTORE rewrite",
};

const STORAGE_TEXT: Readonly<Record<StorageKind, string>> = {
  "SLOAD cold": "SLOAD cold (2,100)",
  "SLOAD warm": "SLOAD warm (100)",
  "SSTORE new slot": "SSTORE new slot (0 → x: 20,000, +2,100 cold)",
  "SSTORE update": "SSTORE update (clean slot: 2,900, +2,100 cold)",
  "SSTORE rewrite": "SSTORE dirty or unchanged (100, +2,100 cold)",
};
export const storageLabel = (contract: string, kind: StorageKind): string => `${contract}: ${STORAGE_TEXT[kind]}`;

/** Attributes every unit of gas of the measured frame to a component; the components sum to `measured`. */
export function attribute(trace: Trace, lookup: ContractLookup, m: Measured = findMeasured(trace.root)): Breakdown {
  const { names } = trace;
  const implOf = new Map<string, string>(); // proxy address -> implementation address
  const scan = (f: Frame) => {
    for (const [i, c] of f.children) {
      if (c.kind === "DELEGATECALL" && isProxyName(names[f.address]) && f.steps[i].op === OP.DELEGATECALL) implOf.set(f.address, c.address);
      scan(c);
    }
  };
  scan(trace.root);
  const logical = (a: string) => names[implOf.get(a) ?? a] ?? names[a] ?? a;
  // Two proxies of the same implementation (senior and junior vault) are told apart by address.
  const storageNames = new Map<string, string>();
  const storageName = (a: string) => {
    if (!storageNames.has(a)) {
      const n = logical(a);
      const taken = [...storageNames.values()].includes(n);
      storageNames.set(a, taken ? `${n} at ${a.slice(0, 8)}` : n);
    }
    return storageNames.get(a)!;
  };

  const acc = new Map<string, Component>();
  const add = (section: Section, label: string, gas: number, count = 0, extra: Partial<Component> = {}) => {
    const c = acc.get(label) ?? { section, label, gas: 0, count: 0, ...extra };
    c.gas += gas;
    c.count += count;
    acc.set(label, c);
  };
  const fnName = (contract: string, calldata: string) => {
    const sel = calldata.replace(/^0x/, "").slice(0, 8);
    const sig = lookup(contract)?.methods[sel];
    return sig ? sig.slice(0, sig.indexOf("(")) : `0x${sel}`;
  };
  const tokenKind = (contract: string): string | undefined => {
    const sigs = Object.values(lookup(contract)?.methods ?? {});
    if (sigs.includes("ownerOf(uint256)")) return "ERC-721";
    if (sigs.includes("decimals()") && sigs.includes("transfer(address,uint256)")) return "ERC-20";
    return undefined;
  };
  // The label of a call that is not opened: tokens by standard, others by contract, with what they call in turn.
  const collapsedLabel = (c: Frame): string => {
    const who = logical(c.address);
    const kind = tokenKind(who);
    if (kind) return `${kind} ${fnName(who, c.calldata)}`;
    const inner = new Set<string>();
    const visit = (f: Frame) => {
      for (const [, g] of f.children) {
        const n = logical(g.address);
        if (g.kind !== "DELEGATECALL" && n !== who) inner.add(n);
        visit(g);
      }
    };
    visit(c);
    return `${who}.${fnName(who, c.calldata)}${inner.size ? ` → ${[...inner].join(", ")}` : ""}`;
  };
  const expandedCallee = (c: Frame) => c.kind === "DELEGATECALL" || c.kind === "CALLCODE" || EXPANDED.includes(logical(c.address));

  const walk = (f: Frame) => {
    const proxy = isProxyName(names[f.address]) && implOf.has(f.address);
    const pending: { address: string; gas: number }[] = []; // account access waiting for the call it prepares
    for (let i = 0; i < f.steps.length; i++) {
      const s = f.steps[i];
      const gas = stepGas(f, i);
      if (isCall(s.op)) {
        const child = f.children.get(i);
        const own = gas - (child?.spent ?? 0);
        if (own < 0) throw new Error(`pc ${s.pc} of ${f.address}: a call whose callee spent more than the call cost`);
        const create = s.op === OP.CREATE || s.op === OP.CREATE2;
        const target = create ? (child?.address ?? "") : callTarget(s);
        // An EXTCODESIZE (Solidity's check before a call that returns nothing) belongs to the call it prepares.
        let prep = 0;
        for (let k = pending.length - 1; k >= 0; k--) if (pending[k].address === target) prep += pending.splice(k, 1)[0].gas;
        let label: string;
        let section: Section = "calls";
        if (create) label = `create ${child ? logical(child.address) : ""}`.trim();
        else if (!child) label = BigInt(target) < 0x100n ? `precompile ${BigInt(target)}` : `call to ${names[target] ?? target} (no code ran)`;
        else if (proxy) {
          section = "entry";
          label = PROXY_ACCOUNT;
        } else if (expandedCallee(child)) {
          section = "entry";
          if (child.kind === "DELEGATECALL" || child.kind === "CALLCODE") label = `library delegatecall (${logical(child.address)})`;
          else label = implOf.has(child.address) ? PROXY_ACCOUNT : STRATA_CALL;
        } else label = collapsedLabel(child);
        const opens = child !== undefined && !create && (proxy || expandedCallee(child));
        // A proxy counts once (its implementation slot read), a library or another contract one per call.
        const counted = label === PROXY_ACCOUNT ? 0 : 1;
        add(section, label, own + prep + (opens ? 0 : (child?.spent ?? 0)), counted);
        if (opens) walk(child!);
        continue;
      }
      if (proxy) {
        if (s.op === OP.SLOAD) add("entry", PROXY_SLOT, gas, 1);
        else add("entry", PROXY_CODE, gas);
        continue;
      }
      if (s.op === OP.SLOAD || s.op === OP.SSTORE) {
        const contract = storageName(f.storage);
        const kind = s.op === OP.SSTORE ? sstoreKind(gas) : gas >= 2_100 ? "SLOAD cold" : "SLOAD warm";
        add("storage", storageLabel(contract, kind), gas, 1, { contract, storage: kind });
      } else if (s.op === OP.TLOAD || s.op === OP.TSTORE) add("transient", TRANSIENT, gas, 1);
      else if (s.op >= OP.LOG0 && s.op <= OP.LOG4) add("events", EVENTS, gas, 1);
      else if (ACCOUNT_OPS.has(s.op)) pending.push({ address: `0x${BigInt(s.stack.at(-1) ?? "0").toString(16).padStart(40, "0")}`, gas });
      else add("compute", COMPUTE, gas);
    }
    for (const p of pending) add("compute", ACCOUNT, p.gas, 1);
  };
  walk(m.frame);

  const found = [...acc.values()].filter((c) => c.gas !== 0 || c.count !== 0);
  const components = orderComponents([found]).map((r) => acc.get(r.label)!);
  const entry = logical(m.frame.address);
  return {
    group: m.group,
    name: m.name,
    measured: m.frame.spent,
    call: `${entry}.${fnName(entry, m.frame.calldata)}`,
    components,
    refunds: m.frame.steps.at(-1)?.refund ?? 0,
  };
}

const isProxyName = (n: string | undefined): boolean => n !== undefined && /Proxy$/.test(n);

/** Sum of the components (equals `measured` when the attribution is complete). */
export const total = (b: Pick<Breakdown, "components">): number => b.components.reduce((t, c) => t + c.gas, 0);

// ------------------------------------------------------------------ text

/**
 * Rounds each figure to `unit` so that the rounded figures add up to the rounded total (largest remainder), so a
 * printed column sums to its printed total.
 */
export function roundToSum(values: readonly number[], unit: number): number[] {
  const sum = values.reduce((t, v) => t + v, 0);
  const target = Math.round(sum / unit);
  const floors = values.map((v) => Math.floor(v / unit));
  let left = target - floors.reduce((t, v) => t + v, 0);
  const order = values.map((v, i) => [v / unit - floors[i], i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const out = [...floors];
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] += 1;
    left -= 1;
  }
  return out;
}

/**
 * The order of the rows of one or more breakdowns: by section; the proxy entry first in its section; storage by
 * contract (in the order the contracts first appear), then by what was done (STORAGE_KINDS); the rest in the order
 * they first appear.
 */
export function orderComponents(lists: readonly (readonly Component[])[]): { section: Section; label: string }[] {
  const first = new Map<string, Component>();
  for (const l of lists) for (const c of l) if (!first.has(c.label)) first.set(c.label, c);
  const all = [...first.values()];
  const contracts = [...new Set(all.map((c) => c.contract).filter((c): c is string => c !== undefined))];
  const entry = [PROXY_SLOT, PROXY_ACCOUNT, PROXY_CODE, STRATA_CALL];
  const key = (c: Component, i: number): number[] => {
    const s = SECTIONS.indexOf(c.section);
    if (c.storage && c.contract !== undefined) return [s, contracts.indexOf(c.contract), STORAGE_KINDS.indexOf(c.storage)];
    if (c.section === "entry" && entry.includes(c.label)) return [s, entry.indexOf(c.label), 0];
    return [s, entry.length + i, 0];
  };
  const keyed = all.map((c, i) => ({ c, k: key(c, i) }));
  keyed.sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2]);
  return keyed.map(({ c }) => ({ section: c.section, label: c.label }));
}

/** One breakdown to show, with the figures it is checked against. */
export interface BreakdownColumn {
  operation: string;
  breakdown: Breakdown;
  /** The committed figure (snapshots/<group>.json), null when there is none. */
  snapshot: number | null;
  /** The SPEC §10.3 target in gas, null when the SPEC sets none. */
  target?: number | null;
}

/** The rows of the table: every component of any column. */
export const tableRows = (cols: readonly BreakdownColumn[]): { section: Section; label: string }[] =>
  orderComponents(cols.map((c) => c.breakdown.components));

const k1 = (tenths: number): string => (tenths / 10).toFixed(1);
const kGas = (gas: number): string => k1(Math.round(gas / 100));
const int = (n: number): string => n.toLocaleString("en-US");
const signed = (n: number): string => (n > 0 ? `+${int(n)}` : n < 0 ? `−${int(-n)}` : "0");
const COUNTED: ReadonlySet<Section> = new Set(["entry", "storage", "events", "transient", "calls"]);

/**
 * The human table: components x operations, thousands of gas with one decimal, rounded so that each column adds up to
 * its total row; below it the exact sum, the committed figure and their difference, and the SPEC §10.3 target.
 */
export function formatBreakdown(cols: readonly BreakdownColumn[]): string {
  const rows = tableRows(cols);
  const cells = cols.map((c) => {
    const byLabel = new Map(c.breakdown.components.map((x) => [x.label, x]));
    const tenths = roundToSum(rows.map((r) => byLabel.get(r.label)?.gas ?? 0), 100);
    return rows.map((r, i) => {
      const x = byLabel.get(r.label);
      if (!x) return "";
      return `${k1(tenths[i])}${COUNTED.has(r.section) && x.count > 0 ? ` (${x.count})` : ""}`;
    });
  });
  const body = rows.map((r, i) => [r.label, ...cols.map((_, j) => cells[j][i])]);
  const line = (label: string, f: (c: BreakdownColumn) => string) => body.push([label, ...cols.map(f)]);
  line("total (thousands)", (c) => kGas(total(c.breakdown)));
  line("sum of the components, gas", (c) => int(total(c.breakdown)));
  line("snapshots/<group>.json, gas", (c) => (c.snapshot === null ? "—" : int(c.snapshot)));
  line("sum − snapshot", (c) => (c.snapshot === null ? "—" : signed(total(c.breakdown) - c.snapshot)));
  if (cols.some((c) => c.target !== undefined && c.target !== null)) {
    line("target (SPEC §10.3, thousands)", (c) => (c.target == null ? "—" : kGas(c.target)));
    line("over the target (thousands)", (c) => (c.target == null ? "—" : total(c.breakdown) > c.target ? kGas(total(c.breakdown) - c.target) : "met"));
  }
  return textTable(["component (thousands of gas; (n) = how many)", ...cols.map((c) => c.operation)], body);
}

/**
 * The targets of SPEC §10.3's table (`| \`name\` | ceiling | target |`), in gas: a figure ("155,000", "85,000 (met)")
 * or another operation plus a figure ("\`borrow\` + 150,000", resolved with `figures`); none for "—".
 */
export function specTargets(spec: string, figures: Readonly<Record<string, number>>): Record<string, number> {
  const start = spec.search(/^### 10\.3/m);
  if (start < 0) return {};
  const body = spec.indexOf("\n", start) + 1;
  const end = spec.slice(body).search(/^#{1,3} /m);
  const section = spec.slice(body, end < 0 ? undefined : body + end);
  const out: Record<string, number> = {};
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const name = /^`([a-z0-9_]+)`/.exec(cells[1] ?? "")?.[1];
    const target = cells[3];
    if (!name || !target) continue;
    const plus = /^`([a-z0-9_]+)`\s*\+\s*([\d,]+)/.exec(target);
    const plain = /^([\d,]+)/.exec(target);
    if (plus && figures[plus[1]] !== undefined) out[name] = figures[plus[1]] + Number(plus[2].replace(/,/g, ""));
    else if (plain) out[name] = Number(plain[1].replace(/,/g, ""));
  }
  return out;
}

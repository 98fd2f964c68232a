// The logic of `npm run bench:gas` (tools/bench/gas.ts), kept free of I/O so that tools/bench/gas.test.ts can test it:
// the SPEC §10 operation names read from docs/SPEC.md, the cold/warm pairing, the peer figures and their ratios, the
// scale spread and its 1 % bound, and the text tables.

/** One group of figures, as forge writes it to snapshots/<group>.json (values are decimal strings). */
export type Snapshot = Record<string, string>;
export type Snapshots = Record<string, Snapshot>;

/** A peer figure: where it comes from and what exactly was measured. */
export interface PeerFigure {
  peer: string;
  operation: string;
  gas: number;
  basis: string;
  source: string;
}

const METASTREET_SOURCE =
  "MetaStreet v2 at commit 71e7ec4, measured on this kind of machine with the same method as ours " +
  "(vm.snapshotGasLastCall, execution gas, warm state, 1 tick); figures quoted in issue #16";

/** MetaStreet v2 (commit 71e7ec4), by the Strata operation each one is compared with. Quoted, not measured here. */
export const METASTREET: Readonly<Record<string, readonly PeerFigure[]>> = {
  deposit: [m("deposit", 71_129, "deposit into a tick where the caller already has a deposit")],
  borrow: [m("borrow", 137_121, "borrow against 1 NFT from 1 tick"), m("borrow", 319_367, "borrow against 1 NFT from 10 ticks")],
  repay: [m("repay", 106_360, "repay a 1-tick loan"), m("repay", 315_072, "repay a 10-tick loan")],
  liquidate: [m("liquidate", 225_105, "liquidate into an English auction")],
  request_redeem: [m("redeem", 91_768, "redeem: queue only (the request)")],
  claim: [m("withdraw", 52_922, "withdraw after the redemption is filled")],
};

function m(operation: string, gas: number, basis: string): PeerFigure {
  return { peer: "MetaStreet v2", operation, gas, basis, source: METASTREET_SOURCE };
}

const GONDI_SOURCE = "Gondi v3's own gas report, as quoted in issue #30 (not measured here)";

/** Gondi v3, by the Strata operation each one is compared with. Quoted from its own report, not measured here. */
export const GONDI: Readonly<Record<string, readonly PeerFigure[]>> = {
  deposit: [g("deposit", 105_830, "deposit into a lending pool")],
  borrow: [g("borrow", 207_031, "emit a loan against 1 NFT")],
  repay: [g("repay", 97_431, "repay a loan")],
};

function g(operation: string, gas: number, basis: string): PeerFigure {
  return { peer: "Gondi v3", operation, gas, basis, source: GONDI_SOURCE };
}

/** The bare OpenZeppelin ERC-4626 figures (snapshots/peer.json, measured in the same forge run), by Strata operation. */
export const OZ_PEER: Readonly<Record<string, string>> = { deposit: "oz_erc4626_deposit", redeem: "oz_erc4626_redeem" };
export const OZ_SOURCE =
  "OpenZeppelin Contracts 5.7.0 ERC4626, no proxy, over the same asset, in the same forge run " +
  "(test/gas/PeerVaultGas.t.sol, snapshots/peer.json), same warm state and method as ours";

/** The suffix of a cold ("first") variant, by warm operation name; SPEC §10.1: a `_first` name is the cold case. */
export function coldName(warm: string, names: ReadonlySet<string>): string | undefined {
  for (const cand of [`${warm}_first`, `${warm}_first_in_collection`]) if (names.has(cand)) return cand;
  return undefined;
}

/**
 * The operation names of SPEC §10.2 for one snapshot file, in the order the SPEC lists them: every backticked
 * lower-case identifier of that table row (prefixes such as `junior_` and file names are skipped).
 */
export function specNames(spec: string, group: string): string[] {
  const start = spec.search(/^## 10\./m);
  if (start < 0) throw new Error("docs/SPEC.md has no section 10");
  const section = spec.slice(start);
  const row = section.split("\n").find((l) => l.startsWith("|") && l.includes(`snapshots/${group}.json`));
  if (!row) throw new Error(`SPEC section 10.2 has no row for snapshots/${group}.json`);
  const cells = row.split("|").slice(2).join("|");
  const names = [...cells.matchAll(/`([a-z][a-z0-9_]*)`/g)].map((x) => x[1]).filter((n) => !n.endsWith("_"));
  return [...new Set(names)];
}

/** One row of the operations table. */
export interface OperationRow {
  group: string;
  operation: string;
  warm: number | null;
  cold: number | null;
  coldName: string | null;
  /** In the SPEC's list but not in the snapshot (not measured by the gas tests). */
  missing: boolean;
  /** The warm figure at the revision compared with (`--before`), null without one or when it was not measured. */
  before: number | null;
  peers: { peer: string; basis: string; gas: number; ratio: number | null; source: string }[];
}

export function gasOf(s: Snapshot | undefined, name: string): number | null {
  const v = s?.[name];
  if (v === undefined) return null;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`snapshot value of ${name} is not a positive integer: ${v}`);
  return n;
}

/** Strata / peer, or null when Strata has no figure. */
export function ratio(strata: number | null, peer: number): number | null {
  return strata === null ? null : strata / peer;
}

/** The operations table: the SPEC's names of each group plus any other measured name, cold variants folded in. */
export function operationRows(snaps: Snapshots, spec: string, groups = ["vault", "pool"], beforeSnaps?: Snapshots): OperationRow[] {
  const rows: OperationRow[] = [];
  for (const group of groups) {
    const snap = snaps[group] ?? {};
    const listed = specNames(spec, group);
    const all = [...listed, ...Object.keys(snap).filter((k) => !listed.includes(k)).sort()];
    const names = new Set(all);
    const colds = new Set(all.map((n) => coldName(n, names)).filter((n): n is string => n !== undefined));
    for (const op of all) {
      if (colds.has(op)) continue;
      const cold = coldName(op, names) ?? null;
      const warm = gasOf(snap, op);
      const peers: OperationRow["peers"] = [];
      for (const p of [...(METASTREET[op] ?? []), ...(GONDI[op] ?? [])]) peers.push({ peer: p.peer, basis: p.basis, gas: p.gas, ratio: ratio(warm, p.gas), source: p.source });
      const oz = OZ_PEER[op];
      const ozGas = oz ? gasOf(snaps.peer, oz) : null;
      if (oz && ozGas !== null) peers.push({ peer: "OZ ERC-4626 (bare)", basis: `${oz.replace("oz_erc4626_", "")}, same run`, gas: ozGas, ratio: ratio(warm, ozGas), source: OZ_SOURCE });
      const before = beforeSnaps ? gasOf(beforeSnaps[group], op) : null;
      rows.push({ group, operation: op, warm, cold: cold ? gasOf(snap, cold) : null, coldName: cold, missing: warm === null, before, peers });
    }
  }
  return rows;
}

/** One operation across book sizes: figures by configuration label, and the spread (max - min) / min. */
export interface ScaleRow {
  operation: string;
  figures: Record<string, number>;
  spread: number;
  ok: boolean;
}

export const SCALE_BOUND = 0.01;

/** Parses scale.json names `<op>_with_<n>_loans` / `<op>_with_<n>_lenders` into rows, ordered by size. */
export function scaleRows(scale: Snapshot, bound = SCALE_BOUND): { columns: string[]; rows: ScaleRow[] } {
  const byOp = new Map<string, Map<string, number>>();
  const cols = new Map<string, number>(); // label -> sort key
  for (const [name, v] of Object.entries(scale)) {
    const hit = /^(.+)_with_(\d+)_(loans|lenders)$/.exec(name);
    if (!hit) throw new Error(`scale.json: unexpected name ${name}`);
    const [, op, n, what] = hit;
    const label = `${Number(n).toLocaleString("en-US")} ${what === "loans" ? (n === "1" ? "loan" : "loans") : "lenders"}`;
    cols.set(label, (what === "lenders" ? 1e12 : 0) + Number(n));
    if (!byOp.has(op)) byOp.set(op, new Map());
    byOp.get(op)!.set(label, gasOf(scale, name)!);
  }
  const columns = [...cols.entries()].sort((a, b) => a[1] - b[1]).map(([l]) => l);
  const rows = [...byOp.entries()].map(([operation, f]) => {
    const values = [...f.values()];
    const s = spread(values);
    return { operation, figures: Object.fromEntries(f), spread: s, ok: s <= bound };
  });
  return { columns, rows };
}

/** (max - min) / min of positive figures; 0 for fewer than two. */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (min <= 0) throw new Error("gas figures must be positive");
  return (max - min) / min;
}

// ------------------------------------------------------------------ text

export const int = (n: number | null): string => (n === null ? "—" : n.toLocaleString("en-US"));
export const times = (r: number | null): string => (r === null ? "—" : `${r.toFixed(2)}×`);
export const pct = (r: number): string => `${(r * 100).toFixed(2)} %`;

/** A plain Markdown-compatible table (pipes), right-aligning every column but the first and those in `left`. */
export function textTable(head: string[], body: string[][], left: readonly number[] = [0]): string {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const l = (i: number) => left.includes(i);
  const line = (r: string[]) => `| ${r.map((c, i) => (l(i) ? c.padEnd(w[i]) : c.padStart(w[i]))).join(" | ")} |`;
  const sep = `| ${w.map((x, i) => (l(i) ? "-".repeat(x) : `${"-".repeat(x - 1)}:`)).join(" | ")} |`;
  return [line(head), sep, ...body.map(line)].join("\n");
}

/** The change from `before` to `warm`, signed ("—" when either is missing). */
export function change(r: Pick<OperationRow, "before" | "warm">): string {
  if (r.before === null || r.warm === null) return "—";
  const d = r.warm - r.before;
  return `${d > 0 ? "+" : d < 0 ? "−" : "±"}${int(Math.abs(d))}`;
}

/** The operations table; with `before` figures (`--before <rev>`), two more columns: the figure then and the change. */
export function formatOperations(rows: OperationRow[], beforeLabel?: string): string {
  const withBefore = beforeLabel !== undefined;
  const body: string[][] = [];
  for (const r of rows) {
    const name = `${r.group}.${r.operation}${r.coldName ? ` (cold: ${r.coldName})` : ""}`;
    const strata = [...(withBefore ? [int(r.before), change(r)] : []), r.missing ? "not measured" : int(r.warm), r.coldName ? int(r.cold) : ""];
    const blank = strata.map(() => "");
    if (r.peers.length === 0) body.push([name, ...strata, "", "", ""]);
    r.peers.forEach((p, i) => body.push([i === 0 ? name : "", ...(i === 0 ? strata : blank), `${p.peer}: ${p.basis}`, int(p.gas), times(p.ratio)]));
  }
  const head = ["operation (SPEC §10)", ...(withBefore ? [`Strata at ${beforeLabel}`, "change"] : []), "Strata warm", "Strata cold", "peer: basis", "peer gas", "Strata / peer"];
  return textTable(head, body, [0, head.indexOf("peer: basis")]);
}

export function formatScale(s: { columns: string[]; rows: ScaleRow[] }, bound = SCALE_BOUND): string {
  const body = s.rows.map((r) => [r.operation, ...s.columns.map((c) => int(r.figures[c] ?? null)), pct(r.spread), r.ok ? "ok" : `> ${pct(bound)}`]);
  return textTable(["operation", ...s.columns, "spread", `within ${pct(bound)}`], body);
}

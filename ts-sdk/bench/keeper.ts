// Benchmark (issue #16, keeper speed): how long `Keeper.findLiquidatable()` takes on a 1,000- and a 10,000-loan book
// against anvil, and how many JSON-RPC calls it makes. Not a timed test: it prints figures, and exits 1 only when the
// returned set differs from the expected one.
//   npm run bench:keeper                     (sizes 1000,10000; 5 cold runs each)
//   npm run bench:keeper -- --json           (machine-readable)
//   npm run bench:keeper -- --sizes=2000 --runs=7
//
// Seeding uses only real transactions, each one as a user would send it (one mint, one borrow, one repay, one
// liquidation per transaction): they are queued in the node's pool with automine off (JSON-RPC batches of
// `eth_sendTransaction` from anvil's unlocked accounts) and mined together, which is what makes 10,000 borrows take
// seconds instead of minutes. No storage is written directly.
//
// The book (loan i = 1..N, the pool's own ids):
//   - i % 10 == 0: a 7-day loan, overdue after the 11-day warp (maturity + 3-day grace passed)   -> "overdue"
//     except i % 100 == 30 (repaid in full before the warp: LoanRepaid removes it from the book)
//     and    i % 200 == 40 (liquidated after the warp: LoanImpaired removes it)
//   - i % 50 == 7: a 30-day loan of 7,500 on collection 1 (floor 20,000, LTV 40 %); the floor is then pushed down 40 %
//     to 12,000, under which the liquidation threshold (60 %) is 7,200                                 -> "unhealthy"
//   - every other loan: 100 for 30 days (on collection 1 if i % 10 == 5, else collection 0), healthy at either floor.
// The expected set is derived from this plan alone (not from the SDK's math); a sample is also checked against
// `DutchAuctionLiquidator.isLiquidatable`.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider, type JsonRpcPayload, type JsonRpcResult, Wallet } from "ethers";
import { ANVIL_KEYS, startAnvil } from "../src/dev/anvil.ts";
import { Keeper } from "../src/clients/keeper.ts";
import { REPO_ROOT } from "../src/dev/artifacts.ts";
import type { Deployment } from "../src/chain/deployment.ts";
import { fetchActiveLoans, fetchLoans } from "../src/fetch/index.ts";
import { scanLiquidatable } from "../src/clients/keeper.ts";
import { LoanBook } from "../src/fetch/loan-book.ts";
import { hex, seedLoanBook } from "./loan-book-seed.ts";

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const JSON_OUT = argv.includes("--json");
const SIZES = opt("sizes", process.env.LOANS ?? "1000,10000").split(",").map(Number);
const RUNS = Number(opt("runs", "5"));
const CHUNK = Number(opt("chunk", "250"));
const say = (s: string) => {
  if (!JSON_OUT) process.stdout.write(`${s}\n`);
};

/**
 * A JsonRpcProvider that counts what reaches the node: JSON-RPC requests (by method) and HTTP round trips, both the
 * ones ethers sends and the raw ones the SDK sends over `fetch` to this provider's URL (ts-sdk/src/chain/rpc.ts).
 */
export class CountingProvider extends JsonRpcProvider {
  requests = 0;
  roundTrips = 0;
  readonly byMethod = new Map<string, number>();
  private readonly url: string;
  constructor(url: string, chainId: number, options: ConstructorParameters<typeof JsonRpcProvider>[2]) {
    super(url, chainId, options);
    this.url = url;
    counting.add(this);
  }
  count(payload: { method: string } | { method: string }[]): void {
    const list = Array.isArray(payload) ? payload : [payload];
    this.roundTrips++;
    this.requests += list.length;
    for (const p of list) this.byMethod.set(p.method, (this.byMethod.get(p.method) ?? 0) + 1);
  }
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    this.count(payload);
    return super._send(payload);
  }
  /** Counts a raw fetch to this provider's node. */
  sawFetch(url: string, body: string): void {
    if (url === this.url) this.count(JSON.parse(body) as { method: string });
  }
  reset(): void {
    this.requests = 0;
    this.roundTrips = 0;
    this.byMethod.clear();
  }
  override destroy(): void {
    counting.delete(this);
    super.destroy();
  }
}
const counting = new Set<CountingProvider>();
const realFetch = globalThis.fetch;
globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
  if (typeof init?.body === "string") for (const p of counting) p.sawFetch(String(input), init.body);
  return realFetch(input, init);
}) as typeof fetch;

/** Raw JSON-RPC over fetch, `calls` sent as batches of `size` (for seeding: faster than one promise per call). */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface SizeResult {
  loans: number;
  active: number;
  expected: number;
  overdue: number;
  unhealthy: number;
  setupSeconds: number;
  coldMs: number[];
  coldMedianMs: number;
  coldRequests: number;
  coldRoundTrips: number;
  coldByMethod: Record<string, number>;
  warmMedianMs: number;
  warmRequests: number;
  sameSet: boolean;
  verifiedOnChain: number;
}

async function benchSize(n: number): Promise<SizeResult> {
  const t0 = performance.now();
  const anvil = await startAnvil(["--gas-limit", "1000000000", "--disable-code-size-limit"]);
  const name = `test-bench-keeper-${randomBytes(3).toString("hex")}`;
  const step = (m: string) => process.env.VERBOSE && say(`  [${((performance.now() - t0) / 1000).toFixed(1)} s] ${m}`);
  try {
    const { d, provider, c, expected, active, ids } = await seedLoanBook(anvil, n, name, { chunk: CHUNK, step, say });
    const setupSeconds = (performance.now() - t0) / 1000;
    step(`setup done at block ${await provider.getBlockNumber()}`);

    if (process.env.PROFILE) await profile(anvil.url, d);
    // the measurement: a fresh provider and keeper per cold run (nothing cached), then resumed scans on the last one
    const cold: number[] = [];
    let counts = { requests: 0, roundTrips: 0, byMethod: {} as Record<string, number> };
    let sameSet = true;
    let last: { k: Keeper; p: CountingProvider } | null = null;
    for (let r = 0; r < RUNS; r++) {
      last?.p.destroy();
      const p = new CountingProvider(anvil.url, 31337, { staticNetwork: true });
      const k = await Keeper.connect(new Wallet(ANVIL_KEYS[8], p), d);
      p.reset();
      const s = performance.now();
      const found = await k.findLiquidatable();
      cold.push(performance.now() - s);
      counts = { requests: p.requests, roundTrips: p.roundTrips, byMethod: Object.fromEntries(p.byMethod) };
      const same = found.length === expected.size && found.every((x) => expected.get(x.loan.id) === x.liquidatable);
      if (!same) {
        const got = new Set(found.map((x) => x.loan.id));
        const missing = [...expected.keys()].filter((id) => !got.has(id)).slice(0, 5);
        const extra = found.filter((x) => expected.get(x.loan.id) !== x.liquidatable).slice(0, 5).map((x) => `${x.loan.id}:${x.liquidatable}`);
        say(`  MISMATCH at ${n} loans: ${found.length} found, ${expected.size} expected; missing ${missing.join(",")}; unexpected ${extra.join(",")}`);
      }
      sameSet &&= same;
      last = { k, p };
    }
    const warm: number[] = [];
    let warmRequests = 0;
    for (let r = 0; r < RUNS; r++) {
      last!.p.reset();
      const s = performance.now();
      const found = await last!.k.findLiquidatable();
      warm.push(performance.now() - s);
      warmRequests = last!.p.requests;
      sameSet &&= found.length === expected.size;
    }
    last!.p.destroy();
    // independent check: a sample of the expected ids, and of the others, against the liquidator's own rule
    const yes = [...expected.keys()].filter((_, j) => j % Math.ceil(expected.size / 20) === 0);
    const no = ids.map(BigInt).filter((id) => !expected.has(id)).filter((_, j) => j % Math.ceil(n / 20) === 0);
    const [okYes, okNo] = await Promise.all([Promise.all(yes.map((id) => c.liquidator.isLiquidatable(id))), Promise.all(no.map((id) => c.liquidator.isLiquidatable(id)))]);
    const onChain = okYes.every(Boolean) && !okNo.some(Boolean);
    if (!onChain) say(`  MISMATCH at ${n} loans: the liquidator disagrees with the plan on the sample`);
    provider.destroy();
    return {
      loans: n,
      active,
      expected: expected.size,
      overdue: [...expected.values()].filter((r) => r === "overdue").length,
      unhealthy: [...expected.values()].filter((r) => r === "unhealthy").length,
      setupSeconds,
      coldMs: cold,
      coldMedianMs: median(cold),
      coldRequests: counts.requests,
      coldRoundTrips: counts.roundTrips,
      coldByMethod: counts.byMethod,
      warmMedianMs: median(warm),
      warmRequests,
      sameSet: sameSet && onChain,
      verifiedOnChain: yes.length + no.length,
    };
  } finally {
    await anvil.stop();
    rmSync(join(REPO_ROOT, "deployments", `${name}.json`), { force: true });
  }
}

/** PROFILE=1: the scan's stages one by one (for finding what to speed up). */
async function profile(url: string, d: Deployment): Promise<void> {
  const p = new CountingProvider(url, 31337, { staticNetwork: true });
  const time = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    p.reset();
    const s = performance.now();
    const r = await f();
    say(`  profile: ${what}: ${(performance.now() - s).toFixed(0)} ms, ${p.requests} requests`);
    return r;
  };
  const head = await p.getBlockNumber();
  const book = new LoanBook(d.pool, 0);
  await time("events (LoanBook.sync)", () => book.sync(p, { toBlock: head }));
  await time("raw eth_getLogs, pool address only", () => p.send("eth_getLogs", [{ address: d.pool, fromBlock: "0x0", toBlock: hex(head) }]));
  await time("fetchLoans (storage)", () => fetchLoans(p, d, book.ids(), { blockTag: head, via: "storage" }));
  const snap = await time("fetchActiveLoans (storage snapshot)", () => fetchActiveLoans(p, d, { blockTag: head }));
  say(`  profile: snapshot has the book's ids: ${JSON.stringify(snap.map((l) => l.id.toString())) === JSON.stringify(book.ids().map(String))}`);
  await time("scanLiquidatable (events)", () => scanLiquidatable(p, d, { events: true }));
  await time("scanLiquidatable (snapshot)", () => scanLiquidatable(p, d));
  await time("fetchLoans (pool multicall)", () => fetchLoans(p, d, book.ids(), { blockTag: head, via: "multicall" }));
  p.destroy();
}

const results: SizeResult[] = [];
for (const n of SIZES) {
  say(`seeding ${n} loans ...`);
  results.push(await benchSize(n));
}
if (JSON_OUT) {
  process.stdout.write(`${JSON.stringify({ runs: RUNS, results }, null, 2)}\n`);
} else {
  const rows = [
    ["loans", "active", "liquidatable (overdue+unhealthy)", `cold median of ${RUNS}`, "cold runs (ms)", "RPC requests (HTTP round trips)", "resumed median", "same set"],
    ...results.map((r) => [
      String(r.loans),
      String(r.active),
      `${r.expected} (${r.overdue}+${r.unhealthy})`,
      `${r.coldMedianMs.toFixed(0)} ms`,
      r.coldMs.map((x) => x.toFixed(0)).join(" "),
      `${r.coldRequests} (${r.coldRoundTrips})`,
      `${r.warmMedianMs.toFixed(0)} ms (${r.warmRequests} req)`,
      r.sameSet ? "yes" : "NO",
    ]),
  ];
  const w = rows[0].map((_, j) => Math.max(...rows.map((row) => row[j].length)));
  for (const [j, row] of rows.entries()) {
    say(`| ${row.map((x, k) => x.padEnd(w[k])).join(" | ")} |`);
    if (j === 0) say(`| ${w.map((x) => "-".repeat(x)).join(" | ")} |`);
  }
  for (const r of results) say(`  ${r.loans}: setup ${r.setupSeconds.toFixed(1)} s; cold calls by method ${JSON.stringify(r.coldByMethod)}`);
}
if (!results.every((r) => r.sameSet)) process.exitCode = 1;

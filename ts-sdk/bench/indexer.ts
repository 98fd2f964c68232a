// Benchmark (issue #31, the indexer): from an empty database, how long the indexer (indexer/, Ponder) takes to index
// `npm start`'s simulated year and the keeper benchmark's 10,000-loan book, on PGlite and on PostgreSQL side by side;
// how long the app's history queries take (the chart's points, a lender's history, a loan's timeline); and the
// chart's load time on the 10,000-loan book from the indexer against today's node reads (fetchSharePriceHistory), in
// one run. Prints a table; `--write` puts it into docs/BENCHMARKS.md (between the indexer markers).
//   npm run bench:indexer                   (the year and 10,000 loans)
//   npm run bench:indexer -- --loans=2000 --runs=5 [--book-only | --year-only] [--write]
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { type Anvil, startAnvil } from "../src/dev/anvil.ts";
import { REPO_ROOT } from "../src/dev/artifacts.ts";
import { type RunningIndexer, startIndexer } from "../src/dev/indexer.ts";
import { postgresBinDir, startPostgres } from "../src/dev/postgres.ts";
import type { Deployment } from "../src/chain/deployment.ts";
import { runYear } from "../src/demo/year.ts";
import { fetchSharePriceHistory } from "../src/fetch/views.ts";
import { fetchHistory, fetchLenderHistory, fetchLoanHistory } from "../src/history/index.ts";
import { seedLoanBook } from "./loan-book-seed.ts";

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const LOANS = Number(opt("loans", "10000"));
const RUNS = Number(opt("runs", "10"));
const WRITE = argv.includes("--write");
const say = (s: string) => process.stdout.write(`${s}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
async function timeMedian(f: () => Promise<unknown>, runs = RUNS): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

interface Case {
  name: string;
  blocks: number;
  events: number;
  snapshots: number;
  pgliteSeconds: number;
  postgresSeconds: number | null;
  queries: Record<string, number>;
  chartNodeMs?: number;
  chartIndexerMs?: number;
}

/** Indexes the chain from an empty database on PGlite (kept running) and PostgreSQL (stopped); returns both times. */
async function indexBoth(anvil: Anvil, d: Deployment, head: number): Promise<{ indexer: RunningIndexer; pglite: number; postgres: number | null }> {
  let t = performance.now();
  const indexer = await startIndexer({ deployment: d, rpcUrl: anvil.url, readyTimeoutMs: 1_800_000 });
  await indexer.waitForBlock(head, 600_000);
  const pglite = (performance.now() - t) / 1000;
  say(`  PGlite: ${pglite.toFixed(1)} s`);
  let postgres: number | null = null;
  if (postgresBinDir()) {
    const pg = await startPostgres();
    try {
      t = performance.now();
      const onPg = await startIndexer({ deployment: d, rpcUrl: anvil.url, databaseUrl: pg.url, readyTimeoutMs: 1_800_000 });
      await onPg.waitForBlock(head, 600_000);
      postgres = (performance.now() - t) / 1000;
      await onPg.stop();
      say(`  PostgreSQL: ${postgres.toFixed(1)} s`);
    } finally {
      pg.stop();
    }
  } else say("  PostgreSQL: not installed (apt-get install -y postgresql): skipped");
  return { indexer, pglite, postgres };
}

async function counts(url: string): Promise<{ snapshots: number }> {
  const r = (await (await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ poolSnapshots { totalCount } }" }) })).json()) as {
    data: { poolSnapshots: { totalCount: number } };
  };
  return { snapshots: r.data.poolSnapshots.totalCount };
}

async function chainFigures(provider: JsonRpcProvider, d: Deployment, head: number): Promise<{ events: number }> {
  const logs = await provider.getLogs({ address: [d.pool, d.seniorVault, d.juniorVault, d.liquidator, d.registry, d.oracle, d.timelock], fromBlock: 0, toBlock: head });
  return { events: logs.length };
}

async function yearCase(): Promise<Case> {
  say("the simulated year (npm start's) ...");
  const anvil = await startAnvil();
  const out = mkdtempSync(join(tmpdir(), "strata-bench-indexer-"));
  const name = `test-bench-indexer-${randomBytes(3).toString("hex")}`;
  try {
    const d = await runYear({ keep: false, weeks: 52, outDir: out, json: false, node: anvil, name, quiet: true });
    const provider = new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true });
    const head = await provider.getBlockNumber();
    const { indexer, pglite, postgres } = await indexBoth(anvil, d, head);
    try {
      const o = { url: indexer.url };
      const junior = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"; // anvil #5, the demo's junior lender
      const queries = {
        chart: await timeMedian(() => fetchHistory(o, { maxPoints: 60 })),
        lender: await timeMedian(() => fetchLenderHistory(o, junior)),
        loan: await timeMedian(() => fetchLoanHistory(o, 1n)),
      };
      const chartNodeMs = await timeMedian(() => fetchSharePriceHistory(new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true }), d, { maxPoints: 60 }), 3);
      return { name: "simulated year", blocks: head, ...(await chainFigures(provider, d, head)), ...(await counts(indexer.url)), pgliteSeconds: pglite, postgresSeconds: postgres, queries, chartNodeMs, chartIndexerMs: queries.chart };
    } finally {
      await indexer.stop();
      provider.destroy();
    }
  } finally {
    await anvil.stop();
    rmSync(out, { recursive: true, force: true });
    rmSync(join(REPO_ROOT, "deployments", `${name}.json`), { force: true });
  }
}

async function bookCase(n: number): Promise<Case> {
  say(`the ${n.toLocaleString("en-US")}-loan book (bench:keeper's) ...`);
  const anvil = await startAnvil(["--gas-limit", "1000000000", "--disable-code-size-limit"]);
  const name = `test-bench-indexer-${randomBytes(3).toString("hex")}`;
  try {
    const t0 = performance.now();
    const { d, provider } = await seedLoanBook(anvil, n, name);
    const head = await provider.getBlockNumber();
    say(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (${head} blocks)`);
    const { indexer, pglite, postgres } = await indexBoth(anvil, d, head);
    try {
      const o = { url: indexer.url };
      const borrowerLender = (await provider.send("eth_accounts", []))[5] as string; // the book's lender (anvil #5)
      const queries = {
        chart: await timeMedian(() => fetchHistory(o, { maxPoints: 60 })),
        lender: await timeMedian(() => fetchLenderHistory(o, borrowerLender)),
        loan: await timeMedian(() => fetchLoanHistory(o, BigInt(Math.floor(n / 2)))),
      };
      // the chart: a cold browser-like load from the node (today's path) against the indexer, in this run
      const chartNodeMs = await timeMedian(() => fetchSharePriceHistory(new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true }), d, { maxPoints: 60 }), 3);
      return { name: `${n.toLocaleString("en-US")}-loan book`, blocks: head, ...(await chainFigures(provider, d, head)), ...(await counts(indexer.url)), pgliteSeconds: pglite, postgresSeconds: postgres, queries, chartNodeMs, chartIndexerMs: queries.chart };
    } finally {
      await indexer.stop();
      provider.destroy();
    }
  } finally {
    await anvil.stop();
    rmSync(join(REPO_ROOT, "deployments", `${name}.json`), { force: true });
  }
}

const cases = [...(argv.includes("--book-only") ? [] : [await yearCase()]), ...(argv.includes("--year-only") ? [] : [await bookCase(LOANS)])];
const ms = (x: number | undefined) => (x === undefined ? "-" : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
const rows = [
  ["chain", "blocks", "events", "snapshots", "index from empty: PGlite", "PostgreSQL", "chart (60 pts): indexer", "chart: node reads", "lender history", "loan timeline"],
  ...cases.map((c) => [
    c.name,
    c.blocks.toLocaleString("en-US"),
    c.events.toLocaleString("en-US"),
    c.snapshots.toLocaleString("en-US"),
    `${c.pgliteSeconds.toFixed(1)} s`,
    c.postgresSeconds === null ? "n/a" : `${c.postgresSeconds.toFixed(1)} s`,
    ms(c.chartIndexerMs),
    ms(c.chartNodeMs),
    ms(c.queries.lender),
    ms(c.queries.loan),
  ]),
];
const w = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
const lines = rows.flatMap((r, j) => [`| ${r.map((x, k) => x.padEnd(w[k])).join(" | ")} |`, ...(j === 0 ? [`| ${w.map((x) => "-".repeat(x)).join(" | ")} |`] : [])]);
say("");
for (const l of lines) say(l);
say(`(history queries: median of ${RUNS}; node-read chart: median of 3 cold loads; ${new Date().toISOString().slice(0, 10)}, ${(await import("node:os")).cpus().length} cores)`);
if (WRITE) {
  const file = join(REPO_ROOT, "docs", "BENCHMARKS.md");
  const doc = readFileSync(file, "utf8");
  const start = "<!-- bench:indexer start -->";
  const end = "<!-- bench:indexer end -->";
  const block = `${start}\n${lines.join("\n")}\n\nMeasured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:indexer\` on ${(await import("node:os")).cpus().length} cores (history queries: median of ${RUNS}; node-read chart: median of 3 cold loads).\n${end}`;
  if (!doc.includes(start)) throw new Error(`docs/BENCHMARKS.md has no ${start} marker`);
  writeFileSync(file, doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block));
  say("wrote docs/BENCHMARKS.md");
}

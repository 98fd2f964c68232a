// The indexer (indexer/, Ponder on its embedded PGlite) after `npm start`'s simulated year (issue #31): every pool
// snapshot equals the contracts' views read at its block, one snapshot per pool, vault and liquidator event from
// the first deposit on; each lender's P&L equals its deposits, exits and position value from the chain; loans,
// collections and governance agree with the chain; the SDK's history client and Ponder's GraphQL answer.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Interface, JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Anvil, freePort, startAnvil } from "../src/dev/anvil.ts";
import { type RunningIndexer, startIndexer } from "../src/dev/indexer.ts";
import { type LocalPostgres, postgresBinDir, startPostgres } from "../src/dev/postgres.ts";
import type { Deployment } from "../src/chain/deployment.ts";
import { poolAt } from "../src/chain/contracts.ts";
import { runYear } from "../src/demo/year.ts";
import { fetchLoanHistory, fetchHistory, fetchLenderHistory, IndexerError, thinIndices } from "../src/history/index.ts";
import { StrataPoolAbi, TrancheVaultAbi } from "../src/generated/abis.ts";
import { compareLenders, compareSnapshots } from "./indexer-checks.ts";
import { cli, errorLine } from "./cli-helpers.ts";

const POOL = new Interface(StrataPoolAbi as never);
const VAULT = new Interface(TrancheVaultAbi as never);

// PostgreSQL must be there in CI (.ci/run installs Debian's package): a missing one fails the test there. On a
// developer's machine without it the PostgreSQL case is skipped with a warning (tools/pg-local.sh says how to
// install it); STRATA_REQUIRE_POSTGRES=1 makes it fail there too.
const PG_BIN = postgresBinDir();
const PG_REQUIRED = process.env.CI !== undefined || process.env.STRATA_REQUIRE_POSTGRES === "1";
if (!PG_BIN && !PG_REQUIRED) {
  process.stderr.write("\n*** indexer.test.ts: PostgreSQL is not installed: the indexer-on-PostgreSQL case is SKIPPED (apt-get install -y postgresql; required in CI) ***\n\n");
}

describe("indexer after the simulated year (PGlite, then PostgreSQL)", () => {
  let anvil: Anvil;
  let provider: JsonRpcProvider;
  let d: Deployment;
  let indexer: RunningIndexer;
  let head: number;
  let out: string;
  let indexMs: number;
  let pg: LocalPostgres | undefined;
  let pgIndexer: RunningIndexer | undefined;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "strata-indexer-year-"));
    anvil = await startAnvil();
    d = await runYear({ keep: false, weeks: 52, outDir: out, json: false, node: anvil, name: "test-indexer-year", quiet: true });
    provider = new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true, batchMaxCount: 50 });
    head = await provider.getBlockNumber();
    const t0 = Date.now();
    indexer = await startIndexer({ deployment: d, rpcUrl: anvil.url });
    await indexer.waitForBlock(head);
    indexMs = Date.now() - t0;
  }, 240_000);

  afterAll(async () => {
    await pgIndexer?.stop();
    pg?.stop();
    await indexer?.stop();
    provider?.destroy();
    await anvil?.stop();
    rmSync(out, { recursive: true, force: true });
    rmSync(join(process.cwd(), "deployments", "test-indexer-year.json"), { force: true });
  });

  it("indexes the year from an empty database in well under a minute", () => {
    expect(indexMs).toBeLessThan(60_000);
  });

  it("has one snapshot per pool, vault and liquidator event, each equal to the chain's views at its block", async () => {
    const { points, mismatches } = await compareSnapshots(provider, d, { url: indexer.url }, head);
    expect(points.length).toBeGreaterThan(100);
    expect(mismatches).toEqual([]);
    // the year's crash shows: a realised loss, and the junior took it
    const last = points[points.length - 1];
    expect(last.cumulativeLoss).toBeGreaterThan(0n);
    expect(points.some((p) => p.event === "LiquidationSettled")).toBe(true);
  }, 120_000);

  it("gives each lender a P&L equal to its deposits, exits and position value from the chain", async () => {
    const deposits = await provider.getLogs({ address: [d.seniorVault, d.juniorVault], topics: [VAULT.getEvent("Deposit")!.topicHash], fromBlock: 0, toBlock: head });
    const lenders = [...new Set(deposits.map((l) => (VAULT.parseLog({ topics: [...l.topics], data: l.data })!.args.owner as string).toLowerCase()))];
    expect(lenders.length).toBeGreaterThanOrEqual(3);
    const { checked, mismatches } = await compareLenders(provider, d, { url: indexer.url }, lenders);
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(3);
    // the junior lender exited through the queue: a request, its service and its claim, with the notice recorded
    const junior = (await Promise.all(lenders.map((a) => fetchLenderHistory({ url: indexer.url }, a)))).find((h) => h.tranches.some((t) => t.tranche === "junior"))!;
    expect(junior.flows.map((f) => f.kind)).toEqual(expect.arrayContaining(["deposit", "request", "served", "claim"]));
    const j = junior.tranches.find((t) => t.tranche === "junior")!;
    expect(j.pnl.realisedApy).not.toBeNull();
    expect(Number.isFinite(j.pnl.realisedApy!)).toBe(true);
  }, 120_000);

  it("records every loan with its terms and an outcome matching the chain's loan record", async () => {
    const originated = await provider.getLogs({ address: d.pool, topics: [POOL.getEvent("LoanOriginated")!.topicHash], fromBlock: 0, toBlock: head });
    expect(originated.length).toBeGreaterThan(20);
    const pool = poolAt(d.pool, provider);
    const statusName: Record<number, string[]> = { 1: ["active"], 2: ["repaid"], 3: ["liquidating"], 4: ["sold", "redeemed", "recovered"], 5: ["recovering"] };
    const kinds = new Set<string>();
    for (const l of originated) {
      const id = POOL.parseLog({ topics: [...l.topics], data: l.data })!.args.loanId as bigint;
      const [h, onChain] = await Promise.all([fetchLoanHistory({ url: indexer.url }, id), pool.loan(id, { blockTag: head })]);
      expect(statusName[Number(onChain.status)], `loan ${id}`).toContain(h.status);
      expect(h.rarityBps).toBe(onChain.rarityBps);
      expect(h.borrower.toLowerCase()).toBe(onChain.borrower.toLowerCase());
      if (h.status === "active") expect(h.principalOutstanding).toBe(onChain.principal);
      expect(h.timeline[0].kind).toBe("originated");
      for (const e of h.timeline) kinds.add(e.kind);
    }
    // the year's life cycle: partial repayment, extension, delegation, liquidation, auction sale, settlement
    expect([...kinds]).toEqual(expect.arrayContaining(["originated", "partially repaid", "repaid", "extended", "delegated", "liquidation started", "auction started", "auction sold", "liquidation settled"]));
  }, 120_000);

  it("serves collections, prices and governance over GraphQL", async () => {
    const res = await fetch(`${indexer.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ collections { items { id listed loans defaults loss exposure } } priceUpdates { totalCount } governanceCalls { items { status } } parameterChanges(where: { event: \"SeniorRateSet\" }, orderBy: \"blockNumber\", orderDirection: \"desc\", limit: 1) { items { args } } }" }),
    });
    const body = (await res.json()) as { data: { collections: { items: { id: string; listed: boolean; loans: number; defaults: number; loss: string; exposure: string }[] }; priceUpdates: { totalCount: number }; governanceCalls: { items: { status: string }[] }; parameterChanges: { items: { args: Record<string, string> }[] } } };
    const cols = body.data.collections.items;
    expect(cols.map((c) => c.id).sort()).toEqual(d.collections.map((c) => c.toLowerCase()).sort());
    expect(cols.every((c) => c.listed && c.loans > 0)).toBe(true);
    const pool = poolAt(d.pool, provider);
    for (const c of cols) expect(BigInt(c.exposure)).toBe(await pool.exposure(c.id, { blockTag: head }));
    expect(cols.reduce((s, c) => s + c.defaults, 0)).toBeGreaterThan(0);
    expect(body.data.priceUpdates.totalCount).toBeGreaterThan(50);
    expect(body.data.governanceCalls.items.length).toBeGreaterThan(0);
    expect(body.data.governanceCalls.items.every((c) => c.status === "executed")).toBe(true);
    // the latest senior-rate change (the proposal's) carries its old and new values, the new one in force now
    const rate = body.data.parameterChanges.items[0].args;
    expect(Object.keys(rate).sort()).toEqual(["newRate", "oldRate"]);
    expect(BigInt(rate.newRate)).toBe((await pool.parameters({ blockTag: head })).seniorRate);
  });

  it("answers SQL over HTTP (/sql/db, @ponder/client's protocol: a superjson query, a read-only statement)", async () => {
    const sql = (text: string) => fetch(`${indexer.url}/sql/db?sql=${encodeURIComponent(JSON.stringify({ json: { sql: text, params: [] } }))}`);
    const r = await sql("select count(*) as n, max(block_number) as b from pool_snapshot");
    const body = await r.text();
    expect(r.status, body).toBe(200);
    const all = await fetchHistory({ url: indexer.url });
    expect(body).toContain(String(all.length));
    expect(body).toContain(String(all[all.length - 1].blockNumber));
    const write = await sql("delete from pool_snapshot");
    expect(write.status).not.toBe(200);
    expect((await fetchHistory({ url: indexer.url })).length).toBe(all.length);
  });

  it("thins the history for a chart, and says so readably when the indexer is not there", async () => {
    const thin = await fetchHistory({ url: indexer.url }, { maxPoints: 20 });
    expect(thin.length).toBe(20);
    const all = await fetchHistory({ url: indexer.url });
    // thinned in the indexer's database: the same rows as thinning the whole history here
    expect(thin).toEqual(thinIndices(all.length, 20).map((i) => all[i]));
    expect(thin[0]).toEqual(all[0]);
    expect(thin[19]).toEqual(all[all.length - 1]);
    const window = await fetchHistory({ url: indexer.url }, { maxPoints: 5, fromBlock: all[10].blockNumber, toBlock: all[60].blockNumber });
    const inWindow = all.filter((p) => p.blockNumber >= all[10].blockNumber && p.blockNumber <= all[60].blockNumber);
    expect(window).toEqual(thinIndices(inWindow.length, 5).map((i) => inWindow[i]));
    expect(await fetchHistory({ url: indexer.url }, { maxPoints: 10_000 })).toEqual(all);
    await expect(fetch(`${indexer.url}/history/pool?maxPoints=x`).then((r) => r.status)).resolves.toBe(400);
    const dead = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    await expect(fetchHistory({ url: dead, timeoutMs: 2000 })).rejects.toThrow(IndexerError);
    await expect(fetchHistory({ url: dead, timeoutMs: 2000 }, { maxPoints: 5 })).rejects.toThrow(/does not answer \(ECONNREFUSED\).*npm run indexer/);
    await expect(fetchHistory({ url: dead, timeoutMs: 2000 })).rejects.toThrow(/does not answer \(ECONNREFUSED\).*npm run indexer/);
    await expect(fetchLoanHistory({ url: indexer.url }, 999_999n)).rejects.toThrow(/loan 999999 is not in the indexer/);
  });

  it("answers `strata history pool|lender|loan` with tables, JSON, and one readable line when the indexer is down", async () => {
    const base = ["--rpc", anvil.url, "--deployment", join(process.cwd(), "deployments", "test-indexer-year.json")];
    const pool = await cli([...base, "history", "pool", "--points", "5", "--indexer", indexer.url]);
    expect(pool.code, pool.stderr).toBe(0);
    expect(pool.stdout).toMatch(/block\s+│\s+time \(UTC\)\s+│\s+event\s+│\s+NAV \(dUSD\)/);
    expect(pool.stdout.split("\n").filter((l) => /^│\s*\d+\s*│/.test(l))).toHaveLength(5);
    const json = await cli([...base, "--json", "history", "pool", "--indexer", indexer.url]);
    const rows = JSON.parse(json.stdout) as { blockNumber: number; nav: string }[];
    const all = await fetchHistory({ url: indexer.url });
    expect(rows.length).toBe(20);
    expect(rows[19]).toMatchObject({ blockNumber: all[all.length - 1].blockNumber, nav: String(all[all.length - 1].nav) });
    const lender = await cli([...base, "--dev-account", "5", "history", "lender", "--indexer", indexer.url]); // the demo's junior lender
    expect(lender.code, lender.stderr).toBe(0);
    expect(lender.stdout).toMatch(/junior\s+│\s+250,000\s+│/);
    expect(lender.stdout).toMatch(/│\s+request\s+│/);
    const loan = await cli([...base, "history", "loan", "1", "--indexer", indexer.url]);
    expect(loan.code, loan.stderr).toBe(0);
    expect(loan.stdout).toMatch(/status\s+│\s+repaid/);
    expect(loan.stdout).toMatch(/│\s+originated\s+│/);
    const deadPort = await freePort(); // nothing listens there
    const down = await cli([...base, "history", "pool", "--indexer", `http://127.0.0.1:${deadPort}`]);
    expect(down.code).toBe(1);
    expect(errorLine(down)).toBe(`strata: the indexer at http://127.0.0.1:${deadPort} does not answer (ECONNREFUSED); start it with \`npm run indexer\``);
    const bad = await cli([...base, "history", "loan", "x"]);
    expect(bad.code).toBe(2);
  }, 60_000);

  it.skipIf(!PG_BIN && !PG_REQUIRED)("runs the same project on PostgreSQL (DATABASE_URL): equal to the chain and to PGlite", async () => {
    expect(PG_BIN, "PostgreSQL is required here (CI or STRATA_REQUIRE_POSTGRES=1) and not installed: apt-get install -y postgresql").not.toBeNull();
    pg = await startPostgres();
    const t0 = Date.now();
    pgIndexer = await startIndexer({ deployment: d, rpcUrl: anvil.url, databaseUrl: pg.url });
    await pgIndexer.waitForBlock(head);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(pgIndexer.output()).not.toMatch(/pglite/i);
    const onPg = await compareSnapshots(provider, d, { url: pgIndexer.url }, head);
    expect(onPg.mismatches).toEqual([]);
    expect(onPg.points).toEqual(await fetchHistory({ url: indexer.url }, { toBlock: head }));
    const owners = (await provider.getLogs({ address: [d.seniorVault, d.juniorVault], topics: [VAULT.getEvent("Deposit")!.topicHash], fromBlock: 0, toBlock: head })).map((l) =>
      (VAULT.parseLog({ topics: [...l.topics], data: l.data })!.args.owner as string).toLowerCase(),
    );
    const lendersOnPg = await compareLenders(provider, d, { url: pgIndexer.url }, [...new Set(owners)]);
    expect(lendersOnPg.mismatches).toEqual([]);
    expect(lendersOnPg.checked).toBeGreaterThanOrEqual(3);
    const a = await fetch(`${pgIndexer.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ loans(limit: 1000) { totalCount } lenders { totalCount } }" }) }).then((r) => r.json());
    const b = await fetch(`${indexer.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ loans(limit: 1000) { totalCount } lenders { totalCount } }" }) }).then((r) => r.json());
    expect(a).toEqual(b);
  }, 120_000);
});

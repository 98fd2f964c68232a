// The indexer under a reorganisation (issue #31): anvil replaces its latest blocks (`anvil_reorg`) under a running
// indexer, dropping a deposit it had already indexed; Ponder rolls back and re-indexes, and afterwards every indexed
// snapshot and every lender's P&L equal the chain's again; a deposit after the reorg is indexed as usual.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningIndexer, startIndexer } from "../src/dev/indexer.ts";
import { Lender } from "../src/clients/lender.ts";
import { fetchLenderHistory } from "../src/history/index.ts";
import { type Fixture, setupFixture } from "./fixture.ts";
import { compareLenders, compareSnapshots } from "./indexer-checks.ts";

describe("indexer and a chain reorganisation", () => {
  let f: Fixture;
  let indexer: RunningIndexer;

  beforeAll(async () => {
    f = await setupFixture();
    for (const w of [f.lender, f.lender2]) await f.mintAsset(w, f.usd(100_000));
    const first = await Lender.connect(f.lender, f.d);
    await first.deposit("junior", f.usd(20_000));
    await first.deposit("senior", f.usd(30_000));
    indexer = await startIndexer({ deployment: f.d, rpcUrl: f.anvil.url, pollingMs: 100 });
    await indexer.waitForBlock(await f.provider.getBlockNumber());
  }, 120_000);

  afterAll(async () => {
    await indexer?.stop();
    await f?.stop();
  });

  it("drops what the reorganised blocks held and equals the chain afterwards", async () => {
    const o = { url: indexer.url };
    const second = await Lender.connect(f.lender2, f.d);
    for (let i = 0; i < 3; i++) await f.provider.send("evm_mine", []); // the reorg below reaches no earlier deposit
    await second.deposit("senior", f.usd(7_000)); // approve, deposit: two blocks
    const before = await f.provider.getBlockNumber();
    await indexer.waitForBlock(before);
    // the indexer has the deposit
    expect((await fetchLenderHistory(o, f.lender2.address)).tranches.map((t) => t.deposited)).toEqual([f.usd(7_000)]);

    // anvil replaces its last 3 blocks (the approval's and the deposit's among them) by empty ones, then the chain moves on
    await f.provider.send("anvil_reorg", [3, []]);
    expect(await f.provider.getBlockNumber()).toBe(before);
    await f.provider.send("evm_mine", []);
    await f.provider.send("evm_mine", []);
    const head = await f.provider.getBlockNumber();
    expect(await f.provider.getLogs({ address: f.d.seniorVault, fromBlock: before - 2, toBlock: head })).toEqual([]);

    // Ponder notices the new blocks' parents, rolls back and re-indexes: the deposit is gone
    const deadline = Date.now() + 30_000;
    for (;;) {
      await indexer.waitForBlock(head);
      const h = await fetchLenderHistory(o, f.lender2.address);
      if (h.tranches.every((t) => t.deposited === 0n)) break;
      if (Date.now() > deadline) throw new Error(`the indexer still has the reorganised deposit: ${JSON.stringify(h.tranches.map((t) => String(t.deposited)))}\n${indexer.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const snaps = await compareSnapshots(f.provider, f.d, o, head);
    expect(snaps.mismatches).toEqual([]);
    expect(snaps.points.every((p) => p.blockNumber < before - 2)).toBe(true);
    expect(snaps.points.filter((p) => p.event === "Deposit")).toHaveLength(2); // the first lender's two deposits
    const lenders = await compareLenders(f.provider, f.d, o, [f.lender.address]);
    expect(lenders.mismatches).toEqual([]);
    expect(lenders.checked, JSON.stringify((await fetchLenderHistory(o, f.lender.address)).tranches.map((t) => [t.tranche, String(t.deposited)]))).toBe(2);

    // and indexing goes on: a new deposit on the new branch
    await second.deposit("senior", f.usd(5_000));
    const after = await f.provider.getBlockNumber();
    await indexer.waitForBlock(after);
    const again = await compareSnapshots(f.provider, f.d, o, after);
    expect(again.mismatches).toEqual([]);
    const l2 = await compareLenders(f.provider, f.d, o, [f.lender.address, f.lender2.address]);
    expect(l2.mismatches).toEqual([]);
    expect((await fetchLenderHistory(o, f.lender2.address)).tranches.map((t) => t.deposited)).toEqual([f.usd(5_000)]);
  }, 120_000);
});

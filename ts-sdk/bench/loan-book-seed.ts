// The n-loan book of the keeper benchmark (issue #16), shared by bench:keeper / bench:scan and bench:indexer: a fresh
// forge-script deployment on `anvil`, governed into use, 8M of liquidity, n loans on two collections (real
// transactions, queued with automine off and mined together), some repaid, some liquidated, one collection's floor
// down 40 %. See keeper.ts for the plan of the book; `expected` is the liquidatable set that plan implies.
import { Interface, JsonRpcProvider, MaxUint256, Wallet, parseUnits } from "ethers";
import { ANVIL_KEYS } from "../src/dev/anvil.ts";
import { connectContracts } from "../src/chain/contracts.ts";
import { REPO_ROOT } from "../src/dev/artifacts.ts";
import { deployWithForge } from "../src/dev/forge.ts";
import { DevCollectionAbi, DevStablecoinAbi, DutchAuctionLiquidatorAbi, StrataPoolAbi, TrancheVaultAbi } from "../src/generated/abis.ts";
import { readProposal } from "../src/node.ts";
import { SafeAccount } from "../src/chain/safe.ts";
import { BORROW } from "../src/chain/borrow-call.ts";

export async function rpcBatch(url: string, calls: { method: string; params: unknown[] }[], size = 500): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < calls.length; i += size) {
    const body = calls.slice(i, i + size).map((c, k) => ({ jsonrpc: "2.0", id: i + k, ...c }));
    const res = (await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json()) as {
      id: number;
      result?: unknown;
      error?: { message: string };
    }[];
    for (const r of res.sort((a, b) => a.id - b.id)) {
      if (r.error) throw new Error(`${calls[r.id].method} #${r.id}: ${r.error.message}`);
      out.push(r.result);
    }
  }
  return out;
}

export const hex = (n: bigint | number) => `0x${n.toString(16)}`;

/** Seeds the book on the node at `anvil.url` (deployment `deployments/<name>.json`); `say` prints when VERBOSE is set. */
export async function seedLoanBook(anvil: { url: string }, n: number, name: string, opts: { chunk?: number; step?: (m: string) => void; say?: (m: string) => void } = {}) {
  const CHUNK = opts.chunk ?? 250;
  const step = opts.step ?? (() => {});
  const say = opts.say ?? ((m: string) => process.stderr.write(`${m}\n`));
  const d = await deployWithForge(anvil.url, ANVIL_KEYS[0], "local", name);
  const provider = new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1 });
  const accounts = (await provider.send("eth_accounts", [])) as string[];
  const [, , , , reporter, lender, , borrower, keeper] = accounts;
  const c = connectContracts(d, provider);
  const pool = new Interface(StrataPoolAbi as never);
  const coin = new Interface(DevStablecoinAbi as never);
  const vault = new Interface(TrancheVaultAbi as never);
  const nft = new Interface(DevCollectionAbi as never);
  const liq = new Interface(DutchAuctionLiquidatorAbi as never);
  const usd = (x: number) => parseUnits(String(x), 6);
  const nonces = new Map<string, number>();
  const nextNonce = async (from: string) => {
    const k = nonces.get(from) ?? (await provider.getTransactionCount(from, "pending"));
    nonces.set(from, k + 1);
    return k;
  };
  /** Queues transactions (automine off), mines until all are in, checks every receipt's status. */
  // anvil's pool slows down quadratically with the pending transactions of one sender: queue CHUNK at a time
  const sendAll = async (txs: { from: string; to: string; data: string; gas: bigint }[], what: string) => {
    const hashes: string[] = [];
    await provider.send("evm_setAutomine", [false]);
    for (let i = 0; i < txs.length; i += CHUNK) {
      const calls = [];
      for (const t of txs.slice(i, i + CHUNK)) calls.push({ method: "eth_sendTransaction", params: [{ ...t, gas: hex(t.gas), nonce: hex(await nextNonce(t.from)) }] });
      hashes.push(...((await rpcBatch(anvil.url, calls)) as string[]));
      for (let guard = 0; ; guard++) {
        await provider.send("evm_mine", []);
        const status = (await provider.send("txpool_status", [])) as { pending: string };
        if (BigInt(status.pending) === 0n) break;
        if (guard > 1000) throw new Error(`${what}: transactions stay pending`);
      }
    }
    await provider.send("evm_setAutomine", [true]);
    const receipts = (await rpcBatch(anvil.url, hashes.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })))) as { status: string }[];
    const failed = receipts.filter((r) => r?.status !== "0x1").length;
    if (failed) {
      const k = receipts.findIndex((r) => r?.status !== "0x1");
      const why = await provider.call({ from: txs[k].from, to: txs[k].to, data: txs[k].data }).then(() => "passes now", (e: Error) => e.message.slice(0, 300));
      if (process.env.VERBOSE) for (const col of d.collections) say(`  ${col}: floor ${await c.oracle.floorPrice(col)}; ${await c.registry.collection(col)}`);
      throw new Error(`${what}: ${failed} of ${txs.length} transactions failed; the first (#${k}) as a call now: ${why}`);
    }
    step(`${what}: ${txs.length} transactions`);
  };
  const warp = async (s: number) => {
    await provider.send("evm_increaseTime", [s]);
    await provider.send("evm_mine", []);
  };

  // governance: list both dev collections, appoint the reporter (the test proposal through the timelock)
  const b = readProposal("proposals/test/raw-local-list-collections.json", d, REPO_ROOT);
  const tl = c.timelock.interface;
  // through the governance Safe (the timelock's proposer and executor): owners #1 and #2 sign, #1 submits
  const safe = await SafeAccount.at(d.governanceSafe!, provider);
  const owners = [1, 2].map((i) => new Wallet(ANVIL_KEYS[i], provider));
  await safe.run({ to: d.timelock, value: 0n, data: tl.encodeFunctionData("scheduleBatch", [b.targets, b.values, b.payloads, b.predecessor, b.salt, d.timelockDelay]) }, owners);
  await warp(d.timelockDelay);
  await safe.run({ to: d.timelock, value: 0n, data: tl.encodeFunctionData("executeBatch", [b.targets, b.values, b.payloads, b.predecessor, b.salt]) }, owners);
  const [c0, c1] = d.collections;
  const push = (prices: [string, number][]) =>
    sendAll(prices.map(([col, p]) => ({ from: reporter, to: d.oracle, data: c.oracle.interface.encodeFunctionData("pushPrice", [col, usd(p)]), gas: 300_000n })), "prices");

  // liquidity: 4M junior + 4M senior; the borrower gets enough to repay with interest
  await sendAll(
    [
      { from: lender, to: d.asset, data: coin.encodeFunctionData("mint", [lender, usd(8_000_000)]), gas: 200_000n },
      { from: lender, to: d.asset, data: coin.encodeFunctionData("approve", [d.juniorVault, MaxUint256]), gas: 100_000n },
      { from: lender, to: d.asset, data: coin.encodeFunctionData("approve", [d.seniorVault, MaxUint256]), gas: 100_000n },
      { from: lender, to: d.juniorVault, data: vault.encodeFunctionData("deposit", [usd(4_000_000), lender]), gas: 1_000_000n },
      { from: lender, to: d.seniorVault, data: vault.encodeFunctionData("deposit", [usd(4_000_000), lender]), gas: 1_000_000n },
      { from: borrower, to: d.asset, data: coin.encodeFunctionData("mint", [borrower, usd(1_000_000)]), gas: 200_000n },
      { from: borrower, to: d.asset, data: coin.encodeFunctionData("approve", [d.pool, MaxUint256]), gas: 100_000n },
      { from: borrower, to: c0, data: nft.encodeFunctionData("setApprovalForAll", [d.pool, true]), gas: 100_000n },
      { from: borrower, to: c1, data: nft.encodeFunctionData("setApprovalForAll", [d.pool, true]), gas: 100_000n },
    ],
    "funding",
  );
  await warp(86_400); // past the pool's rate window: the deposits count as settled cash
  await push([[c0, 100_000], [c1, 20_000]]);

  // the plan
  const unhealthy = (i: number) => i % 50 === 7;
  const short = (i: number) => i % 10 === 0;
  const repaid = (i: number) => i % 100 === 30;
  const liquidated = (i: number) => i % 200 === 40;
  const collectionOf = (i: number) => (unhealthy(i) || i % 10 === 5 ? c1 : c0);
  const ids = Array.from({ length: n }, (_, k) => k + 1);
  await sendAll(ids.map((i) => ({ from: borrower, to: collectionOf(i), data: nft.encodeFunctionData("mint", [borrower, BigInt(i)]), gas: 150_000n })), "mints");
  const firstId = await c.pool.nextLoanId();
  if (firstId !== 1n) throw new Error(`the pool's first loan id is ${firstId}, not 1`);
  await sendAll(
    ids.map((i) => ({
      from: borrower,
      to: d.pool,
      data: pool.encodeFunctionData(BORROW, [collectionOf(i), BigInt(i), usd(unhealthy(i) ? 7_500 : 100), BigInt((short(i) ? 7 : 30) * 86_400), MaxUint256, { multiplierBps: 0n, proof: [] }]),
      gas: 1_000_000n,
    })),
    "borrows",
  );
  await sendAll(ids.filter(repaid).map((i) => ({ from: borrower, to: d.pool, data: pool.encodeFunctionData("repay", [BigInt(i), MaxUint256]), gas: 1_000_000n })), "repays");
  await warp(11 * 86_400);
  await push([[c0, 100_000], [c1, 12_000]]); // fresh prices (max age 1 day); collection 1 down 40 %
  await sendAll(ids.filter(liquidated).map((i) => ({ from: keeper, to: d.liquidator, data: liq.encodeFunctionData("liquidate", [BigInt(i)]), gas: 2_000_000n })), "liquidations");
  await provider.send("evm_mine", []);
  const expected = new Map<bigint, "overdue" | "unhealthy">();
  for (const i of ids) {
    if (short(i) && !repaid(i) && !liquidated(i)) expected.set(BigInt(i), "overdue");
    else if (unhealthy(i)) expected.set(BigInt(i), "unhealthy");
  }
  const active = n - ids.filter(repaid).length - ids.filter(liquidated).length;
  return { d, provider, c, expected, active, ids, repaid, liquidated };
}

// Benchmark: the keeper's scan of a 10,000-loan book against anvil (not a timed test; run it to measure).
//   npm run bench:scan            (LOANS=10000 by default)
// Starts anvil (1e9 gas blocks), deploys with forge, lists the dev collections through the timelock, funds the pool,
// opens LOANS loans (every 10th one short, so that it is overdue after the warp) through the pool's own multicall,
// then times `scanLiquidatable`: events (paginated getLogs) + batched `loan(id)` reads + entity math; then a resumed
// scan (only new blocks) and a full rescan with the verification of the candidates against the liquidator.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Interface, JsonRpcProvider, MaxUint256, parseUnits } from "ethers";
import { ANVIL_KEYS, startAnvil } from "../src/anvil.ts";
import { connectContracts } from "../src/contracts.ts";
import { REPO_ROOT, deployWithForge } from "../src/forge.ts";
import { DevCollectionAbi, DevStablecoinAbi, StrataPoolAbi, TrancheVaultAbi } from "../src/generated/abis.ts";
import { scanLiquidatable } from "../src/index.ts";
import { readProposal } from "../src/node.ts";

const LOANS = Number(process.env.LOANS ?? 10_000);
const BATCH = Number(process.env.BATCH ?? 500);
const anvil = await startAnvil(["--gas-limit", "1000000000", "--disable-code-size-limit"]);
const name = `test-bench-${randomBytes(3).toString("hex")}`;
const log = (s: string) => process.stdout.write(`${s}\n`);
try {
  const t0 = performance.now();
  const d = await deployWithForge(anvil.url, ANVIL_KEYS[0], "local", name);
  const provider = new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1, batchMaxCount: 200 });
  const accounts = (await provider.send("eth_accounts", [])) as string[];
  const [, multisig, , , reporter, lender, , borrower] = accounts;
  const step = (m: string) => process.env.VERBOSE && log(`  [${((performance.now() - t0) / 1000).toFixed(1)} s] ${m}`);
  const rpcTx = async (from: string, to: string, data: string, gas = 30_000_000n): Promise<void> => {
    const hash = (await provider.send("eth_sendTransaction", [{ from, to, data, gas: `0x${gas.toString(16)}` }])) as string;
    const r = await provider.waitForTransaction(hash);
    if (r?.status !== 1) throw new Error(`tx to ${to} failed`);
  };
  const send = (from: string, to: string, data: string, gas: bigint, nonce: number) =>
    provider.send("eth_sendTransaction", [{ from, to, data, gas: `0x${gas.toString(16)}`, nonce: `0x${nonce.toString(16)}` }]) as Promise<string>;

  step("deployed");
  // governance: the example proposal through the timelock
  const c = connectContracts(d, provider);
  const b = readProposal("proposals/test/raw-local-list-collections.json", d, REPO_ROOT);
  const tl = c.timelock.interface;
  await rpcTx(multisig, d.timelock, tl.encodeFunctionData("scheduleBatch", [b.targets, b.values, b.payloads, b.predecessor, b.salt, d.timelockDelay]));
  await provider.send("evm_increaseTime", [d.timelockDelay]);
  await rpcTx(multisig, d.timelock, tl.encodeFunctionData("executeBatch", [b.targets, b.values, b.payloads, b.predecessor, b.salt]));
  const usd = (x: number) => parseUnits(String(x), 6);
  const collection = d.collections[0];
  await rpcTx(reporter, d.oracle, c.oracle.interface.encodeFunctionData("pushPrice", [collection, usd(100_000)]));

  // funds: 2M junior, 2M senior
  const coin = new Interface(DevStablecoinAbi as never);
  const vault = new Interface(TrancheVaultAbi as never);
  await rpcTx(lender, d.asset, coin.encodeFunctionData("mint", [lender, usd(4_000_000)]));
  await rpcTx(lender, d.asset, coin.encodeFunctionData("approve", [d.juniorVault, MaxUint256]));
  await rpcTx(lender, d.asset, coin.encodeFunctionData("approve", [d.seniorVault, MaxUint256]));
  await rpcTx(lender, d.juniorVault, vault.encodeFunctionData("deposit", [usd(2_000_000), lender]));
  await rpcTx(lender, d.seniorVault, vault.encodeFunctionData("deposit", [usd(2_000_000), lender]));

  step("funded");
  // NFTs: one transaction each, queued with automine off and mined together
  const nft = new Interface(DevCollectionAbi as never);
  await provider.send("evm_setAutomine", [false]);
  const nonce = await provider.getTransactionCount(borrower, "pending");
  for (let i = 0; i < LOANS; i += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, LOANS - i) }, (_, k) => send(borrower, collection, nft.encodeFunctionData("mint", [borrower, BigInt(i + k + 1)]), 120_000n, nonce + i + k)),
    );
  }
  while (BigInt(await provider.getTransactionCount(borrower, "latest")) < BigInt(nonce + LOANS)) await provider.send("evm_mine", []);
  await provider.send("evm_setAutomine", [true]);
  const owned = (await provider.call({ to: collection, data: nft.encodeFunctionData("balanceOf", [borrower]) })) as string;
  if (BigInt(owned) !== BigInt(LOANS)) throw new Error(`minted ${BigInt(owned)} of ${LOANS} NFTs`);
  step("minted");
  await rpcTx(borrower, collection, nft.encodeFunctionData("setApprovalForAll", [d.pool, true]));
  // loans: BATCH borrows per pool.multicall transaction
  const pool = new Interface(StrataPoolAbi as never);
  for (let i = 0; i < LOANS; i += BATCH) {
    const calls = Array.from({ length: Math.min(BATCH, LOANS - i) }, (_, k) => {
      const id = i + k + 1;
      const days = id % 10 === 0 ? 7 : 90;
      return pool.encodeFunctionData("borrow", [collection, BigInt(id), usd(100), BigInt(days * 86_400), MaxUint256, { multiplierBps: 0n, proof: [] }]);
    });
    await rpcTx(borrower, d.pool, pool.encodeFunctionData("multicall", [calls]), 900_000_000n);
    step(`borrowed ${i + calls.length}`);
  }
  await provider.send("evm_increaseTime", [11 * 86_400]); // the 7-day loans are past maturity + 3-day grace
  await provider.send("evm_mine", []);
  log(`setup: ${LOANS} loans in ${((performance.now() - t0) / 1000).toFixed(1)} s (block ${await provider.getBlockNumber()})`);

  if (process.env.VERBOSE) {
    const { LoanBook } = await import("../src/loanbook.ts");
    const { fetchLoans } = await import("../src/fetch.ts");
    let t = performance.now();
    const book = new LoanBook(d.pool, 0);
    await book.sync(provider);
    step(`profile: events ${(performance.now() - t).toFixed(0)} ms`);
    const head = await provider.getBlockNumber();
    t = performance.now();
    const all = (await provider.send("eth_getLogs", [{ address: d.pool, fromBlock: "0x0", toBlock: `0x${head.toString(16)}` }])) as unknown[];
    step(`profile: raw eth_getLogs, address only: ${all.length} logs in ${(performance.now() - t).toFixed(0)} ms`);
    t = performance.now();
    const per = await Promise.all(Array.from({ length: head + 1 }, (_, b) => provider.send("eth_getLogs", [{ address: d.pool, fromBlock: `0x${b.toString(16)}`, toBlock: `0x${b.toString(16)}` }])));
    step(`profile: raw eth_getLogs per block, concurrent: ${per.flat().length} logs in ${(performance.now() - t).toFixed(0)} ms`);
    t = performance.now();
    const raw = await provider.send("eth_call", [{ to: d.pool, data: pool.encodeFunctionData("multicall", [book.ids().slice(0, 500).map((id) => pool.encodeFunctionData("loan", [id]))]) }, "latest"]);
    step(`profile: one raw multicall of 500 loan() ${(performance.now() - t).toFixed(0)} ms (${(raw as string).length} chars)`);
    t = performance.now();
    await Promise.all(book.ids().slice(0, 500).map((id) => provider.send("eth_call", [{ to: d.pool, data: pool.encodeFunctionData("loan", [id]) }, "latest"])));
    step(`profile: 500 loan() eth_calls in JSON-RPC batches ${(performance.now() - t).toFixed(0)} ms`);
    t = performance.now();
    const parts = [];
    for (let i = 0; i < book.ids().length; i += 100) parts.push(book.ids().slice(i, i + 100));
    await Promise.all(parts.map((p) => provider.send("eth_call", [{ to: d.pool, data: pool.encodeFunctionData("multicall", [p.map((id) => pool.encodeFunctionData("loan", [id]))]) }, "latest"])));
    step(`profile: ${parts.length} concurrent raw multicalls of 100 ${(performance.now() - t).toFixed(0)} ms`);
    t = performance.now();
    await fetchLoans(provider, d, book.ids());
    step(`profile: fetchLoans (multicall) ${(performance.now() - t).toFixed(0)} ms`);
    t = performance.now();
    const { fetchLoansFromStorage } = await import("../src/fetch.ts");
    await fetchLoansFromStorage(provider, d, book.ids());
    step(`profile: fetchLoansFromStorage ${(performance.now() - t).toFixed(0)} ms`);
  }
  const scan = await provider.getBlockNumber().then(async () => {
    const s0 = performance.now();
    const r = await scanLiquidatable(provider, d);
    return { r, ms: performance.now() - s0 };
  });
  log(`scan: ${scan.r.scanned} active loans, ${scan.r.candidates.length} liquidatable, in ${scan.ms.toFixed(0)} ms`);
  const s1 = performance.now();
  const again = await scanLiquidatable(provider, d, { book: scan.r.book });
  log(`resumed scan (events from block ${scan.r.blockNumber + 1} only): ${again.scanned} loans in ${(performance.now() - s1).toFixed(0)} ms`);
  const { fetchLoans, fetchLoansFromStorage } = await import("../src/fetch.ts");
  const sampleIds = scan.r.book.ids().slice(0, 500);
  const same = JSON.stringify(await fetchLoansFromStorage(provider, d, sampleIds), (_, v) => (typeof v === "bigint" ? v.toString() : v)) ===
    JSON.stringify(await fetchLoans(provider, d, sampleIds), (_, v) => (typeof v === "bigint" ? v.toString() : v));
  log(`storage read path equals the pool's loan(id) view on ${sampleIds.length} loans: ${same}`);
  if (!same) process.exitCode = 1;
  const sample = scan.r.candidates.slice(0, 50);
  const ok = await Promise.all(sample.map((x) => c.liquidator.isLiquidatable(x.loan.id)));
  log(`verified ${sample.length} candidates against DutchAuctionLiquidator.isLiquidatable: ${ok.every(Boolean) ? "all liquidatable" : "MISMATCH"}`);
  if (scan.r.scanned !== LOANS || scan.r.candidates.length !== LOANS / 10 || !ok.every(Boolean)) process.exitCode = 1;
  provider.destroy();
} finally {
  await anvil.stop();
  rmSync(join(REPO_ROOT, "deployments", `${name}.json`), { force: true });
}

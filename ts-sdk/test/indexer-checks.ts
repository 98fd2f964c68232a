// Checks of the indexer (indexer/) against the chain, shared by the exactness, PostgreSQL and reorg tests: every pool
// snapshot against the contracts' views read at its block, the set of snapshots against the chain's events, and each
// lender's P&L against its deposits, exits and position value from the chain.
import { Interface, type JsonRpcProvider } from "ethers";
import type { Deployment } from "../src/chain/deployment.ts";
import { poolAt, vaultAt } from "../src/chain/contracts.ts";
import { fetchPool } from "../src/fetch/pool.ts";
import { type IndexerOptions, type PoolHistoryPoint, fetchHistory, fetchLenderHistory } from "../src/history/index.ts";
import { DutchAuctionLiquidatorAbi, StrataPoolAbi, TrancheVaultAbi } from "../src/generated/abis.ts";

const POOL = new Interface(StrataPoolAbi as never);
const VAULT = new Interface(TrancheVaultAbi as never);
const LIQ = new Interface(DutchAuctionLiquidatorAbi as never);
/** Events that move no pool figure: the indexer takes no snapshot at them. */
const NOT_SNAPSHOTTED = new Set(["Transfer", "Approval", "Initialized", "OperatorSet"]);

/** The chain's own answer at each snapshot's block, field by field (pool and vault views, not the SDK's math). */
export async function chainPoint(provider: JsonRpcProvider, d: Deployment, s: { blockNumber: number }) {
  const blockTag = s.blockNumber;
  const pool = poolAt(d.pool, provider);
  const [sv, jv] = [vaultAt(d.seniorVault, provider), vaultAt(d.juniorVault, provider)];
  const [sd, jd] = await Promise.all([sv.decimals(), jv.decimals()]);
  const [nav, cash, totalPrincipal, seniorClaim, seniorValue, juniorValue, seniorSupply, juniorSupply, seniorSharePrice, juniorSharePrice] = await Promise.all([
    pool.nav({ blockTag }),
    pool.cash({ blockTag }),
    pool.totalPrincipal({ blockTag }),
    pool.seniorClaim({ blockTag }),
    pool.trancheValue(0, { blockTag }),
    pool.trancheValue(1, { blockTag }),
    sv.totalSupply({ blockTag }),
    jv.totalSupply({ blockTag }),
    sv.convertToAssets(10n ** sd, { blockTag }),
    jv.convertToAssets(10n ** jd, { blockTag }),
  ]);
  return { nav, cash, totalPrincipal, seniorClaim, seniorValue, juniorValue, seniorSupply, juniorSupply, seniorSharePrice, juniorSharePrice };
}

/** `<block>-<log>` of every pool, vault and liquidator event from the first deposit on: where snapshots must be. */
export async function expectedSnapshotIds(provider: JsonRpcProvider, d: Deployment, toBlock: number): Promise<string[]> {
  const logs = await provider.getLogs({ address: [d.pool, d.seniorVault, d.juniorVault, d.liquidator], fromBlock: 0, toBlock });
  const name = (l: { address: string; topics: readonly string[]; data: string }) => {
    const a = l.address.toLowerCase();
    const iface = a === d.pool.toLowerCase() ? POOL : a === d.liquidator.toLowerCase() ? LIQ : VAULT;
    return iface.parseLog({ topics: [...l.topics], data: l.data })?.name ?? "?";
  };
  const deposit = VAULT.getEvent("Deposit")!.topicHash;
  const first = logs.find((l) => l.topics[0] === deposit)?.blockNumber;
  if (first === undefined) return [];
  return logs.filter((l) => l.blockNumber >= first && !NOT_SNAPSHOTTED.has(name(l))).map((l) => `${l.blockNumber}-${l.index}`);
}

/** Compares every indexed snapshot with the chain; returns the snapshots and a list of mismatches (empty: equal). */
export async function compareSnapshots(provider: JsonRpcProvider, d: Deployment, indexer: IndexerOptions, toBlock: number): Promise<{ points: PoolHistoryPoint[]; mismatches: string[] }> {
  const points = await fetchHistory(indexer, { toBlock });
  const mismatches: string[] = [];
  const expected = await expectedSnapshotIds(provider, d, toBlock);
  const got = points.map((p) => `${p.blockNumber}-${p.logIndex}`);
  if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`snapshot ids differ: indexed ${got.length} [${got.slice(0, 5)}…], chain events ${expected.length} [${expected.slice(0, 5)}…]`);
  for (const p of points) {
    const c = await chainPoint(provider, d, p);
    for (const [k, v] of Object.entries(c)) {
      if ((p as unknown as Record<string, bigint>)[k] !== v) mismatches.push(`block ${p.blockNumber} log ${p.logIndex} ${k}: indexed ${(p as unknown as Record<string, bigint>)[k]}, chain ${v}`);
    }
  }
  // and the SDK's reading of the same block agrees (share prices, utilization) at a sample of blocks
  for (const p of points.filter((_, i) => i % 10 === 0)) {
    const snap = await fetchPool(provider, d, { blockTag: p.blockNumber });
    if (snap.senior.sharePrice !== p.seniorSharePrice || snap.junior.sharePrice !== p.juniorSharePrice || snap.pool.utilization !== p.utilization) {
      mismatches.push(`block ${p.blockNumber}: the SDK's fetchPool reads other share prices or utilization than indexed`);
    }
  }
  return { points, mismatches };
}

/**
 * Each indexed lender's P&L against the chain: its Deposit and Withdraw events (assets, by owner), and its position
 * at the latest snapshot's block (vault `convertToAssets` of shares held plus shares queued, plus assets claimable).
 */
export async function compareLenders(provider: JsonRpcProvider, d: Deployment, indexer: IndexerOptions, accounts: string[]): Promise<{ checked: number; mismatches: string[] }> {
  const mismatches: string[] = [];
  let checked = 0;
  for (const account of accounts) {
    const h = await fetchLenderHistory(indexer, account);
    if (!h.asOf) {
      mismatches.push(`${account}: no snapshot`);
      continue;
    }
    const blockTag = h.asOf.blockNumber;
    for (const t of h.tranches) {
      const vaultAddr = t.tranche === "senior" ? d.seniorVault : d.juniorVault;
      const vault = vaultAt(vaultAddr, provider);
      const sum = async (event: "Deposit" | "Withdraw") => {
        const logs = await provider.getLogs({ address: vaultAddr, topics: [VAULT.getEvent(event)!.topicHash], fromBlock: 0, toBlock: blockTag });
        return logs
          .map((l) => VAULT.parseLog({ topics: [...l.topics], data: l.data })!)
          .filter((e) => (e.args.owner as string).toLowerCase() === account.toLowerCase())
          .reduce((s, e) => s + (e.args.assets as bigint), 0n);
      };
      const requests = (await provider.getLogs({ address: vaultAddr, topics: [VAULT.getEvent("RedeemRequest")!.topicHash], fromBlock: 0, toBlock: blockTag }))
        .map((l) => VAULT.parseLog({ topics: [...l.topics], data: l.data })!)
        .filter((e) => (e.args.controller as string).toLowerCase() === account.toLowerCase());
      const pending = (await Promise.all(requests.map((e) => vault.pendingRedeemRequest(e.args.requestId as bigint, account, { blockTag })))).reduce((s, x) => s + x, 0n);
      const [deposited, exited, balance, claimable] = await Promise.all([sum("Deposit"), sum("Withdraw"), vault.balanceOf(account, { blockTag }), vault.claimableRedeem(account, { blockTag })]);
      const value = (await vault.convertToAssets(balance + pending, { blockTag })) + (claimable as unknown as { assets: bigint }).assets;
      const pnl = exited + value - deposited;
      const where = `${account} ${t.tranche}`;
      if (t.deposited !== deposited) mismatches.push(`${where}: deposited indexed ${t.deposited}, chain ${deposited}`);
      if (t.exited !== exited) mismatches.push(`${where}: exited indexed ${t.exited}, chain ${exited}`);
      if (t.shares !== balance) mismatches.push(`${where}: shares indexed ${t.shares}, chain ${balance}`);
      if (t.pnl.positionValue !== value) mismatches.push(`${where}: position value indexed ${t.pnl.positionValue}, chain ${value}`);
      if (t.pnl.pnl !== pnl) mismatches.push(`${where}: P&L indexed ${t.pnl.pnl}, chain ${pnl}`);
      checked++;
    }
  }
  return { checked, mismatches };
}

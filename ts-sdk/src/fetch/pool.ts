// The pool fetcher: the pool and both tranches at one block, in one batched round trip.
import { erc20At, poolAt, vaultAt } from "../chain/contracts.ts";
import type { Deployment } from "../chain/deployment.ts";
import { Pool, TrancheEntity, Tranche, trancheId, type PoolState, type TrancheId, type TrancheName, type TrancheState } from "../entities/index.ts";
import type { Provider } from "ethers";
import type { ErrorUnits } from "../units.ts";
import { type FetchOptions, HAS_NOTICE_PERIOD, pinBlock, metadata } from "./block.ts";
import { field, nextLoanId, seniorAccrualMode, readPoolStorage } from "./storage.ts";

/** A token's decimals, read once per provider and token (`metadata`). */
function decimalsOf(provider: Provider, token: string): Promise<bigint> {
  return metadata(provider, `decimals:${token.toLowerCase()}`, () => erc20At(token, provider).decimals());
}

/** The asset's symbol, read once per provider. */
function symbolOf(provider: Provider, token: string): Promise<string> {
  return metadata(provider, `symbol:${token.toLowerCase()}`, () => erc20At(token, provider).symbol());
}

/**
 * The display units of a deployment: the asset's decimals and symbol, and the tranche shares' decimals (the same
 * cached reads `fetchPool` makes: after one fetch they cost nothing).
 */
export async function fetchUnits(provider: Provider, d: Deployment): Promise<ErrorUnits> {
  const [decimals, symbol, shareDecimals] = await Promise.all([decimalsOf(provider, d.asset), symbolOf(provider, d.asset), decimalsOf(provider, d.seniorVault)]);
  return { asset: { decimals: Number(decimals), symbol }, shares: { decimals: Number(shareDecimals), symbol: "shares" } };
}

async function trancheState(provider: Provider, vault: string, tranche: TrancheId, blockTag: number): Promise<TrancheState> {
  const v = vaultAt(vault, provider);
  const noticeCall = HAS_NOTICE_PERIOD
    ? (v as unknown as { noticePeriod: (o: object) => Promise<bigint> }).noticePeriod({ blockTag })
    : Promise.resolve(null);
  const [totalSupply, decimals, q, notice] = await Promise.all([
    v.totalSupply({ blockTag }),
    decimalsOf(provider, vault),
    v.queue({ blockTag }),
    noticeCall,
  ]);
  return {
    tranche,
    vault,
    totalSupply,
    shareDecimals: Number(decimals),
    // A senior vault reports 0: only a non-zero period makes exits asynchronous.
    noticePeriod: notice === null || (tranche === Tranche.Senior && notice === 0n) ? null : notice,
    queueHead: q.head,
    requestCount: q.requestCount,
  };
}

/** The pool and both tranches at one block (`pool.senior`, `pool.junior`). */
export interface PoolSnapshot {
  pool: Pool;
  senior: TrancheEntity;
  junior: TrancheEntity;
  tranche(t: TrancheName | TrancheId): TrancheEntity;
}

/** Reads the pool and both tranches at one block. */
export async function fetchPool(provider: Provider, d: Deployment, opts: FetchOptions = {}): Promise<PoolSnapshot> {
  const { blockNumber, timestamp } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const pool_ = poolAt(d.pool, provider);
  const [words, assetDecimals, assetSymbol, seniorState, juniorState, seniorHold, juniorHold] = await Promise.all([
    readPoolStorage(provider, d.pool, blockNumber),
    decimalsOf(provider, d.asset),
    symbolOf(provider, d.asset),
    trancheState(provider, d.seniorVault, Tranche.Senior, blockNumber),
    trancheState(provider, d.juniorVault, Tranche.Junior, blockNumber),
    // Queue holds (SPEC §5.7): fields appended after the release layout the storage reader is generated from.
    pool_.queueHold(Tranche.Senior, { blockTag: blockNumber }),
    pool_.queueHold(Tranche.Junior, { blockTag: blockNumber }),
  ]);
  const state: PoolState = {
    blockNumber,
    timestamp,
    asset: d.asset,
    assetDecimals: Number(assetDecimals),
    assetSymbol,
    cash: field(words, "cash"),
    totalPrincipal: field(words, "totalPrincipal"),
    rateSum: field(words, "rateSum"),
    rateTimeSum: field(words, "rateTimeSum"),
    seniorClaimStored: field(words, "seniorClaim"),
    seniorLastUpdate: field(words, "seniorLastUpdate"),
    seniorRate: field(words, "seniorRate"),
    seniorAccrualMode: seniorAccrualMode(words),
    protocolFees: field(words, "protocolFees"),
    minJuniorRatioBps: field(words, "minJuniorRatioBps"),
    originationFeeBps: field(words, "originationFeeBps"),
    protocolFeeBps: field(words, "protocolFeeBps"),
    gracePeriod: field(words, "gracePeriod"),
    borrowsPaused: field(words, "borrowsPaused") !== 0n,
    depositsPaused: field(words, "depositsPaused") !== 0n,
    impairedBook: field(words, "impairedBook"),
    impairedCount: field(words, "impairedCount"),
    nextLoanId: nextLoanId(words),
    supply: [field(words, "supply", 0), field(words, "supply", 1)],
    pendingShares: [field(words, "pendingShares", 0), field(words, "pendingShares", 1)],
    holdThresholdBps: seniorHold.thresholdBps,
    queueCooldown: seniorHold.cooldown,
    servableAfter: [seniorHold.servableAfter, juniorHold.servableAfter],
  };
  const pool = new Pool(state);
  const senior = new TrancheEntity(seniorState, pool);
  const junior = new TrancheEntity(juniorState, pool);
  return { pool, senior, junior, tranche: (t) => (trancheId(t) === Tranche.Senior ? senior : junior) };
}

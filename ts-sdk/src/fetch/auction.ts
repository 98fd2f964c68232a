// The auction fetchers: one auction, and the liquidator's auction parameters in force.
import { connectContracts } from "../chain/contracts.ts";
import type { Deployment } from "../chain/deployment.ts";
import { AuctionEntity, type AuctionParams, type AuctionState } from "../entities/index.ts";
import type { Provider } from "ethers";
import { type FetchOptions, pinBlock } from "./block.ts";

/** Reads auction `id` (= loan id) at one block. */
export async function fetchAuction(provider: Provider, d: Deployment, id: bigint, opts: FetchOptions = {}): Promise<AuctionEntity> {
  const { blockNumber } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const a = await connectContracts(d, provider).liquidator.auction(id, { blockTag: blockNumber });
  const s: AuctionState = {
    id,
    startPrice: a.startPrice,
    endPrice: a.endPrice,
    owed: a.owed,
    startTime: a.startTime,
    duration: a.duration,
    status: Number(a.status),
  };
  return new AuctionEntity(s);
}

/** Reads the liquidator's auction parameters in force (the ones a liquidation now would open its auction with). */
export async function fetchAuctionParams(provider: Provider, d: Deployment, opts: FetchOptions = {}): Promise<AuctionParams> {
  const { blockNumber } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const p = await connectContracts(d, provider).liquidator.auctionParams({ blockTag: blockNumber });
  return {
    startMultiplierBps: BigInt(p.startMultiplierBps),
    endMultiplierBps: BigInt(p.endMultiplierBps),
    auctionDuration: BigInt(p.auctionDuration),
    recoveryTimeout: BigInt(p.recoveryTimeout),
  };
}

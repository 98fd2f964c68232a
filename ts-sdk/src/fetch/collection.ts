// The collection fetchers: a collection's parameters, listing state and oracle floor at one block; and the one floor
// reader the loan-health reads share (`floorReader`).
import { connectContracts, floorOracleAt, registryAt } from "../chain/contracts.ts";
import type { Deployment } from "../chain/deployment.ts";
import type { CollectionInfo } from "../entities/collection.ts";
import type { Floor } from "../entities/loan-health.ts";
import { requireAddress } from "../errors.ts";
import type { Provider } from "ethers";
import { type FetchOptions, pinBlock } from "./block.ts";

/** Reads a collection's parameters and its oracle floor at one block. */
export async function fetchCollection(provider: Provider, d: Deployment, collection: string, opts: FetchOptions = {}): Promise<CollectionInfo> {
  collection = requireAddress(collection, "collection");
  const { blockNumber } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const c = connectContracts(d, provider);
  // The deployment's oracle is read alongside the registry (one batch): it is the collection's oracle unless
  // governance set another, which is then read in a second round trip.
  const floorAt = (oracle: string) => floorOracleAt(oracle, provider).floorPrice(collection, { blockTag: blockNumber });
  const [[p, listed, paused], exposure, guess, noProofRarityBps] = await Promise.all([
    c.registry.collection(collection, { blockTag: blockNumber }),
    c.pool.exposure(collection, { blockTag: blockNumber }),
    floorAt(d.oracle).catch(() => null),
    c.registry.noProofRarity(collection, { blockTag: blockNumber }) as Promise<bigint>,
  ]);
  let floor = { price: 0n, updatedAt: 0n, fresh: false };
  if (p.oracle !== "0x0000000000000000000000000000000000000000") {
    const [price, updatedAt, fresh] = guess !== null && p.oracle.toLowerCase() === d.oracle.toLowerCase() ? guess : await floorAt(p.oracle);
    floor = { price, updatedAt, fresh };
  }
  return {
    address: collection,
    listed,
    paused,
    oracle: p.oracle,
    ltvBps: p.ltvBps,
    liquidationThresholdBps: p.liquidationThresholdBps,
    liquidationPenaltyBps: p.liquidationPenaltyBps,
    lateFeeBps: p.lateFeeBps,
    maxRarityBps: p.maxRarityBps,
    minDuration: p.minDuration,
    maxDuration: p.maxDuration,
    exposureCap: p.exposureCap,
    exposure,
    curve: { baseRate: p.curve.baseRate, slope1: p.curve.slope1, slope2: p.curve.slope2, kink: p.curve.kink },
    rarityRoot: p.rarityRoot,
    noProofRarityBps,
    floorPrice: floor.price,
    priceUpdatedAt: floor.updatedAt,
    priceFresh: floor.fresh,
  };
}

/**
 * The one floor reader for loan health (the liquidator's own read): `CollectionRegistry.appraisal(collection, 1x)`,
 * the floor of the collection's oracle and its freshness in one call, (0, false) when unlisted. Each collection is
 * read once per reader; start reads early (`floorOf` returns the promise) so that they share a batch.
 */
export function floorReader(provider: Provider, d: Deployment, blockTag: number): (collection: string) => Promise<Floor> {
  const registry = registryAt(d.registry, provider);
  const floors = new Map<string, Promise<Floor>>();
  return (collection: string) => {
    const key = collection.toLowerCase();
    let f = floors.get(key);
    if (!f) {
      f = registry.appraisal(collection, 10_000n, { blockTag }).then(([price, fresh]) => ({ price, fresh }));
      f.catch(() => undefined); // awaited by the caller; no unhandled rejection meanwhile
      floors.set(key, f);
    }
    return f;
  };
}

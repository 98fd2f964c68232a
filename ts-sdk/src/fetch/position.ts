// The position fetcher: a lender's shares, value and requests in one tranche.
import { vaultAt } from "../chain/contracts.ts";
import type { Deployment } from "../chain/deployment.ts";
import { Position, type TrancheId, type TrancheName } from "../entities/index.ts";
import type { Provider } from "ethers";
import type { FetchOptions } from "./block.ts";
import { fetchPool } from "./pool.ts";
import { fetchQueueRequest, findRequestIds } from "./queue-request.ts";

/** A lender's position in `tranche`: wallet shares, value, limits, and open or claimable requests. */
export async function fetchPosition(
  provider: Provider,
  d: Deployment,
  account: string,
  tranche: TrancheName | TrancheId,
  opts: FetchOptions & { fromBlock?: number } = {},
): Promise<Position> {
  const snap = await fetchPool(provider, d, opts);
  const tr = snap.tranche(tranche);
  const blockTag = snap.pool.blockNumber;
  const [shares, ids] = await Promise.all([
    vaultAt(tr.vault, provider).balanceOf(account, { blockTag }),
    findRequestIds(provider, tr.vault, account, { fromBlock: opts.fromBlock, toBlock: blockTag }),
  ]);
  const requests = await Promise.all(ids.map((id) => fetchQueueRequest(provider, d, tr.tranche, id, { blockTag })));
  return new Position(account, tr, shares, requests.filter((r) => r.pendingShares > 0n || r.claimableAssets > 0n));
}

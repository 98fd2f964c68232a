// The redemption request fetchers: one request at one block, and a controller's request ids from the events.
import { vaultAt } from "../chain/contracts.ts";
import type { Deployment } from "../chain/deployment.ts";
import { QueueRequest, Tranche, trancheId, type TrancheId, type TrancheName } from "../entities/index.ts";
import type { Provider } from "ethers";
import { type FetchOptions, HAS_SERVICEABLE_AT, pinBlock } from "./block.ts";

/** Reads redemption request `id` of `tranche` at one block. */
export async function fetchQueueRequest(
  provider: Provider,
  d: Deployment,
  tranche: TrancheName | TrancheId,
  id: bigint,
  opts: FetchOptions = {},
): Promise<QueueRequest> {
  const { blockNumber } = await pinBlock(provider, opts.blockTag, opts.pinned);
  const t = trancheId(tranche);
  const v = vaultAt(t === Tranche.Senior ? d.seniorVault : d.juniorVault, provider);
  const serviceable = HAS_SERVICEABLE_AT
    ? (v as unknown as { serviceableAt: (id: bigint, o: object) => Promise<bigint> }).serviceableAt(id, { blockTag: blockNumber })
    : Promise.resolve(null);
  const [r, q, serviceableAt] = await Promise.all([v.redeemRequest(id, { blockTag: blockNumber }), v.queue({ blockTag: blockNumber }), serviceable]);
  const requestedAt = (r as unknown as { requestedAt?: bigint }).requestedAt ?? null;
  let { claimableShares, claimableAssets } = r;
  if (t === Tranche.Junior && r.servedUntil !== 0n) {
    // ERC-7540 junior: the record holds what was served; what is left of it to claim is the standard view, and its
    // assets are its share of the controller's claimable total (claims pay the total's own price).
    const [shares, total] = await Promise.all([v.claimableRedeemRequest(id, r.controller, { blockTag: blockNumber }), v.claimableRedeem(r.controller, { blockTag: blockNumber })]);
    claimableShares = shares;
    claimableAssets = QueueRequest.juniorClaimableAssets(shares, total);
  }
  return new QueueRequest({
    id,
    tranche: t,
    controller: r.controller,
    pendingShares: r.pendingShares,
    claimableShares,
    claimableAssets,
    requestedAt,
    serviceableAt,
    passedHead: id <= q.head,
  });
}

/** Request ids whose controller is `controller`, from the vault's `RedeemRequest` events (paginated). */
export async function findRequestIds(
  provider: Provider,
  vault: string,
  controller: string,
  opts: { fromBlock?: number; toBlock?: number; step?: number } = {},
): Promise<bigint[]> {
  const v = vaultAt(vault, provider);
  const filter = v.filters.RedeemRequest(controller);
  const to = opts.toBlock ?? (await provider.getBlockNumber());
  const step = opts.step ?? 50_000;
  const ids: bigint[] = [];
  for (let from = opts.fromBlock ?? 0; from <= to; from += step) {
    const logs = await v.queryFilter(filter, from, Math.min(to, from + step - 1));
    for (const l of logs) ids.push(l.args.requestId);
  }
  return ids;
}

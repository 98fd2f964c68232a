// A redemption request in a tranche's queue (ERC-7540 for the junior): notice, pending, served, claimable.
// An immutable entity with pure bigint math (the model: morpho-org/sdks blue-sdk): each method names the Solidity it
// ports and rounds as the contract does (ts-sdk/test/entities.property.test.ts proves them equal to the views).
import { type TrancheId } from "./types.ts";
import { TrancheEntity } from "./tranche.ts";

/** TrancheVault.sol `RedemptionRequest` with its id and tranche. */
export interface QueueRequestState {
  id: bigint;
  tranche: TrancheId;
  controller: string;
  pendingShares: bigint;
  claimableShares: bigint;
  claimableAssets: bigint;
  /** When the request was made (null until the deployed vault records it). */
  requestedAt: bigint | null;
  /** When it may be served (`serviceableAt(id)`; null when the vault has no notice period). */
  serviceableAt: bigint | null;
  /** Whether the request is behind the queue head (already visited by the line). */
  passedHead: boolean;
}

export class QueueRequest implements QueueRequestState {
  /**
   * ERC-7540 junior: the assets of `shares` of a controller's claimable total (`total`: TrancheVault
   * `claimableRedeem(controller)`): all of it for all its shares, else its pro-rata share, rounded Down (claims pay the
   * total's own price).
   */
  static juniorClaimableAssets(shares: bigint, total: { shares: bigint; assets: bigint }): bigint {
    if (shares === total.shares) return total.assets;
    return total.shares === 0n ? 0n : (total.assets * shares) / total.shares;
  }

  readonly id!: bigint;
  readonly tranche!: TrancheId;
  readonly controller!: string;
  readonly pendingShares!: bigint;
  readonly claimableShares!: bigint;
  readonly claimableAssets!: bigint;
  readonly requestedAt!: bigint | null;
  readonly serviceableAt!: bigint | null;
  readonly passedHead!: boolean;

  constructor(s: QueueRequestState) {
    Object.assign(this, s);
    Object.freeze(this);
  }

  /** Served assets the controller can claim now (senior: `claimRedeem`; junior: ERC-7540 `redeem`, its share of the controller's claimable total). */
  get claimable(): bigint {
    return this.claimableAssets;
  }

  /** The notice period has passed at `t` (always true without a notice period). */
  noticeOverAt(t: bigint): boolean {
    return this.serviceableAt === null || t >= this.serviceableAt;
  }

  /** Where the request stands: waiting its notice, in line, served (claimable), or done. */
  stageAt(t: bigint): "notice" | "queued" | "claimable" | "done" {
    if (this.claimableAssets > 0n) return "claimable";
    if (this.pendingShares === 0n) return "done";
    return this.noticeOverAt(t) ? "queued" : "notice";
  }

  /** The pending shares' value at `tranche`'s current price (what service would pay now, Down). */
  pendingValue(tranche: TrancheEntity): bigint {
    return tranche.convertToAssets(this.pendingShares);
  }
}

// A lender's position in one tranche: shares, their value, what can leave now.
// An immutable entity with pure bigint math (the model: morpho-org/sdks blue-sdk): each method names the Solidity it
// ports and rounds as the contract does (ts-sdk/test/entities.property.test.ts proves them equal to the views).
import { TrancheEntity } from "./tranche.ts";
import { QueueRequest } from "./queue-request.ts";

/** A lender's holding in one tranche and its open redemption requests. */
export class Position {
  readonly account: string;
  readonly tranche: TrancheEntity;
  /** Shares in the wallet (queue-locked shares are held by the vault and listed in `requests`). */
  readonly shares: bigint;
  readonly requests: readonly QueueRequest[];

  constructor(account: string, tranche: TrancheEntity, shares: bigint, requests: readonly QueueRequest[] = []) {
    this.account = account;
    this.tranche = tranche;
    this.shares = shares;
    this.requests = requests;
    Object.freeze(this);
  }

  /** What the wallet shares would redeem for now (previewRedeem, Down). */
  get value(): bigint {
    return this.tranche.previewRedeem(this.shares);
  }

  /** TrancheVault `maxWithdraw(account)`. */
  get maxWithdraw(): bigint {
    return this.tranche.maxWithdraw(this.shares);
  }

  /** TrancheVault `maxRedeem(account)`. */
  get maxRedeem(): bigint {
    return this.tranche.maxRedeem(this.shares);
  }

  /** Served assets waiting to be claimed, over every request. */
  get claimable(): bigint {
    return this.requests.reduce((s, r) => s + r.claimable, 0n);
  }

  /** Shares still waiting in line, over every request. */
  get pendingShares(): bigint {
    return this.requests.reduce((s, r) => s + r.pendingShares, 0n);
  }
}

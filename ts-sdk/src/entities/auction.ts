// A Dutch auction of a liquidated loan's token (DutchAuctionLiquidator.sol): price at any time, status.
// An immutable entity with pure bigint math (the model: morpho-org/sdks blue-sdk): each method names the Solidity it
// ports and rounds as the contract does (ts-sdk/test/entities.property.test.ts proves them equal to the views).
import { bpsUp, min, mulDivDown, mulDivUp } from "../math/fixed-point.ts";
import { AUCTION_STATUS, type AuctionStatusName, MAX_UINT96 } from "./types.ts";
import { Loan } from "./loan.ts";

/** ILiquidator.sol `struct AuctionParams`: the liquidator's parameter set in force (`auctionParams()`). */
export interface AuctionParams {
  startMultiplierBps: bigint;
  endMultiplierBps: bigint;
  auctionDuration: bigint;
  recoveryTimeout: bigint;
}

/** ILiquidator.sol `struct Auction` with its id (= the loan id). */
export interface AuctionState {
  id: bigint;
  startPrice: bigint;
  endPrice: bigint;
  owed: bigint;
  startTime: bigint;
  duration: bigint;
  status: number;
}

export class AuctionEntity implements AuctionState {
  readonly id!: bigint;
  readonly startPrice!: bigint;
  readonly endPrice!: bigint;
  readonly owed!: bigint;
  readonly startTime!: bigint;
  readonly duration!: bigint;
  readonly status!: number;

  constructor(s: AuctionState) {
    Object.assign(this, s);
    Object.freeze(this);
  }

  get statusName(): AuctionStatusName {
    return AUCTION_STATUS[this.status] ?? "None";
  }

  get isRunning(): boolean {
    return this.status === 1;
  }

  /**
   * DutchAuctionLiquidator.sol `_price`: linear from start to end price over the duration, then flat; the fall is
   * rounded Down (the pool's favour).
   */
  priceAt(t: bigint): bigint {
    const elapsed = t - this.startTime;
    if (elapsed >= this.duration) return this.endPrice;
    return this.startPrice - mulDivDown(this.startPrice - this.endPrice, elapsed, this.duration);
  }

  /** When the price reaches `price` (first second at or below it), or null if it never does. */
  timeAtPrice(price: bigint): bigint | null {
    if (price >= this.startPrice) return this.startTime;
    if (price < this.endPrice) return null;
    // smallest elapsed with start - floor((start - end) * elapsed / duration) <= price
    const drop = this.startPrice - price;
    const span = this.startPrice - this.endPrice;
    if (span === 0n) return this.startTime;
    const elapsed = mulDivUp(drop, this.duration, span);
    return this.startTime + min(elapsed, this.duration);
  }

  /** What the pool gets and what the borrower's surplus is if bought at `t` (ILiquidator `buy`). */
  proceedsAt(t: bigint): { price: bigint; toPool: bigint; surplus: bigint } {
    return this.proceedsOf(this.priceAt(t));
  }

  /** DutchAuctionLiquidator `buy` at `price`: proceeds up to `owed` go to the pool, the rest to the borrower. */
  proceedsOf(price: bigint): { price: bigint; toPool: bigint; surplus: bigint } {
    const toPool = min(price, this.owed);
    return { price, toPool, surplus: price - toPool };
  }

  /**
   * DutchAuctionLiquidator `liquidate` + `auction`: the auction opened at `t` for `loan` at floor `floorPrice` under
   * `params`. The reference is the appraisal (floor x rarity), or `owed` when the price is dead (zero), capped at
   * 2^96 - 1; start and end prices are the reference times the multipliers, each rounded Up.
   */
  static open(loan: Loan, floorPrice: bigint, t: bigint, params: AuctionParams): AuctionEntity {
    const { owed } = loan.impairmentAt(t);
    const appraisal = loan.appraisal(floorPrice);
    const reference = min(appraisal === 0n ? owed : appraisal, MAX_UINT96);
    return new AuctionEntity({
      id: loan.id,
      startPrice: bpsUp(reference, params.startMultiplierBps),
      endPrice: bpsUp(reference, params.endMultiplierBps),
      owed,
      startTime: t,
      duration: params.auctionDuration,
      status: 1,
    });
  }
}

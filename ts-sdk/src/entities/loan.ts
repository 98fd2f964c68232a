// A loan (StrataPool.sol `loan(id)`): debt, health, liquidation price, overdue and liquidatable at any time.
// An immutable entity with pure bigint math (the model: morpho-org/sdks blue-sdk): each method names the Solidity it
// ports and rounds as the contract does (ts-sdk/test/entities.property.test.ts proves them equal to the views).
import { accrued, interest } from "../math/interest.ts";
import { BPS, WAD, bpsDown, bpsUp, max, min, mulDivUp, wDivDown } from "../math/fixed-point.ts";
import { LOAN_STATUS, type LoanStatusName, MAX_UINT96 } from "./types.ts";

/** IStrataPool.sol `struct Loan` with its id. */
export interface LoanState {
  id: bigint;
  borrower: string;
  start: bigint;
  maturity: bigint;
  status: number;
  collection: string;
  principal: bigint;
  tokenId: bigint;
  apr: bigint;
  rarityBps: bigint;
  liquidationThresholdBps: bigint;
  liquidationPenaltyBps: bigint;
  lateFeeBps: bigint;
  protocolFeeBps: bigint;
  gracePeriod: bigint;
  impairedAt: bigint;
  /** The block timestamp the loan was read at (the default `t` of the getters). */
  asOf: bigint;
}

export class Loan implements LoanState {
  readonly id!: bigint;
  readonly borrower!: string;
  readonly start!: bigint;
  readonly maturity!: bigint;
  readonly status!: number;
  readonly collection!: string;
  readonly principal!: bigint;
  readonly tokenId!: bigint;
  readonly apr!: bigint;
  readonly rarityBps!: bigint;
  readonly liquidationThresholdBps!: bigint;
  readonly liquidationPenaltyBps!: bigint;
  readonly lateFeeBps!: bigint;
  readonly protocolFeeBps!: bigint;
  readonly gracePeriod!: bigint;
  readonly impairedAt!: bigint;
  readonly asOf!: bigint;

  constructor(s: LoanState) {
    Object.assign(this, s);
    Object.freeze(this);
  }

  get statusName(): LoanStatusName {
    return LOAN_STATUS[this.status] ?? "None";
  }

  get isActive(): boolean {
    return this.status === 1;
  }

  /** LoanInterest.sol `interest(principal, apr, t - start)`, rounded Up. */
  interestAt(t: bigint): bigint {
    return interest(this.principal, this.apr, t - this.start);
  }

  /** LoanInterest.sol `lateFee`: `lateFeeBps` of principal, Up, once `t > maturity`. */
  lateFeeAt(t: bigint): bigint {
    return t > this.maturity ? mulDivUp(this.principal, this.lateFeeBps, BPS) : 0n;
  }

  /** StrataLens.sol `debt`: what closes the loan at `t` (principal + interest + late fee) = `repay(max)` takes. */
  debtAt(t: bigint): bigint {
    return this.principal + this.interestAt(t) + this.lateFeeAt(t);
  }

  /** DutchAuctionLiquidator.sol `_debt`: principal + interest (the health measure, no late fee). */
  healthDebtAt(t: bigint): bigint {
    return this.principal + this.interestAt(t);
  }

  /** CollectionRegistry.sol `appraisal`: floor x rarity, rounded Down. */
  appraisal(floorPrice: bigint): bigint {
    return bpsDown(floorPrice, this.rarityBps);
  }
  /** `bps` of the appraisal at `floorPrice`, rounded Down (a buyer's price cap: the keeper's `maxPriceBps`). */
  appraisalShare(floorPrice: bigint, bps: bigint): bigint {
    return bpsDown(this.appraisal(floorPrice), bps);
  }


  /** DutchAuctionLiquidator.sol `health`: `appraisal x threshold / debt` as a WAD (Down); < 1e18 is unhealthy. */
  health(floorPrice: bigint, t: bigint): bigint {
    return wDivDown(bpsDown(this.appraisal(floorPrice), this.liquidationThresholdBps), this.healthDebtAt(t));
  }

  /**
   * The lowest floor price at which the loan is still healthy at `t` (inverse of `health`, rounded Up): any floor
   * below it makes `debt > appraisal x threshold`, i.e. liquidatable.
   */
  liquidationPriceAt(t: bigint): bigint {
    if (this.rarityBps === 0n || this.liquidationThresholdBps === 0n) return 0n;
    const minAppraisal = mulDivUp(this.healthDebtAt(t), BPS, this.liquidationThresholdBps);
    return mulDivUp(minAppraisal, BPS, this.rarityBps);
  }

  /** LoanLogic `_netApr`: the apr the pool accrues, net of the loan's protocol fee (`bpsDown`). */
  get netApr(): bigint {
    return this.protocolFeeBps === 0n ? this.apr : bpsDown(this.apr, BPS - this.protocolFeeBps);
  }

  /**
   * LoanLogic `removeAccrual`: what the loan contributes to the pool's `rateSum` and `rateTimeSum` (impairment and
   * full repayment subtract exactly this; NAV's accrued interest is the aggregate of these sums).
   */
  get accrual(): { rateSum: bigint; rateTimeSum: bigint } {
    const rate = this.principal * this.netApr;
    return { rateSum: rate, rateTimeSum: rate * this.start };
  }

  /**
   * LoanLogic `impair` and DutchAuctionLiquidator `liquidate` at `t`: the frozen debt (principal + interest, no late
   * fee), the penalty (`bpsUp`), `owed` = debt + penalty (saturating at 2^96 - 1, as the liquidator stores it) and
   * the book value the pool records (principal + the pool's interest net of the protocol fee, each rounded Up).
   */
  impairmentAt(t: bigint): { debt: bigint; penalty: bigint; owed: bigint; bookValue: bigint } {
    const debt = this.healthDebtAt(t);
    const penalty = bpsUp(debt, this.liquidationPenaltyBps);
    const poolInterest = this.protocolFeeBps === 0n ? this.interestAt(t) : interest(this.principal, this.netApr, t - this.start);
    return { debt, penalty, owed: min(debt + penalty, MAX_UINT96), bookValue: this.principal + poolInterest };
  }

  /** `liquidationPriceAt(asOf)`: the lowest floor keeping the loan healthy when it was read. */
  get liquidationPrice(): bigint {
    return this.liquidationPriceAt(this.asOf);
  }

  /** `debtAt(asOf)`. */
  get debt(): bigint {
    return this.debtAt(this.asOf);
  }

  /** SPEC §3: overdue when `t > maturity + gracePeriod`. */
  isOverdue(t: bigint): boolean {
    return t > this.maturity + this.gracePeriod;
  }

  /** DutchAuctionLiquidator.sol `_liquidatable`: active and overdue, or unhealthy at a fresh price. */
  isLiquidatable(t: bigint, floorPrice: bigint, fresh: boolean): boolean {
    if (this.status !== 1) return false;
    if (this.isOverdue(t)) return true;
    if (!fresh) return false;
    return this.healthDebtAt(t) > bpsDown(this.appraisal(floorPrice), this.liquidationThresholdBps);
  }

  /** Why the loan is liquidatable at `t`, or null. */
  liquidationReason(t: bigint, floorPrice: bigint, fresh: boolean): "overdue" | "unhealthy" | null {
    if (this.status !== 1) return null;
    if (this.isOverdue(t)) return "overdue";
    if (fresh && this.healthDebtAt(t) > bpsDown(this.appraisal(floorPrice), this.liquidationThresholdBps)) return "unhealthy";
    return null;
  }
}

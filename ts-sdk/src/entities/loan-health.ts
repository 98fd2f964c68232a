// A loan and its health at a floor, at one time: the one shape the borrower's `health`, the keeper's scan and the
// app's loan list share (issue #29: it was modelled three times). Every figure is the Loan entity's own rule.
import type { Loan } from "./loan.ts";

/** A collection's floor as the liquidator reads it (CollectionRegistry `appraisal(collection, 1x)`). */
export interface Floor {
  price: bigint;
  /** Whether the oracle's price is fresh: an unhealthy loan is liquidatable only at a fresh price. */
  fresh: boolean;
}

/** Why a loan may be liquidated now (SPEC §3.10, §7.1). */
export type LiquidationReason = "overdue" | "unhealthy";

/** A loan with its health at `floor`, at `timestamp`. */
export interface LoanHealth {
  loan: Loan;
  timestamp: bigint;
  /** Principal plus interest (and late fee once overdue) at `timestamp`. */
  debt: bigint;
  /** WAD; below 1e18 the loan is liquidatable at a fresh price (DutchAuctionLiquidator `health`). */
  health: bigint;
  floorPrice: bigint;
  priceFresh: boolean;
  /** The floor below which the loan becomes unhealthy (rounded Up). */
  liquidationPrice: bigint;
  overdue: boolean;
  /** Why the loan may be liquidated now, or null. */
  liquidatable: LiquidationReason | null;
}

/** `loan`'s health at `floor` at time `t`, every figure from the Loan entity. */
export function loanHealthAt(loan: Loan, floor: Floor, t: bigint): LoanHealth {
  return {
    loan,
    timestamp: t,
    debt: loan.debtAt(t),
    health: loan.health(floor.price, t),
    floorPrice: floor.price,
    priceFresh: floor.fresh,
    liquidationPrice: loan.liquidationPriceAt(t),
    overdue: loan.isOverdue(t),
    liquidatable: loan.liquidationReason(t, floor.price, floor.fresh),
  };
}

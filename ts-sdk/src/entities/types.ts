// The protocol's enumerations as the contracts number them: tranches, loan and auction statuses; and the integer
// bounds the entities check against.
import { StrataMathError } from "../errors.ts";
import { mulDivDown, mulDivUp } from "../math/fixed-point.ts";

export const MAX_UINT128 = (1n << 128n) - 1n;
export const MAX_UINT96 = (1n << 96n) - 1n;

/** The two tranches (IStrataPool.sol `enum Tranche`). */
export const Tranche = { Senior: 0, Junior: 1 } as const;
export type TrancheId = (typeof Tranche)[keyof typeof Tranche];
export const TRANCHE_NAMES = ["senior", "junior"] as const;
export type TrancheName = (typeof TRANCHE_NAMES)[number];

/** `trancheId("junior") === 1`; accepts a name or an id. */
export function trancheId(t: TrancheName | TrancheId): TrancheId {
  if (t === 0 || t === 1) return t;
  if (t === "senior") return Tranche.Senior;
  if (t === "junior") return Tranche.Junior;
  throw new StrataMathError(`unknown tranche ${String(t)} (expected "senior" or "junior")`);
}

/** A loan's life cycle (IStrataPool.sol `enum LoanStatus`). */
export const LOAN_STATUS = ["None", "Active", "Repaid", "Liquidating", "Liquidated", "Recovering"] as const;
export type LoanStatusName = (typeof LOAN_STATUS)[number];
/** An auction's life cycle (ILiquidator.sol `enum AuctionStatus`). */
export const AUCTION_STATUS = ["None", "Running", "Sold", "Redeemed", "Recovered"] as const;
export type AuctionStatusName = (typeof AUCTION_STATUS)[number];


/** OpenZeppelin Math.mulDiv with an explicit rounding. */
export const mulDiv = (x: bigint, y: bigint, d: bigint, rounding: "Down" | "Up") => (rounding === "Up" ? mulDivUp(x, y, d) : mulDivDown(x, y, d));

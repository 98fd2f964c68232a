// Line-for-line port of src/interest/RateCurve.sol (RateCurveLib) and src/interest/LoanInterest.sol.
// Results are bigint and equal to the contracts' to the wei; where a contract reverts, the port throws a typed error
// (proved against a chain in ts-sdk/test/interest.test.ts).
import { encodeBytes32String } from "ethers";
import { StrataError, StrataMathError } from "../errors.ts";
import { WAD, YEAR, min, mulDivDown, mulDivUp } from "./fixed-point.ts";

const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;

/** A kinked utilization rate curve; every field is a WAD that fits in uint64 (the Solidity struct's field type). */
export interface RateCurve {
  baseRate: bigint;
  slope1: bigint;
  slope2: bigint;
  kink: bigint;
}

// ---------------------------------------------------------------------------------------------- RateCurveLib

/** Lowest kink governance may set (1 % utilization). */
export const MIN_KINK = 10n ** 16n;
/** Highest kink governance may set (99 % utilization). */
export const MAX_KINK = 99n * 10n ** 16n;
/** Highest base rate (100 % APR). */
export const MAX_BASE_RATE = 10n ** 18n;
/** Highest first slope (200 % APR). */
export const MAX_SLOPE1 = 2n * 10n ** 18n;
/** Highest second slope (1,000 % APR). */
export const MAX_SLOPE2 = 10n * 10n ** 18n;
/** Highest `baseRate + slope1 + slope2` (1,000 % APR). */
export const MAX_APR = 10n * 10n ** 18n;

/** The Solidity custom errors of RateCurveLib, by name. */
export type RateCurveErrorName = "ParameterOutOfBounds" | "DegenerateKink";

/**
 * A custom error a line-for-line port reproduces: `errorName` and `args` equal the contract revert's (the first
 * argument of `ParameterOutOfBounds` is the parameter's name as the contract's bytes32).
 */
export class PortedRevertError<N extends string = string> extends StrataError {
  readonly errorName: N;
  readonly args: readonly (bigint | string)[];

  constructor(errorName: N, args: readonly (bigint | string)[], message: string) {
    super(`${errorName}(${args.join(", ")}): ${message}`);
    this.errorName = errorName;
    this.args = args;
  }
}

/** Thrown where RateCurveLib reverts with a custom error. */
export class RateCurveError extends PortedRevertError<RateCurveErrorName> {}

function assertUint(x: bigint, max: bigint, what: string): void {
  if (x < 0n || x > max) throw new StrataMathError(`${what} out of range: ${x}`);
}

function assertCurve(c: RateCurve): void {
  assertUint(c.baseRate, MAX_UINT64, "baseRate (uint64)");
  assertUint(c.slope1, MAX_UINT64, "slope1 (uint64)");
  assertUint(c.slope2, MAX_UINT64, "slope2 (uint64)");
  assertUint(c.kink, MAX_UINT64, "kink (uint64)");
}

/** Pool utilization `borrowed / (borrowed + cash)` as a WAD, rounded up; 0 when nothing is borrowed. */
export function utilization(borrowed: bigint, cash: bigint): bigint {
  assertUint(borrowed, MAX_UINT256, "borrowed (uint256)");
  assertUint(cash, MAX_UINT256, "cash (uint256)");
  if (borrowed === 0n) return 0n;
  // The contract reverts with a checked-arithmetic panic here.
  if (borrowed + cash > MAX_UINT256) throw new StrataMathError(`borrowed + cash overflows uint256: ${borrowed} + ${cash}`);
  return mulDivUp(borrowed, WAD, borrowed + cash);
}

/** APR (WAD) of the curve at `utilizationWad` (capped at WAD); each division rounds up. */
export function apr(c: RateCurve, utilizationWad: bigint): bigint {
  assertCurve(c);
  assertUint(utilizationWad, MAX_UINT256, "utilization (uint256)");
  const kink = c.kink;
  if (kink === 0n || kink >= WAD) {
    throw new RateCurveError("DegenerateKink", [kink], "the curve's kink must be strictly between 0 and 1e18");
  }
  const u = min(utilizationWad, WAD);
  if (u <= kink) {
    return c.baseRate + mulDivUp(c.slope1, u, kink);
  }
  return c.baseRate + c.slope1 + mulDivUp(c.slope2, u - kink, WAD - kink);
}

/** The curve's APR at full utilization, `baseRate + slope1 + slope2`. */
export function maxApr(c: RateCurve): bigint {
  assertCurve(c);
  return c.baseRate + c.slope1 + c.slope2;
}

/** Throws a RateCurveError (the first violated bound, as the contract checks them) unless the curve is in bounds. */
export function validate(c: RateCurve): void {
  assertCurve(c);
  const out = (parameter: string, value: bigint, lo: bigint, hi: bigint, why: string) =>
    new RateCurveError("ParameterOutOfBounds", [encodeBytes32String(parameter), value, lo, hi], `${parameter} ${why}`);
  if (c.kink < MIN_KINK || c.kink > MAX_KINK) throw out("kink", c.kink, MIN_KINK, MAX_KINK, "must be within [1 %, 99 %]");
  if (c.baseRate > MAX_BASE_RATE) throw out("baseRate", c.baseRate, 0n, MAX_BASE_RATE, "above 100 %");
  if (c.slope1 > MAX_SLOPE1) throw out("slope1", c.slope1, 0n, MAX_SLOPE1, "above 200 %");
  if (c.slope2 > MAX_SLOPE2) throw out("slope2", c.slope2, 0n, MAX_SLOPE2, "above 1,000 %");
  const top = maxApr(c);
  if (top > MAX_APR) throw out("maxApr", top, 0n, MAX_APR, "(base + slope1 + slope2) above 1,000 %");
}

// ---------------------------------------------------------------------------------------------- LoanInterest

/** `YEAR * WAD`: turns `principal * aprWad * seconds` into asset units. */
export const DENOMINATOR = YEAR * WAD;
/** Largest principal `interest` and `loanRate` accept (uint96 max). */
export const MAX_PRINCIPAL = (1n << 96n) - 1n;
/** Largest APR `interest` and `loanRate` accept (uint64 max). */
export const MAX_LOAN_APR = MAX_UINT64;

/** The Solidity custom errors of LoanInterest, by name. */
export type LoanInterestErrorName = "InterestOperandOutOfRange" | "AccruedUnderflow";

/** Thrown where LoanInterest reverts with a custom error. */
export class LoanInterestError extends PortedRevertError<LoanInterestErrorName> {}

/** A loan's contribution to the pool's `rateSum`: `principal * aprWad` (< 2^160). */
export function loanRate(principal: bigint, aprWad: bigint): bigint {
  assertUint(principal, MAX_UINT256, "principal (uint256)");
  assertUint(aprWad, MAX_UINT256, "apr (uint256)");
  if (principal > MAX_PRINCIPAL || aprWad > MAX_LOAN_APR) {
    throw new LoanInterestError(
      "InterestOperandOutOfRange",
      [principal, aprWad],
      "principal must fit in uint96 and apr in uint64",
    );
  }
  return principal * aprWad;
}

/** Interest owed: `ceil(principal * aprWad * elapsed / (365 days * 1e18))`. */
export function interest(principal: bigint, aprWad: bigint, elapsed: bigint): bigint {
  return mulDivUp(loanRate(principal, aprWad), elapsed, DENOMINATOR);
}

/** Interest accrued by the whole book at `t`: `floor((t * rateSum - rateTimeSum) / (365 days * 1e18))`. */
export function accrued(rateSum: bigint, rateTimeSum: bigint, t: bigint): bigint {
  assertUint(rateTimeSum, MAX_UINT256, "rateTimeSum (uint256)");
  const q1 = mulDivDown(t, rateSum, DENOMINATOR);
  const r1 = (t * rateSum) % DENOMINATOR;
  const q2 = rateTimeSum / DENOMINATOR;
  const r2 = rateTimeSum % DENOMINATOR;
  const borrow = r1 < r2 ? 1n : 0n;
  if (q1 < q2 + borrow) {
    throw new LoanInterestError(
      "AccruedUnderflow",
      [t, rateSum, rateTimeSum],
      "t * rateSum < rateTimeSum: a loan in the aggregate starts after t",
    );
  }
  return q1 - q2 - borrow;
}

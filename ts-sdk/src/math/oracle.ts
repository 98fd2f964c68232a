// Line-for-line port of AppraisalOracle's price update (src/oracle/AppraisalOracle.sol: pushPrice, emaUpdate,
// floorPrice). Results are bigint and equal to the contract's to the wei (proved against a chain in
// ts-sdk/test/oracle.test.ts), so a reporter can predict the value a push produces, or whether it will revert.
import { StrataError } from "../errors.ts";
import { bpsDown, mulDivDown, mulDivUp } from "./fixed-point.ts";

export const MAX_WINDOW = 7n * 24n * 3600n;
export const MIN_DEVIATION_BPS = 1n;
export const MAX_DEVIATION_BPS = 5000n;
export const MIN_MAX_AGE = 60n;
export const MAX_MAX_AGE = 7n * 24n * 3600n;
export const MAX_PRICE = (1n << 128n) - 1n;

/** A collection's record, as returned by `AppraisalOracle.collectionInfo`. */
export interface OracleCollection {
  value: bigint;
  updatedAt: bigint;
  window: bigint;
  maxDeviationBps: bigint;
  maxAge: bigint;
}

/** A push the contract would revert (same cases as the contract's custom errors). */
export class OraclePushError extends StrataError {}
/** `UnknownCollection(collection)`: the collection is not configured. */
export class UnknownCollectionError extends OraclePushError {}
/** `ZeroPrice` / `PriceTooLarge`: the price is 0 or above `type(uint128).max`. */
export class InvalidPriceError extends OraclePushError {}
/** `PriceDeviationTooHigh(collection, price, value, maxDeviationBps)`. */
export class PriceDeviationTooHighError extends OraclePushError {
  readonly price: bigint;
  readonly value: bigint;
  readonly maxDeviationBps: bigint;
  constructor(price: bigint, value: bigint, maxDeviationBps: bigint) {
    super(`price ${price} deviates from the oracle value ${value} by more than ${maxDeviationBps} bps`);
    this.price = price;
    this.value = value;
    this.maxDeviationBps = maxDeviationBps;
  }
}

/**
 * The EMA step: floor(value + (price - value) * min(elapsed, window) / window), or price when window == 0 or
 * elapsed >= window. Equals `AppraisalOracle.emaUpdate`.
 */
export function emaUpdate(value: bigint, price: bigint, elapsed: bigint, window: bigint): bigint {
  if (elapsed >= window) return price; // also covers window == 0
  if (price >= value) return value + mulDivDown(price - value, elapsed, window);
  return value - mulDivUp(value - price, elapsed, window);
}

/** Whether a push of `price` passes the deviation guard against `value`: |price - value| <= bpsDown(value, bps). */
export function withinDeviation(value: bigint, price: bigint, maxDeviationBps: bigint): boolean {
  const diff = price > value ? price - value : value - price;
  return !(diff > bpsDown(value, maxDeviationBps));
}

/**
 * The record after a push of `price` at timestamp `now` (the block's), or the typed error the contract would revert
 * with. Mirrors `AppraisalOracle.pushPrice` step by step (reporter authorisation is not modelled).
 */
export function applyPush(c: OracleCollection, price: bigint, now: bigint): OracleCollection {
  if (c.maxAge === 0n) throw new UnknownCollectionError("collection is not configured in the oracle");
  if (price === 0n) throw new InvalidPriceError("price must be positive");
  if (price > MAX_PRICE) throw new InvalidPriceError(`price ${price} exceeds uint128 max ${MAX_PRICE}`);

  const oldValue = c.value;
  let newValue: bigint;
  if (oldValue === 0n) {
    newValue = price;
  } else {
    if (!withinDeviation(oldValue, price, c.maxDeviationBps)) {
      throw new PriceDeviationTooHighError(price, oldValue, c.maxDeviationBps);
    }
    newValue = emaUpdate(oldValue, price, now - c.updatedAt, c.window);
  }
  return { ...c, value: newValue, updatedAt: now };
}

/** `floorPrice(collection)` at timestamp `now`: fresh iff value > 0 and now - updatedAt <= maxAge. */
export function floorPrice(c: OracleCollection, now: bigint): { price: bigint; updatedAt: bigint; fresh: boolean } {
  return { price: c.value, updatedAt: c.updatedAt, fresh: c.value > 0n && now - c.updatedAt <= c.maxAge };
}

// Line-for-line port of src/libraries/FixedPointMath.sol. Every function states its rounding direction;
// results are bigint and equal to the contract's to the wei (proved against a chain in ts-sdk/test/math.test.ts).
import { StrataMathError } from "../errors.ts";

export const WAD = 10n ** 18n;
export const BPS = 10_000n;
export const YEAR = 365n * 24n * 3600n;
const MAX_UINT256 = (1n << 256n) - 1n;

function check(x: bigint, y: bigint, d: bigint): void {
  if (x < 0n || y < 0n || d < 0n || x > MAX_UINT256 || y > MAX_UINT256 || d > MAX_UINT256) {
    throw new StrataMathError(`operands must be uint256: ${x}, ${y}, ${d}`);
  }
  if (d === 0n) throw new StrataMathError(`division by zero in mulDiv(${x}, ${y}, 0)`);
}

/** floor(x * y / d); throws where the contract reverts (d == 0, result over uint256). */
export function mulDivDown(x: bigint, y: bigint, d: bigint): bigint {
  check(x, y, d);
  const z = (x * y) / d;
  if (z > MAX_UINT256) throw new StrataMathError(`mulDiv overflow: ${x} * ${y} / ${d}`);
  return z;
}

/** ceil(x * y / d). */
export function mulDivUp(x: bigint, y: bigint, d: bigint): bigint {
  const z = mulDivDown(x, y, d);
  if ((x * y) % d !== 0n) {
    if (z === MAX_UINT256) throw new StrataMathError(`mulDiv overflow: ${x} * ${y} / ${d}`);
    return z + 1n;
  }
  return z;
}

export const wMulDown = (x: bigint, y: bigint): bigint => mulDivDown(x, y, WAD);
export const wMulUp = (x: bigint, y: bigint): bigint => mulDivUp(x, y, WAD);
export const wDivDown = (x: bigint, y: bigint): bigint => mulDivDown(x, WAD, y);
export const wDivUp = (x: bigint, y: bigint): bigint => mulDivUp(x, WAD, y);
export const bpsDown = (x: bigint, bps: bigint): bigint => mulDivDown(x, bps, BPS);
export const bpsUp = (x: bigint, bps: bigint): bigint => mulDivUp(x, bps, BPS);
export const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
export const zeroFloorSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);

/** e^(rate * elapsed / YEAR) - 1 as a WAD, third-order Taylor expansion, rounded down. */
export function wTaylorCompoundedDown(rateWad: bigint, elapsed: bigint): bigint {
  const firstTerm = mulDivDown(rateWad, elapsed, YEAR);
  const secondTerm = mulDivDown(firstTerm, firstTerm, 2n * WAD);
  const thirdTerm = mulDivDown(secondTerm, firstTerm, 3n * WAD);
  return firstTerm + secondTerm + thirdTerm;
}

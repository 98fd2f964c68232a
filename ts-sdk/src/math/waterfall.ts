// Line-for-line port of src/libraries/Waterfall.sol: the senior/junior split of NAV and the subordination limits
// (SPEC §5). Every result equals the contract's to the wei (ts-sdk/test/waterfall.test.ts proves it on a chain).
import { BPS, min, mulDivDown, wMulDown, wTaylorCompoundedDown, zeroFloorSub } from "./fixed-point.ts";

const MAX_UINT256 = (1n << 256n) - 1n;

/** The senior claim compounded at `rateWad` for `elapsed` seconds (Taylor, rounded down). */
export function compoundClaimDown(claim: bigint, rateWad: bigint, elapsed: bigint): bigint {
  if (claim === 0n || elapsed === 0n || rateWad === 0n) return claim;
  return claim + wMulDown(claim, wTaylorCompoundedDown(rateWad, elapsed));
}

/**
 * The rate the senior claim accrues at (Waterfall.accrualRateDown, SPEC §5.1): `rateWad × principal / (principal +
 * cash)`, rounded Down: the senior's rate on its share of lent capital; 0 with nothing lent.
 */
export function accrualRateDown(rateWad: bigint, principal: bigint, cash: bigint): bigint {
  if (principal === 0n) return 0n;
  return mulDivDown(rateWad, principal, principal + cash);
}

/** Splits NAV between the senior (paid first, up to its claim) and the junior (the rest). */
export function split(nav: bigint, claim: bigint): { seniorValue: bigint; juniorValue: bigint } {
  const seniorValue = min(claim, nav);
  return { seniorValue, juniorValue: nav - seniorValue };
}

/** The largest senior deposit keeping `juniorValue >= minJuniorRatioBps * (nav + x)`, rounded down. */
export function maxSeniorDeposit(juniorValue: bigint, nav: bigint, minJuniorRatioBps: bigint): bigint {
  if (minJuniorRatioBps === 0n) return MAX_UINT256;
  return zeroFloorSub(mulDivDown(juniorValue, BPS, minJuniorRatioBps), nav);
}

/** The largest junior withdrawal keeping `juniorValue - y >= minJuniorRatioBps * (nav - y)`, rounded down. */
export function maxJuniorWithdraw(juniorValue: bigint, nav: bigint, minJuniorRatioBps: bigint): bigint {
  if (minJuniorRatioBps === 0n) return juniorValue;
  const room = zeroFloorSub(juniorValue * BPS, minJuniorRatioBps * nav);
  return min(room / (BPS - minJuniorRatioBps), juniorValue);
}

/**
 * How much the senior claim falls when `shares` of `supply` senior shares are burned for `assets`
 * (Waterfall.claimReduction): the last exit takes the whole claim; every other exit lowers it by exactly the assets
 * paid, whole or impaired, so what an impaired exiter forgoes stays owed to the remaining seniors (SPEC §5.1, A-4).
 */
export function claimReduction(claim: bigint, assets: bigint, shares: bigint, supply: bigint): bigint {
  if (shares >= supply) return claim;
  return assets;
}

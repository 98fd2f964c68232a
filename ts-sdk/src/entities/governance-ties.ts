// Governance ties the contracts do not enforce (SPEC §8.2): the risk-premium tie between the senior rate and every
// listed curve. Checking it on chain would cost `setSeniorRate` gas in the number of collections (SPEC §4.2), so the
// governance tooling checks it on the state a proposal leaves, before anything is scheduled (Governance.propose and
// safeSchedule). Pure: the caller reads the state.
import { BPS } from "../math/fixed-point.ts";

/** SPEC §8.2: the margin every curve's base rate, net of the protocol fee, keeps above the senior rate (10 %). */
export const PREMIUM_MARGIN_BPS = 1_000n;

/** The largest senior rate a curve with base rate `baseRate` allows: `base × (1 − fee) × (1 − margin)`, Down. */
export function maxSeniorRateFor(baseRate: bigint, protocolFeeBps: bigint): bigint {
  return (((baseRate * (BPS - protocolFeeBps)) / BPS) * (BPS - PREMIUM_MARGIN_BPS)) / BPS;
}

/** A listed collection's curve as the tie sees it. */
export interface TieCurve {
  collection: string;
  baseRate: bigint;
}

/** Every collection whose curve breaks the risk-premium tie with `seniorRate` (SPEC §8.2, §9.8), in words. */
export function riskPremiumViolations(seniorRate: bigint, protocolFeeBps: bigint, curves: readonly TieCurve[]): string[] {
  const pct = (x: bigint) => `${(Number(x) / 1e16).toFixed(2)} %`;
  return curves
    .filter((c) => seniorRate > maxSeniorRateFor(c.baseRate, protocolFeeBps))
    .map(
      (c) =>
        `senior rate ${pct(seniorRate)} > ${pct(maxSeniorRateFor(c.baseRate, protocolFeeBps))} = the base rate ${pct(c.baseRate)} of ${c.collection} ` +
        `x (1 - ${Number(protocolFeeBps) / 100} % protocol fee) x (1 - ${Number(PREMIUM_MARGIN_BPS) / 100} % margin)`,
    );
}

// A listed collection (CollectionRegistry.sol): its parameters and floor, and the borrow rules on them (the LTV
// bound of an appraisal, the rarity multiplier a borrow gets).
import { PreconditionError } from "../errors.ts";
import { bpsDown } from "../math/fixed-point.ts";
import type { RateCurve } from "../math/interest.ts";
import type { RarityProofData } from "../math/rarity.ts";

/** A listed collection: its governance parameters, listing state and oracle floor. */
export interface CollectionInfo {
  address: string;
  listed: boolean;
  paused: boolean;
  oracle: string;
  ltvBps: bigint;
  liquidationThresholdBps: bigint;
  liquidationPenaltyBps: bigint;
  lateFeeBps: bigint;
  maxRarityBps: bigint;
  minDuration: bigint;
  maxDuration: bigint;
  exposureCap: bigint;
  exposure: bigint;
  curve: RateCurve;
  rarityRoot: string;
  /** CollectionRegistry `noProofRarity`: the multiplier of a borrow without a proof (10,000 without a rarity list;
   *  with one, governance's value, or 0 when none is set and a proof is required, SPEC §3.4). */
  noProofRarityBps: bigint;
  floorPrice: bigint;
  priceUpdatedAt: bigint;
  priceFresh: boolean;
}

/** CollectionRegistry `borrowTerms`' LTV bound: `bpsDown(bpsDown(floor, rarityBps), ltvBps)`. */
export function maxPrincipalOf(c: CollectionInfo, rarityBps: bigint = 10_000n): bigint {
  return bpsDown(bpsDown(c.floorPrice, rarityBps), c.ltvBps);
}

/** The borrow had no rarity proof against a collection whose rarity list has no proof-less multiplier yet. */
export class RarityProofRequiredError extends PreconditionError {
  constructor(collection: string, tokenId: bigint) {
    super(`RarityProofRequired: ${collection} has a rarity list and no proof-less multiplier: borrowing token ${tokenId} needs its rarity proof (--rarity <file>)`);
  }
}

/**
 * CollectionRegistry `borrowTerms`' rarity: a proven multiplier capped at `maxRarityBps`; without a proof, the
 * collection's proof-less multiplier (1x without a rarity list; throws `RarityProofRequiredError` when a list has
 * none). The proof itself is checked by `verifyRarityProof` before anything is sent.
 */
export function borrowRarityBps(c: CollectionInfo, tokenId: bigint, rarity?: RarityProofData): bigint {
  if (rarity && rarity.proof.length > 0) return rarity.multiplierBps < c.maxRarityBps ? rarity.multiplierBps : c.maxRarityBps;
  if (c.noProofRarityBps === 0n) throw new RarityProofRequiredError(c.address, tokenId);
  return c.noProofRarityBps;
}

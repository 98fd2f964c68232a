// A listed collection (CollectionRegistry.sol): its parameters and floor, and the borrow rules on them (the LTV
// bound of an appraisal, the rarity multiplier a borrow gets).
import { PreconditionError } from "../errors.ts";
import { bpsDown } from "../math/fixed-point.ts";
import type { RateCurve } from "../math/interest.ts";
import { InvalidRarityProofError, type RarityProofData, RarityRootMismatchError, verifyRarityProof } from "../math/rarity.ts";

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

/** CollectionRules `borrowTerms`' LTV bound (src/pool/logic/CollectionRules.sol): `bpsDown(bpsDown(floor, rarityBps), ltvBps)`. */
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
 * CollectionRules `borrowTerms`' rarity: a proven multiplier capped at `maxRarityBps`; without a proof, the
 * collection's proof-less multiplier (1x without a rarity list; throws `RarityProofRequiredError` when a list has
 * none). The proof itself is checked by `verifyRarityProof` before anything is sent.
 */
export function borrowRarityBps(c: CollectionInfo, tokenId: bigint, rarity?: RarityProofData): bigint {
  if (rarity && rarity.proof.length > 0) return rarity.multiplierBps < c.maxRarityBps ? rarity.multiplierBps : c.maxRarityBps;
  if (c.noProofRarityBps === 0n) throw new RarityProofRequiredError(c.address, tokenId);
  return c.noProofRarityBps;
}

/**
 * The multiplier the chain would price `tokenId` at with `rarity` (`borrowRarityBps`), after the checks a borrow
 * makes before anything is sent (the NFT approval included): a list's root must be the collection's
 * (RarityRootMismatchError: a wrong or stale file) and a proof must verify against it (InvalidRarityProofError).
 */
export function checkedRarityBps(c: CollectionInfo, tokenId: bigint, rarity?: RarityProofData & { root?: string }): bigint {
  if (rarity?.root !== undefined && rarity.root.toLowerCase() !== c.rarityRoot.toLowerCase()) throw new RarityRootMismatchError(rarity.root, c.rarityRoot);
  if (rarity && rarity.proof.length > 0 && !verifyRarityProof(c.rarityRoot, tokenId, rarity)) {
    throw new InvalidRarityProofError(tokenId, rarity.multiplierBps, c.rarityRoot);
  }
  return borrowRarityBps(c, tokenId, rarity);
}

/**
 * The floor below which a loan of `principal` opened now at `rarityBps` would be liquidatable at once: the smallest
 * appraisal whose liquidation threshold covers the debt (`debt × 10,000 / liquidationThresholdBps`, Up), divided by
 * the rarity (Up), as `Loan.liquidationPriceAt` computes it for a live loan (the debt at origination is the principal).
 */
export function originationLiquidationPrice(c: CollectionInfo, principal: bigint, rarityBps: bigint): bigint {
  const minAppraisal = (principal * 10_000n + c.liquidationThresholdBps - 1n) / c.liquidationThresholdBps;
  return (minAppraisal * 10_000n + rarityBps - 1n) / rarityBps;
}

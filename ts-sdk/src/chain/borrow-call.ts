// Borrowing through the SDK: the call for `StrataPool.borrow`, with the optional delegate.xyz v2 delegate of the
// locked token (SPEC §3.7). The pool has two `borrow` overloads; the SDK always names the one it means by its full
// signature, and uses the six-argument one when no delegate is asked for (that borrow pays nothing for delegation).
import { MaxUint256, ZeroAddress, getAddress } from "ethers";
import { StrataError } from "../errors.ts";

export class BorrowRequestError extends StrataError {}

export const BORROW = "borrow(address,uint256,uint256,uint256,uint256,(uint256,bytes32[]))";
export const BORROW_WITH_DELEGATE = "borrow(address,uint256,uint256,uint256,uint256,(uint256,bytes32[]),address)";

export interface RarityArg {
  multiplierBps: bigint;
  proof: string[];
}

export interface BorrowRequest {
  collection: string;
  tokenId: bigint;
  principal: bigint;
  /** Seconds. */
  duration: bigint;
  /** Highest apr accepted (WAD); default: any. */
  maxApr?: bigint;
  /** Rarity multiplier and proof; default: none (the collection's proof-less multiplier, SPEC §3.4). */
  rarity?: RarityArg;
  /** Address the pool delegates the locked token to in the delegate.xyz v2 registry while the loan is active. */
  delegate?: string;
}

/** The pool method (full signature) and arguments for `request`, ready for `exec(pool, method, args)`. */
export function borrowCall(request: BorrowRequest): { method: string; args: unknown[] } {
  if (request.principal <= 0n) throw new BorrowRequestError(`principal must be positive, got ${request.principal}`);
  const rarity = request.rarity ? { multiplierBps: request.rarity.multiplierBps, proof: request.rarity.proof } : { multiplierBps: 0n, proof: [] };
  const args: unknown[] = [
    getAddress(request.collection),
    request.tokenId,
    request.principal,
    request.duration,
    request.maxApr ?? MaxUint256,
    rarity,
  ];
  if (request.delegate === undefined || getAddress(request.delegate) === ZeroAddress) return { method: BORROW, args };
  return { method: BORROW_WITH_DELEGATE, args: [...args, getAddress(request.delegate)] };
}

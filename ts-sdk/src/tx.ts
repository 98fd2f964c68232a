// Sending a contract transaction safely against a live node.
import type { Contract, TransactionReceipt } from "ethers";
import { StrataError } from "./errors.ts";

/** A transaction that would revert (decoded custom error when the ABI knows it) or that reverted on chain. */
export class TransactionError extends StrataError {}

/**
 * Calls `method` on `contract`: a static call first, so a revert surfaces as the contract's decoded custom error;
 * then the node's gas estimate with a 25 % margin (an estimate is made on a pending block whose timestamp can differ
 * from the one that mines the transaction, and a storage write that was a no-op at the estimate's timestamp can cost
 * 2,900 gas more at the real one); then the receipt, checked.
 */
export async function exec(contract: Contract, method: string, args: unknown[]): Promise<TransactionReceipt> {
  const fn = contract.getFunction(method);
  try {
    await fn.staticCall(...args);
  } catch (e) {
    const reason = (e as { revert?: { name: string; args: unknown[] } }).revert;
    const detail = reason ? `${reason.name}(${reason.args.join(", ")})` : (e as Error).message;
    throw new TransactionError(`${method} would revert: ${detail}`);
  }
  const gasLimit = ((await fn.estimateGas(...args)) * 125n) / 100n;
  const receipt = await (await fn(...args, { gasLimit })).wait();
  if (!receipt || receipt.status !== 1) throw new TransactionError(`${method} reverted on chain (tx ${receipt?.hash})`);
  return receipt;
}

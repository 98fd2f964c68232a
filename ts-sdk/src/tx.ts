// Sending a contract transaction safely against a live node (the model: gondixyz/gondi-js): every write is simulated
// (static call, revert decoded into a StrataContractError), then sent with a gas margin, then its receipt checked and
// its Strata events parsed.
import type { BaseContract, Contract, ContractTransactionResponse, TransactionReceipt } from "ethers";
import { type StrataEvent, decodeError, parseStrataEvents } from "./decode.ts";
import { TransactionFailedError } from "./errors.ts";

/** Options of every write. */
export interface WriteOptions {
  /** Gas margin over the node's estimate, in percent (default 25). */
  gasMarginPct?: number;
  /** Confirmations to wait for (default 1). */
  confirmations?: number;
  /** Called with the hash as soon as the transaction is sent (progress display). */
  onSent?: (hash: string) => void;
}

/** What every write returns: the hash, the checked receipt, and the Strata events it emitted. */
export interface WriteResult {
  hash: string;
  receipt: TransactionReceipt;
  events: StrataEvent[];
}

/** Kept for backwards compatibility: TransactionFailedError is what a failed write throws. */
export { TransactionFailedError as TransactionError };

/** A contract label for messages: `StrataPool.borrow`. */
function label(contract: BaseContract, method: string): string {
  const name = (contract as unknown as { __strataName?: string }).__strataName;
  return name ? `${name}.${method}` : method;
}

/** Static-calls `method` and returns its result; a revert throws the decoded StrataContractError. */
export async function simulate<T = unknown>(contract: BaseContract, method: string, args: readonly unknown[]): Promise<T> {
  const fn = (contract as Contract).getFunction(method);
  try {
    return (await fn.staticCall(...args)) as T;
  } catch (e) {
    throw decodeError(e, label(contract, method));
  }
}

/**
 * Calls `method` on `contract`: a static call first, so a revert surfaces as the contract's decoded custom error;
 * then the node's gas estimate with a margin (an estimate is made on a pending block whose timestamp can differ from
 * the one that mines the transaction, and a storage write that was a no-op at the estimate's timestamp can cost
 * 2,900 gas more at the real one); then the receipt, checked, and the Strata events in it.
 */
export async function send(contract: BaseContract, method: string, args: readonly unknown[], opts: WriteOptions = {}): Promise<WriteResult> {
  const fn = (contract as Contract).getFunction(method);
  const action = label(contract, method);
  await simulate(contract, method, args);
  let gasLimit: bigint;
  try {
    gasLimit = ((await fn.estimateGas(...args)) * BigInt(100 + (opts.gasMarginPct ?? 25))) / 100n;
  } catch (e) {
    throw decodeError(e, action);
  }
  let tx: ContractTransactionResponse;
  try {
    tx = (await fn(...args, { gasLimit })) as ContractTransactionResponse;
  } catch (e) {
    throw decodeError(e, action);
  }
  opts.onSent?.(tx.hash);
  let receipt: TransactionReceipt | null;
  try {
    receipt = await tx.wait(opts.confirmations ?? 1);
  } catch (e) {
    const d = decodeError(e, action);
    if (d !== e) throw d;
    throw new TransactionFailedError(`${action} reverted on chain (tx ${tx.hash})`, tx.hash);
  }
  if (!receipt || receipt.status !== 1) throw new TransactionFailedError(`${action} reverted on chain (tx ${tx.hash})`, tx.hash);
  return { hash: tx.hash, receipt, events: parseStrataEvents(receipt.logs) };
}

/** `send`, returning only the receipt (the demo's and older tests' helper). */
export async function exec(contract: Contract, method: string, args: unknown[]): Promise<TransactionReceipt> {
  return (await send(contract, method, args)).receipt;
}

/** The first event called `name` in `events`, or throws (a write that should have emitted it did not). */
export function eventOf(result: WriteResult, name: string): StrataEvent {
  const e = result.events.find((x) => x.name === name);
  if (!e) throw new TransactionFailedError(`transaction ${result.hash} emitted no ${name} event`, result.hash);
  return e;
}

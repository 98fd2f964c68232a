// Sending a contract transaction safely against a live node (the model: gondixyz/gondi-js): every write is simulated
// (static call, revert decoded into a StrataContractError), then sent with a gas margin, then its receipt checked and
// its Strata events parsed.
//
// Round trips: the simulation, the gas estimate and (for a local key) the nonce, the fee data and the chain id are
// independent reads, issued together so that ethers' JsonRpcProvider sends them as one JSON-RPC batch. A local key
// (an ethers Wallet) then signs the transaction itself and broadcasts the raw bytes: the hash is the keccak of those
// bytes, so nothing is recovered from the signature again (ethers' broadcastTransaction re-parses the signed bytes
// and recovers the sender, which we already know). Every write's receipt is asked for straight away (a node that
// mines on arrival, like anvil, has it), then polled (confirmations, replacement: see receiptOf).
import {
  AbstractProvider,
  type BaseContract,
  BaseWallet,
  type Contract,
  type ContractTransactionResponse,
  type PerformActionRequest,
  type Provider,
  type TransactionLike,
  type TransactionReceipt,
  type TransactionRequest,
  keccak256,
} from "ethers";
import { type StrataEvent, decodeError, parseStrataEvents } from "./decode.ts";
import { TransactionFailedError } from "../errors.ts";
import type { ErrorUnits } from "../units.ts";

/** Options of every write. */
export interface WriteOptions {
  /** Gas margin over the node's estimate, in percent (default 25). */
  gasMarginPct?: number;
  /** Confirmations to wait for (default 1). */
  confirmations?: number;
  /** Called with the hash as soon as the transaction is sent (progress display). */
  onSent?: (hash: string) => void;
  /** Display units of the asset (and shares): a revert's message then shows its amounts in tokens (role clients set it). */
  units?: ErrorUnits;
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
export async function simulate<T = unknown>(contract: BaseContract, method: string, args: readonly unknown[], units?: ErrorUnits): Promise<T> {
  const fn = (contract as Contract).getFunction(method);
  try {
    return (await fn.staticCall(...args)) as T;
  } catch (e) {
    throw decodeError(e, label(contract, method), units);
  }
}

/** `estimate * (100 + margin) / 100`, rounded down (the margin is the safety; a wei of gas either way is nothing). */
function withMargin(estimate: bigint, opts: WriteOptions): bigint {
  return (estimate * BigInt(100 + (opts.gasMarginPct ?? 25))) / 100n;
}

/** The settled value, or the decoded error of the call that failed (the simulation's first: it names the revert). */
function settled<T>(r: PromiseSettledResult<T>, action: string, units?: ErrorUnits): T {
  if (r.status === "rejected") throw decodeError(r.reason, action, units);
  return r.value;
}

/**
 * Calls `method` on `contract`: a static call first, so a revert surfaces as the contract's decoded custom error;
 * then the node's gas estimate with a margin (an estimate is made on a pending block whose timestamp can differ from
 * the one that mines the transaction, and a storage write that was a no-op at the estimate's timestamp can cost
 * 2,900 gas more at the real one); then the receipt, checked, and the Strata events in it. The static call and the
 * estimate go out together (one batch); a revert in either throws the static call's decoded error.
 *
 * `checks`: the caller's own precondition checks (typed errors, e.g. a role client's), already started, whose reads
 * then share the simulation's batch. Nothing is sent unless they resolve; their error is thrown first, as is.
 */
export async function send(
  contract: BaseContract,
  method: string,
  args: readonly unknown[],
  opts: WriteOptions = {},
  checks?: Promise<unknown>,
): Promise<WriteResult> {
  checks?.catch(() => undefined); // awaited below, after the batch is out (no unhandled rejection meanwhile)
  const runner = contract.runner;
  if (runner instanceof BaseWallet && runner.provider) return sendSigned(contract, runner, runner.provider, method, args, opts, checks);
  return sendThroughSigner(contract, method, args, opts, checks);
}

/** Any other signer (a browser wallet, a JSON-RPC account): ethers' own send and wait. */
async function sendThroughSigner(contract: BaseContract, method: string, args: readonly unknown[], opts: WriteOptions, checks?: Promise<unknown>): Promise<WriteResult> {
  const fn = (contract as Contract).getFunction(method);
  const action = label(contract, method);
  const [sim, estimate] = await Promise.allSettled([simulate(contract, method, args, opts.units), fn.estimateGas(...args)]);
  await checks;
  settled(sim, action, opts.units);
  const gasLimit = withMargin(settled(estimate, action, opts.units), opts);
  let tx: ContractTransactionResponse;
  try {
    tx = (await fn(...args, { gasLimit })) as ContractTransactionResponse;
  } catch (e) {
    throw decodeError(e, action, opts.units);
  }
  opts.onSent?.(tx.hash);
  const provider = contract.runner?.provider;
  if (!provider) throw new TransactionFailedError(`${action}: the signer has no provider to wait for transaction ${tx.hash} with`, tx.hash);
  return checked(action, tx.hash, await receiptOf(provider, tx.hash, tx.from, tx.nonce, action, opts.confirmations ?? 1));
}

/**
 * A local key: simulation, estimate, nonce, fee data and chain id in one batch; signed here; the raw bytes
 * broadcast; the receipt asked for at once, then waited for the ethers way if the node has not mined it yet.
 */
async function sendSigned(
  contract: BaseContract,
  wallet: BaseWallet,
  provider: Provider,
  method: string,
  args: readonly unknown[],
  opts: WriteOptions,
  checks?: Promise<unknown>,
): Promise<WriteResult> {
  const fn = (contract as Contract).getFunction(method);
  const action = label(contract, method);
  let call: TransactionRequest;
  try {
    call = { ...(await fn.populateTransaction(...args)), from: wallet.address };
  } catch (e) {
    throw decodeError(e, action, opts.units); // an argument the ABI refuses: ethers' INVALID_ARGUMENT, as before
  }
  const [sim, estimate, nonce, fees, network] = await Promise.allSettled([
    provider.call(call),
    provider.estimateGas(call),
    provider.getTransactionCount(wallet.address, "pending"),
    provider.getFeeData(),
    provider.getNetwork(),
  ]);
  await checks;
  settled(sim, action, opts.units);
  const fee = settled(fees, action, opts.units);
  const tx: TransactionLike<string> = {
    to: call.to as string,
    data: call.data,
    value: call.value ?? 0n,
    from: wallet.address,
    nonce: settled(nonce, action, opts.units),
    gasLimit: withMargin(settled(estimate, action, opts.units), opts),
    chainId: settled(network, action, opts.units).chainId,
  };
  // ethers' populateTransaction rule: EIP-1559 when the node reports a base fee, a legacy gas price otherwise
  if (fee.maxFeePerGas !== null && fee.maxPriorityFeePerGas !== null) {
    tx.type = 2;
    tx.maxFeePerGas = fee.maxFeePerGas;
    tx.maxPriorityFeePerGas = fee.maxPriorityFeePerGas;
  } else {
    tx.type = 0;
    tx.gasPrice = fee.gasPrice;
  }
  let hash: string;
  try {
    const signed = await wallet.signTransaction(tx);
    hash = keccak256(signed);
    const sent =
      provider instanceof AbstractProvider
        ? await provider._perform<string>({ method: "broadcastTransaction", signedTransaction: signed } as PerformActionRequest)
        : (await provider.broadcastTransaction(signed)).hash;
    if (sent.toLowerCase() !== hash) throw new TransactionFailedError(`${action}: the node answered hash ${sent} for transaction ${hash}`, hash);
  } catch (e) {
    throw decodeError(e, action, opts.units);
  }
  opts.onSent?.(hash);
  return checked(action, hash, await receiptOf(provider, hash, wallet.address, tx.nonce!, action, opts.confirmations ?? 1));
}

/** How often a wait polls: the provider's polling interval when it has one (JsonRpcProvider), else 1 s. */
function pollingInterval(provider: Provider): number {
  const ms = (provider as unknown as { pollingInterval?: unknown }).pollingInterval;
  return typeof ms === "number" && ms > 0 ? ms : 1000;
}

/**
 * The receipt of `hash` (sent by `from` with `nonce`), once `confirmations` blocks have it: asked for at once (a node
 * that mines on arrival has it), then polled. Not ethers' `wait`: it listens for blocks *after* it starts, so a
 * transaction mined between its first receipt check and its block poller's start is never seen on a chain that then
 * mines nothing else (an idle anvil: the demo hung there). A transaction whose nonce is used and whose receipt is
 * still missing was replaced or dropped: TransactionFailedError.
 */
async function receiptOf(provider: Provider, hash: string, from: string, nonce: number, action: string, confirmations: number): Promise<TransactionReceipt> {
  const interval = pollingInterval(provider);
  try {
    for (;;) {
      const receipt = await provider.getTransactionReceipt(hash);
      if (receipt) {
        if (confirmations <= 1 || (await provider.getBlockNumber()) - receipt.blockNumber + 1 >= confirmations) return receipt;
      } else if ((await provider.getTransactionCount(from, "latest")) > nonce && !(await provider.getTransactionReceipt(hash))) {
        throw new TransactionFailedError(`${action}: transaction ${hash} was replaced or dropped (nonce ${nonce} of ${from} is used)`, hash);
      }
      await new Promise((r) => setTimeout(r, interval));
    }
  } catch (e) {
    throw decodeError(e, action);
  }
}

function checked(action: string, hash: string, receipt: TransactionReceipt): WriteResult {
  if (receipt.status !== 1) throw new TransactionFailedError(`${action} reverted on chain (tx ${hash})`, hash);
  return { hash, receipt, events: parseStrataEvents(receipt.logs) };
}

/**
 * The checked receipt of a transaction already sent (an ethers TransactionResponse): the same polling as every
 * `send` (not ethers' `wait`, see receiptOf); a revert throws TransactionFailedError.
 */
export async function mined(tx: { hash: string; from: string; nonce: number; provider: Provider }, confirmations = 1): Promise<TransactionReceipt> {
  const action = `transaction ${tx.hash}`;
  return checked(action, tx.hash, await receiptOf(tx.provider, tx.hash, tx.from, tx.nonce, action, confirmations)).receipt;
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

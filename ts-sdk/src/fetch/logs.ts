// Paginated eth_getLogs: the one reader of event ranges for every resumable scan (the loan book, the keeper's watches
// of auctions and failed revocations). A node refuses an unbounded range (most cap a request at 10,000 blocks or a
// number of results), so a scan reads pages of `step` blocks and records after each page where it stands.
import { type JsonRpcApiProvider, type Provider, toQuantity } from "ethers";
import { InvalidArgumentError } from "../errors.ts";
import { rpcSend } from "../chain/rpc.ts";

/** A log as eth_getLogs returns it (hex strings; `blockNumber` a quantity or, through a Provider, a number). */
export interface RawLog {
  topics: string[];
  data: string;
  blockNumber: string | number;
}

/** Blocks per eth_getLogs page unless the caller says otherwise. */
export const DEFAULT_LOG_STEP = 10_000;

/**
 * Reads the logs of `address` matching `topics` over blocks `from ..= to`, in pages of `step` blocks, and hands each
 * page to `onPage` in order with the page's last block (the caller records `end + 1` as where it resumes). Raw JSON-RPC
 * where the provider can send it (decoding stays with the caller: a 10,000-loan book is megabytes of hex), else
 * `provider.getLogs`.
 */
export async function forEachLogPage(
  provider: Provider,
  filter: { address: string; topics: (string | string[])[] },
  range: { from: number; to: number; step?: number },
  onPage: (logs: RawLog[], end: number) => void,
): Promise<void> {
  const step = range.step ?? DEFAULT_LOG_STEP;
  if (!Number.isSafeInteger(step) || step < 1) throw new InvalidArgumentError(`step must be a positive number of blocks, got ${step}`);
  const raw = typeof (provider as unknown as JsonRpcApiProvider).send === "function";
  for (let start = range.from; start <= range.to; ) {
    const end = Math.min(range.to, start + step - 1);
    const logs = (raw
      ? await rpcSend(provider, "eth_getLogs", [{ ...filter, fromBlock: toQuantity(start), toBlock: toQuantity(end) }])
      : await provider.getLogs({ ...filter, fromBlock: start, toBlock: end })) as RawLog[];
    onPage(logs, end);
    start = end + 1;
  }
}

/**
 * Runs a resumable scan's syncs one at a time, in call order (`LoanBook`, `EventWatch`): each starts where the one
 * before it stopped, and two never interleave their pages (an older page applied after a newer one would undo it). A
 * failed sync does not stop the next, which retries from where the failed one stopped.
 */
export class SyncQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

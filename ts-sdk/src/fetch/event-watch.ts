// The ids an event names, followed from block to block: the first indexed topic of one event of one contract, read by
// paginated getLogs from where the last read stopped, and dropped by the caller once an id can no longer matter (an
// auction that ended, a delegation revoked). The keeper's watches of `AuctionStarted` and `LoanDelegateRevokeFailed`
// are two of them: each tick reads the new blocks only, and reads each id it still holds, never the whole history.
import type { Provider } from "ethers";
import { InvalidArgumentError } from "../errors.ts";
import { forEachLogPage } from "./logs.ts";

/** Serialisable state of an EventWatch (saved between runs, like a LoanBook). */
export interface EventWatchJson {
  address: string;
  topic: string;
  nextBlock: number;
  ids: string[];
}

export class EventWatch {
  readonly address: string;
  /** topic0 of the event followed. */
  readonly topic: string;
  /** The first block not read yet. */
  nextBlock: number;
  readonly #ids = new Set<bigint>();
  #syncing: Promise<void> = Promise.resolve();

  constructor(address: string, topic: string, fromBlock = 0) {
    this.address = address;
    this.topic = topic.toLowerCase();
    this.nextBlock = fromBlock;
  }

  static fromJSON(j: EventWatchJson): EventWatch {
    const w = new EventWatch(j.address, j.topic, j.nextBlock);
    for (const id of j.ids) w.#ids.add(BigInt(id));
    return w;
  }

  toJSON(): EventWatchJson {
    return { address: this.address, topic: this.topic, nextBlock: this.nextBlock, ids: this.ids().map(String) };
  }

  /** The ids held, ascending. */
  ids(): bigint[] {
    return [...this.#ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Stops following `id` (its event can no longer matter to the caller). */
  drop(id: bigint): void {
    this.#ids.delete(id);
  }

  /**
   * Reads blocks `nextBlock ..= toBlock` in pages of `step` blocks and adds the id of each log. Calls are queued: two
   * concurrent syncs read each block once. A `toBlock` the watch has already passed reads nothing.
   */
  async sync(provider: Provider, opts: { toBlock: number; step?: number }): Promise<void> {
    if (!Number.isSafeInteger(opts.toBlock) || opts.toBlock < 0) throw new InvalidArgumentError(`toBlock must be a block number, got ${opts.toBlock}`);
    const run = this.#syncing.then(() =>
      forEachLogPage(provider, { address: this.address, topics: [this.topic] }, { from: this.nextBlock, to: opts.toBlock, step: opts.step }, (logs, end) => {
        for (const log of logs) this.#ids.add(BigInt(log.topics[1]));
        this.nextBlock = end + 1;
      }),
    );
    this.#syncing = run.catch(() => undefined); // a failed page leaves nextBlock at the last page read; the next sync retries
    return run;
  }
}

// The ids an event names, followed from block to block: the first indexed topic of one event of one contract, read by
// paginated getLogs from where the last read stopped, and let go by the caller once an id can no longer matter (an
// auction that ended, a delegation revoked). The keeper's watches of `AuctionStarted` and `LoanDelegateRevokeFailed`
// are two of them: each tick reads the new blocks only, and reads each id it still holds, never the whole history.
//
// Reorgs and lagging nodes: every sync reads again the last `depth` blocks it read before (an event a reorg moved, or
// that a node behind the head had not served yet, is found there; ids are a set, so a second read adds nothing), and
// an id is let go only once it has been seen ended for `depth` blocks (an end that a reorg undoes is seen undone first:
// `live` takes the id back).
import type { Provider } from "ethers";
import { InvalidArgumentError } from "../errors.ts";
import { SyncQueue, forEachLogPage } from "./logs.ts";

/** Blocks a watch reads again and waits before letting an ended id go: deeper than any reorg seen since the merge. */
export const WATCH_DEPTH = 12;

/** Serialisable state of an EventWatch (saved between runs, like a LoanBook). */
export interface EventWatchJson {
  address: string;
  topic: string;
  nextBlock: number;
  ids: string[];
  /** The ids seen ended, with the first block they were seen ended at (absent in a file from before the reorg rule). */
  ended?: [string, number][];
  depth?: number;
}

export class EventWatch {
  readonly address: string;
  /** topic0 of the event followed. */
  readonly topic: string;
  /** Blocks read again at every sync, and held after an id is seen ended (see the file's note). */
  readonly depth: number;
  /** The first block the next sync reads (it reads the last `depth` blocks before the head it reached again). */
  nextBlock: number;
  readonly #ids = new Set<bigint>();
  readonly #ended = new Map<bigint, number>();
  readonly #queue = new SyncQueue();

  constructor(address: string, topic: string, fromBlock = 0, depth = WATCH_DEPTH) {
    if (!Number.isSafeInteger(depth) || depth < 0) throw new InvalidArgumentError(`depth must be a number of blocks, got ${depth}`);
    this.address = address;
    this.topic = topic.toLowerCase();
    this.nextBlock = fromBlock;
    this.depth = depth;
  }

  static fromJSON(j: EventWatchJson): EventWatch {
    const w = new EventWatch(j.address, j.topic, j.nextBlock, j.depth ?? WATCH_DEPTH);
    for (const id of j.ids) w.#ids.add(BigInt(id));
    for (const [id, at] of j.ended ?? []) if (w.#ids.has(BigInt(id))) w.#ended.set(BigInt(id), at);
    return w;
  }

  toJSON(): EventWatchJson {
    const ended = [...this.#ended].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([id, at]) => [String(id), at] as [string, number]);
    return { address: this.address, topic: this.topic, nextBlock: this.nextBlock, ids: this.ids().map(String), ended, depth: this.depth };
  }

  /** The ids held, ascending (those seen ended less than `depth` blocks ago included). */
  ids(): bigint[] {
    return [...this.#ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * `id` was seen ended (for good, unless a reorg undoes it) at `block`: it is let go once it has been seen ended
   * `depth` blocks after the first time.
   */
  ended(id: bigint, block: number): void {
    if (!this.#ids.has(id)) return;
    const first = this.#ended.get(id);
    if (first === undefined) this.#ended.set(id, block);
    if (block - (first ?? block) >= this.depth) {
      this.#ids.delete(id);
      this.#ended.delete(id);
    }
  }

  /** `id` was seen live (not ended): an end seen before was undone by a reorg. */
  live(id: bigint): void {
    this.#ended.delete(id);
  }

  /**
   * Reads blocks `nextBlock ..= toBlock` in pages of `step` blocks and adds the id of each log; the next sync starts
   * `depth` blocks before `toBlock + 1` (never before where this one started). Calls are queued: two concurrent syncs
   * do not interleave their pages.
   */
  async sync(provider: Provider, opts: { toBlock: number; step?: number }): Promise<void> {
    if (!Number.isSafeInteger(opts.toBlock) || opts.toBlock < 0) throw new InvalidArgumentError(`toBlock must be a block number, got ${opts.toBlock}`);
    // a failed page leaves nextBlock at the last page read; the next sync retries from there
    return this.#queue.run(async () => {
      const from = this.nextBlock;
      await forEachLogPage(provider, { address: this.address, topics: [this.topic] }, { from, to: opts.toBlock, step: opts.step }, (logs, end) => {
        for (const log of logs) this.#ids.add(BigInt(log.topics[1]));
        this.nextBlock = Math.max(from, end + 1 - this.depth);
      });
    });
  }
}

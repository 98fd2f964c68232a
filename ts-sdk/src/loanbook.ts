// The loan book from the pool's events: `LoanOriginated` adds a loan, a full `LoanRepaid` (nothing remaining) or a
// `LoanImpaired` removes it. Read by paginated getLogs, resumable from the last block seen (`toJSON`/`fromJSON`),
// then the live loans are read in batches through the pool's own `multicall` (fetch.ts `fetchLoans`).
import { Interface, type Provider } from "ethers";
import type { Deployment } from "./deployment.ts";
import { StrataPoolAbi } from "./generated/abis.ts";

const iface = new Interface(StrataPoolAbi as never);
const ORIGINATED = iface.getEvent("LoanOriginated")!.topicHash;
const REPAID = iface.getEvent("LoanRepaid")!.topicHash;
const IMPAIRED = iface.getEvent("LoanImpaired")!.topicHash;

/** One live loan as the events describe it. */
export interface BookEntry {
  id: bigint;
  borrower: string;
  collection: string;
  tokenId: bigint;
  originatedAt: number;
}

/** Serialisable state of a LoanBook (for resuming a scan). */
export interface LoanBookJson {
  pool: string;
  nextBlock: number;
  active: { id: string; borrower: string; collection: string; tokenId: string; originatedAt: number }[];
}

export class LoanBook {
  readonly pool: string;
  /** The first block not scanned yet. */
  nextBlock: number;
  readonly active = new Map<bigint, BookEntry>();

  constructor(pool: string, fromBlock = 0) {
    this.pool = pool;
    this.nextBlock = fromBlock;
  }

  static fromJSON(j: LoanBookJson): LoanBook {
    const b = new LoanBook(j.pool, j.nextBlock);
    for (const e of j.active) {
      b.active.set(BigInt(e.id), { id: BigInt(e.id), borrower: e.borrower, collection: e.collection, tokenId: BigInt(e.tokenId), originatedAt: e.originatedAt });
    }
    return b;
  }

  toJSON(): LoanBookJson {
    return {
      pool: this.pool,
      nextBlock: this.nextBlock,
      active: [...this.active.values()].map((e) => ({ ...e, id: e.id.toString(), tokenId: e.tokenId.toString() })),
    };
  }

  /** Active loan ids, ascending. */
  ids(): bigint[] {
    return [...this.active.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Active loans of `borrower`. */
  of(borrower: string): BookEntry[] {
    const b = borrower.toLowerCase();
    return [...this.active.values()].filter((e) => e.borrower.toLowerCase() === b);
  }

  /** Scans blocks `nextBlock ..= toBlock` (default latest) in pages of `step` blocks; returns the logs processed. */
  async sync(provider: Provider, opts: { toBlock?: number; step?: number } = {}): Promise<number> {
    const to = opts.toBlock ?? (await provider.getBlockNumber());
    const step = opts.step ?? 10_000;
    let processed = 0;
    while (this.nextBlock <= to) {
      const end = Math.min(to, this.nextBlock + step - 1);
      const logs = await provider.getLogs({ address: this.pool, topics: [[ORIGINATED, REPAID, IMPAIRED]], fromBlock: this.nextBlock, toBlock: end });
      for (const log of logs) {
        const id = BigInt(log.topics[1]);
        if (log.topics[0] === ORIGINATED) {
          const ev = iface.decodeEventLog("LoanOriginated", log.data, log.topics);
          this.active.set(id, { id, borrower: ev.borrower as string, collection: ev.collection as string, tokenId: ev.tokenId as bigint, originatedAt: log.blockNumber });
        } else if (log.topics[0] === REPAID) {
          const ev = iface.decodeEventLog("LoanRepaid", log.data, log.topics);
          if ((ev.principalRemaining as bigint) === 0n) this.active.delete(id);
        } else {
          this.active.delete(id);
        }
        processed++;
      }
      this.nextBlock = end + 1;
    }
    return processed;
  }
}

/** A LoanBook of `d`'s pool, synced to the latest block. */
export async function loadLoanBook(provider: Provider, d: Deployment, opts: { fromBlock?: number; step?: number } = {}): Promise<LoanBook> {
  const book = new LoanBook(d.pool, opts.fromBlock ?? 0);
  await book.sync(provider, { step: opts.step });
  return book;
}

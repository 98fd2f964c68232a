// The loan book from the pool's events: `LoanOriginated` adds a loan, a full `LoanRepaid` (nothing remaining) or a
// `LoanImpaired` removes it. Read by paginated getLogs, resumable from the last block seen (`toJSON`/`fromJSON`),
// then the live loans are read in batches straight from the pool's storage (fetch/loan.ts `fetchLoans`). A new
// book can instead be loaded from a storage snapshot of the active loans (`load`, fetch.ts `fetchActiveLoans`) and then
// follow the events from the next block.
import { Interface, type Provider, getAddress } from "ethers";
import type { Deployment } from "../chain/deployment.ts";
import { StrataPoolAbi } from "../generated/abis.ts";
import { DecoderError, InvalidArgumentError } from "../errors.ts";
import { SyncQueue, forEachLogPage } from "./logs.ts";
import { addressDecoder } from "./block.ts";

const iface = new Interface(StrataPoolAbi as never);
const ORIGINATED = iface.getEvent("LoanOriginated")!.topicHash;
const REPAID = iface.getEvent("LoanRepaid")!.topicHash;
const IMPAIRED = iface.getEvent("LoanImpaired")!.topicHash;

// The positional decoding below relies on these layouts; a contract change that moves a field fails here, at load.
const layout = (name: string) => iface.getEvent(name)!.inputs.map((p) => `${p.indexed ? "indexed " : ""}${p.type} ${p.name}`).join(",");
if (!layout("LoanOriginated").startsWith("indexed uint256 loanId,indexed address borrower,indexed address collection,uint256 tokenId")) {
  throw new DecoderError("loanbook.ts: LoanOriginated layout changed; update the decoder");
}
if (layout("LoanRepaid") !== "indexed uint256 loanId,indexed address payer,uint256 principalPaid,uint256 interestPaid,uint256 lateFee,uint256 protocolFee,uint256 principalRemaining") {
  throw new DecoderError("loanbook.ts: LoanRepaid layout changed; update the decoder");
}

/** One live loan as the events describe it. */
export interface BookEntry {
  id: bigint;
  borrower: string;
  collection: string;
  tokenId: bigint;
  /** The block of its LoanOriginated event; for a book loaded from a storage snapshot (`load`), the snapshot block. */
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

  /**
   * Fills an empty book from a storage snapshot of the active loans at block `blockNumber` (`fetchActiveLoans`); the
   * next `sync` reads the events from the block after it. `originatedAt` is then the snapshot block (storage keeps
   * no origination block).
   */
  load(loans: readonly { id: bigint; borrower: string; collection: string; tokenId: bigint; status: number }[], blockNumber: number): void {
    if (this.active.size !== 0 || this.nextBlock > blockNumber) throw new InvalidArgumentError(`LoanBook.load: the book is already synced to block ${this.nextBlock - 1}`);
    for (const l of loans) {
      if (l.status !== 1) throw new InvalidArgumentError(`LoanBook.load: loan ${l.id} is not active (status ${l.status})`);
      this.active.set(l.id, { id: l.id, borrower: l.borrower, collection: l.collection, tokenId: l.tokenId, originatedAt: blockNumber });
    }
    this.nextBlock = blockNumber + 1;
  }

  /** Active loans of `borrower`. */
  of(borrower: string): BookEntry[] {
    const b = borrower.toLowerCase();
    return [...this.active.values()].filter((e) => e.borrower.toLowerCase() === b);
  }

  /**
   * Scans blocks `nextBlock ..= toBlock` (default latest) in pages of `step` blocks; returns the logs processed.
   * Logs are read with raw `eth_getLogs` and decoded by position (the events' fixed layouts, checked against the
   * generated ABI at load), which keeps a 10,000-loan book to milliseconds of decoding.
   */
  sync(provider: Provider, opts: { toBlock?: number; step?: number } = {}): Promise<number> {
    // queued (`SyncQueue`): an older page applied after a newer one would bring back a loan repaid since
    return this.#queue.run(() => this.#sync(provider, opts));
  }

  readonly #queue = new SyncQueue();

  async #sync(provider: Provider, opts: { toBlock?: number; step?: number }): Promise<number> {
    const to = opts.toBlock ?? (await provider.getBlockNumber());
    const addr = addressDecoder();
    let processed = 0;
    const filter = { address: this.pool, topics: [[ORIGINATED, REPAID, IMPAIRED]] };
    await forEachLogPage(provider, filter, { from: this.nextBlock, to, step: opts.step }, (logs, end) => {
      for (const log of logs) {
        const topic0 = log.topics[0].toLowerCase();
        const id = BigInt(log.topics[1]);
        if (topic0 === ORIGINATED) {
          // LoanOriginated(loanId, borrower, collection indexed; tokenId, ...): tokenId is data word 0
          this.active.set(id, { id, borrower: addr(log.topics[2]), collection: addr(log.topics[3]), tokenId: BigInt(`0x${log.data.slice(2, 66)}`), originatedAt: Number(log.blockNumber) });
        } else if (topic0 === REPAID) {
          // LoanRepaid(loanId, payer indexed; principalPaid, interestPaid, lateFee, protocolFee, principalRemaining)
          if (BigInt(`0x${log.data.slice(2 + 64 * 4, 2 + 64 * 5)}`) === 0n) this.active.delete(id);
        } else {
          this.active.delete(id);
        }
        processed++;
      }
      this.nextBlock = end + 1;
    });
    return processed;
  }
}

/** A LoanBook of `d`'s pool, synced to the latest block. */
export async function loadLoanBook(provider: Provider, d: Deployment, opts: { fromBlock?: number; step?: number } = {}): Promise<LoanBook> {
  const book = new LoanBook(d.pool, opts.fromBlock ?? 0);
  await book.sync(provider, { step: opts.step });
  return book;
}

// The keeper bot: a loop of ticks over the SDK's Keeper client. Each tick, in this order:
//   1. optional price pushes (reporter key; prices read from a file each tick),
//   2. liquidations: Keeper.findLiquidatable() (overdue or unhealthy at a fresh price; the loan book resumes its event
//      scan from the last block it saw; it and the keeper's watches of auctions and failed revocations are saved to
//      the state file after each tick and resumed from it at start, so no tick reads the chain's history again),
//   3. auction buys: every running auction whose current price is at most the limit (a share of the collateral's
//      appraisal, --max-price-bps, or an absolute --max-price),
//   4. queue service: each tranche whose queue can serve a request now (Keeper.queueWait is null),
//   5. stale delegations: each closed loan whose delegation the pool could not revoke (Keeper.staleDelegations) is
//      revoked (since 0.4 an impaired loan's NFT stays in the pool through its auction, where such a delegation is
//      live; SPEC §3.7).
// A gas-price cap skips sending for the tick. --dry-run simulates every action (a static call: decoded revert or
// the contract's answer) and sends nothing. One log line per action. stop() (SIGINT) ends the loop after the tick.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Provider } from "ethers";
import {
  type Deployment,
  Keeper,
  type KeeperStateJson,
  Reporter,
  StrataError,
  Tranche,
  type TrancheName,
  InsufficientBalanceError,
  InvalidArgumentError,
  erc20At,
  fetchCollection,
  fetchLoan,
  fetchPool,
  formatAmount,
  keeperStateFor,
  formatHealth,
  parseAmount,
  simulate,
} from "../index.ts";
import { deploymentAddress } from "../governance/proposal.ts";

/** The most a bot buys an auction for, as a share of the collateral's appraisal: the appraisal itself. */
export const MAX_PRICE_BPS = 10_000n;

/** Refuses options a bot must never run with (InvalidArgumentError), before anything touches the chain. */
export function checkBotOptions(opts: KeeperBotOptions): void {
  if (opts.maxPriceBps !== undefined && (opts.maxPriceBps < 1n || opts.maxPriceBps > MAX_PRICE_BPS)) {
    throw new InvalidArgumentError(
      `maxPriceBps must be 1 .. ${MAX_PRICE_BPS} (at most the appraisal), got ${opts.maxPriceBps} (${Number(opts.maxPriceBps) / 100} % of the appraisal)`,
    );
  }
}

export interface KeeperBotOptions {
  /** Simulate and log, send nothing. */
  dryRun?: boolean;
  /**
   * Buy an auction when its price is at most this share (bps) of the collateral's appraisal: 1 .. 10,000
   * (MAX_PRICE_BPS; paying more than the appraisal is refused when the bot is created).
   */
  maxPriceBps?: bigint;
  /** Buy an auction when its price is at most this many asset units. */
  maxPrice?: bigint;
  /** Do not send while the node's gas price is above this (wei). */
  maxGasPrice?: bigint;
  /** Serve the redemption queues (default true). */
  processQueues?: boolean;
  /** Requests served per processQueue call. */
  queueBatch?: bigint;
  /** A JSON file { "<collection address>": "<price in token units>" } pushed each tick (reporter key). */
  pricesFile?: string;
  /** Where the keeper's state (`Keeper.state()`: loan book, auction and revocation watches) is saved after each tick and resumed from at start. */
  stateFile?: string;
  /** Seconds between ticks. */
  intervalSeconds?: number;
  log?: (line: string) => void;
}

/** One thing the bot did or would do. */
export interface KeeperAction {
  kind: "push" | "liquidate" | "buy" | "process" | "revoke" | "skip" | "error";
  target: string;
  detail: string;
  hash?: string;
  dryRun: boolean;
}

export class KeeperBot {
  readonly keeper: Keeper;
  readonly opts: KeeperBotOptions;
  #stopped = false;
  #wake: (() => void) | null = null;
  readonly #log: (line: string) => void;

  /** The same signer as a price reporter (used only with `pricesFile`). */
  readonly reporter: Reporter;

  private constructor(keeper: Keeper, reporter: Reporter, opts: KeeperBotOptions) {
    this.keeper = keeper;
    this.reporter = reporter;
    this.opts = opts;
    this.#log = opts.log ?? ((l) => process.stdout.write(`${l}\n`));
  }

  /** A bot over `keeper`; the loan book is resumed from `opts.stateFile` when it exists. */
  static async create(signer: import("ethers").Signer, d: Deployment, opts: KeeperBotOptions = {}): Promise<KeeperBot> {
    checkBotOptions(opts);
    // the loan book and the watches of auctions and failed revocations, resumed where the last run saved them
    const state = opts.stateFile && existsSync(opts.stateFile) ? keeperStateFor(JSON.parse(readFileSync(opts.stateFile, "utf8")) as KeeperStateJson, d) : {};
    const [keeper, reporter] = await Promise.all([Keeper.connect(signer, d, state), Reporter.connect(signer, d)]);
    return new KeeperBot(keeper, reporter, opts);
  }

  get provider(): Provider {
    return this.keeper.provider;
  }

  private line(a: KeeperAction): void {
    const ts = new Date().toISOString();
    this.#log(`${ts} keeper ${a.dryRun && a.kind !== "skip" && a.kind !== "error" ? "would " : ""}${a.kind} ${a.target}: ${a.detail}${a.hash ? ` tx ${a.hash}` : ""}`);
  }

  /** One pass; returns the actions taken (or simulated). */
  async tick(): Promise<KeeperAction[]> {
    const actions: KeeperAction[] = [];
    const dry = this.opts.dryRun === true;
    const act = (a: Omit<KeeperAction, "dryRun">) => {
      const full = { ...a, dryRun: dry };
      actions.push(full);
      this.line(full);
    };
    const d = this.keeper.deployment;
    const c = this.keeper.contracts;

    if (this.opts.maxGasPrice !== undefined) {
      const fee = await this.provider.getFeeData();
      const price = fee.gasPrice ?? fee.maxFeePerGas ?? 0n;
      if (price > this.opts.maxGasPrice) {
        act({ kind: "skip", target: "tick", detail: `gas price ${price} wei above the cap ${this.opts.maxGasPrice} wei: nothing sent` });
        return actions;
      }
    }
    // One block for the tick's reads: the snapshot, and (without price pushes to send first) the liquidation scan and
    // the running auctions, all issued together at that block.
    const latest = await this.provider.getBlock("latest");
    if (!latest) throw new StrataError("no latest block");
    const tickBlock = { blockNumber: latest.number, timestamp: BigInt(latest.timestamp) };
    const wantAuctions = this.opts.maxPriceBps !== undefined || this.opts.maxPrice !== undefined;
    const scan = this.opts.pricesFile ? null : this.keeper.scan({ pinned: tickBlock });
    const early = !this.opts.pricesFile && wantAuctions ? this.keeper.auctions({ pinned: tickBlock }) : null;
    scan?.catch(() => undefined); // awaited below
    early?.catch(() => undefined);
    const snap = await fetchPool(this.provider, d, { pinned: tickBlock });
    const dec = snap.pool.assetDecimals;
    const amount = (x: bigint) => formatAmount(x, dec, { maxDecimals: 2, symbol: snap.pool.assetSymbol });

    const attempt = async (kind: KeeperAction["kind"], target: string, detail: string, simulateFn: () => Promise<unknown>, sendFn: () => Promise<{ hash: string }>) => {
      try {
        if (dry) {
          await simulateFn();
          act({ kind, target, detail });
        } else {
          const r = await sendFn();
          act({ kind, target, detail, hash: r.hash });
        }
      } catch (e) {
        act({ kind: "error", target, detail: `${kind} failed: ${e instanceof StrataError ? e.message : (e as Error).message?.split("\n")[0]}` });
      }
    };

    // 1. prices
    if (this.opts.pricesFile) {
      const prices = JSON.parse(readFileSync(this.opts.pricesFile, "utf8")) as Record<string, string | number>;
      for (const [key, p] of Object.entries(prices)) {
        const collection = deploymentAddress(d, key) ?? key;
        const price = parseAmount(String(p), dec);
        await attempt("push", `price ${collection}`, amount(price), () => simulate(c.oracle, "pushPrice", [collection, price]), () => this.reporter.pushPrice(collection, price));
      }
    }

    // 2. liquidations
    const scanned = await (scan ?? this.keeper.scan());
    const sentBefore = actions.filter((x) => x.hash !== undefined).length;
    for (const cand of scanned.candidates) {
      const l = cand.loan;
      const detail = `loan ${l.id} (${cand.liquidatable}, health ${formatHealth(cand.health)}, debt ${amount(l.debtAt(snap.pool.timestamp))})`;
      await attempt("liquidate", `loan ${l.id}`, detail, () => simulate(c.liquidator, "liquidate", [l.id]), () => this.keeper.liquidate(l.id));
    }

    // 3. auctions under the limit
    if (wantAuctions) {
      // the auctions read with the scan when nothing has been sent since (no new auction to see), else at the latest
      const sentSinceScan = actions.filter((x) => x.hash !== undefined).length > sentBefore;
      const head = sentSinceScan || !early ? await this.provider.getBlock("latest") : null;
      const pinned = head ? { blockNumber: head.number, timestamp: BigInt(head.timestamp) } : { blockNumber: scanned.blockNumber, timestamp: scanned.timestamp };
      const now = pinned.timestamp + 1n;
      const running = head ? await this.keeper.auctions({ pinned }) : await early!;
      for (const a of running) {
        const price = a.priceAt(now);
        let limit = this.opts.maxPrice ?? 0n;
        let basis = "absolute limit";
        if (this.opts.maxPriceBps !== undefined) {
          const loan = await fetchLoan(this.provider, d, a.id, { pinned });
          const info = await fetchCollection(this.provider, d, loan.collection, { pinned });
          const byAppraisal = loan.appraisalShare(info.floorPrice, this.opts.maxPriceBps);
          if (this.opts.maxPrice === undefined || byAppraisal < limit) {
            limit = byAppraisal;
            basis = `${Number(this.opts.maxPriceBps) / 100} % of appraisal ${amount(loan.appraisal(info.floorPrice))}`;
          }
        }
        if (price > limit) continue;
        const detail = `price ${amount(price)} <= ${amount(limit)} (${basis})`;
        // a dry run simulates the buy only when the allowance is already there: the live run approves first
        const allowance = await erc20At(d.asset, this.provider).allowance(await this.keeper.address(), d.liquidator);
        await attempt(
          "buy",
          `auction ${a.id}`,
          dry && allowance < limit ? `${detail}, after approving ${amount(limit)} to the liquidator` : detail,
          () => (allowance < limit ? this.#requireBalance(price) : simulate(c.liquidator, "buy", [a.id, limit])),
          () => this.keeper.buy(a.id, limit),
        );
      }
    }

    // 4. queues
    if (this.opts.processQueues !== false) {
      // this tick's snapshot is still the state when the bot has sent nothing (a dry run never does)
      const fresh = actions.some((x) => x.hash !== undefined) ? await fetchPool(this.provider, d) : snap;
      for (const name of ["senior", "junior"] as TrancheName[]) {
        const t = fresh.tranche(name);
        const id = name === "senior" ? Tranche.Senior : Tranche.Junior;
        // nothing to serve (empty, waiting for liquidations, head in its notice period, no cash): no action
        if ((await this.keeper.queueWait(id, fresh)) !== null) continue;
        const vault = id === Tranche.Senior ? c.senior : c.junior;
        const batch = this.opts.queueBatch ?? 10n;
        await attempt(
          "process",
          `${name} queue`,
          `${t.requestCount - t.queueHead} open request(s), ${amount(fresh.pool.servableAt(id))} servable`,
          () => simulate(vault, "processQueue", [batch]),
          () => this.keeper.processQueue(name, batch),
        );
      }
    }

    // 5. stale delegations (the watch reads the blocks since the last tick, and the failures not yet revoked)
    for (const stale of await this.keeper.staleDelegations()) {
      await attempt(
        "revoke",
        `loan ${stale.loanId}`,
        `stale delegation to ${stale.delegate}`,
        () => simulate(c.pool, "revokeStaleDelegate", [stale.loanId]),
        () => this.keeper.revokeStaleDelegate(stale.loanId),
      );
    }

    if (this.opts.stateFile) writeFileSync(this.opts.stateFile, `${JSON.stringify(this.keeper.state(), null, 2)}\n`);
    return actions;
  }

  /** Ticks until stop(); each tick's failure is logged, not fatal. */
  async run(): Promise<void> {
    const interval = (this.opts.intervalSeconds ?? 12) * 1000;
    this.#log(`${new Date().toISOString()} keeper started on ${this.keeper.deployment.pool} as ${await this.keeper.address()}${this.opts.dryRun ? " (dry run: nothing is sent)" : ""}`);
    while (!this.#stopped) {
      try {
        await this.tick();
      } catch (e) {
        this.line({ kind: "error", target: "tick", detail: e instanceof StrataError ? e.message : String((e as Error).message).split("\n")[0], dryRun: this.opts.dryRun === true });
      }
      if (this.#stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.#log(`${new Date().toISOString()} keeper stopped (loan book at block ${this.keeper.book.nextBlock})`);
  }

  /** The dry run's stand-in for a buy that needs an approval first: the keeper must hold the price. */
  async #requireBalance(price: bigint): Promise<void> {
    const d = this.keeper.deployment;
    const have = await erc20At(d.asset, this.provider).balanceOf(await this.keeper.address());
    if (have < price) throw new InsufficientBalanceError(price, have, d.asset, "buying the auction", (await this.keeper.units()).asset);
  }

  /** Ends the loop after the current tick (SIGINT). */
  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }
}

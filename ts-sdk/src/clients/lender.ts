// Lender: deposits, mints, withdrawals and redemptions in either tranche, the redemption queue (request, cancel,
// claim), previews and limits with the reason each limit applies. Junior exits are request -> notice -> served ->
// claim: the junior vault is an ERC-7540 asynchronous-redeem vault, so its `withdraw`/`redeem` are the standard
// claims of what was served to a controller (from its claimable total, oldest served shares first), and `claim`
// of a junior request is `redeem(claimableRedeemRequest(id, controller), receiver, controller)`. The senior's
// `withdraw`/`redeem` are instant ERC-4626 exits and its queue is claimed per request (`claimRedeem`).
import type { Signer } from "ethers";
import type { Deployment } from "../chain/deployment.ts";
import { type DepositLimiter, type ExitLimiter, type TrancheEntity, type TrancheId, type TrancheName, Tranche, describeLimiter, trancheId } from "../entities/index.ts";
import {
  ExceedsMaxDepositError,
  ExceedsMaxMintError,
  ExceedsMaxRedeemError,
  ExceedsMaxWithdrawError,
  InsufficientBalanceError,
  JuniorNoticeRequiredError,
  NotOwnerError,
  PreconditionError,
} from "../errors.ts";
import { fetchPosition, fetchQueueRequest } from "../fetch/index.ts";
import type { Position, QueueRequest } from "../entities/index.ts";
import { showAmount } from "../units.ts";
import { type WriteOptions, type WriteResult, eventOf } from "../chain/tx.ts";
import { StrataClient, type TokenWriteOptions, positive } from "./base.ts";

/** Seconds between the read and the mined block that amounts approved for a time-dependent price cover. */
const PRICE_BUFFER_SECONDS = 600n;

export type TrancheRef = TrancheName | TrancheId;

/** A lender's limits in one tranche, now, each with the constraint that binds it (typed) and that in words. */
export interface LenderLimits {
  maxDeposit: bigint;
  /** What bounds `maxDeposit` (and `maxMint`): a UI branches on it. */
  depositLimiter: DepositLimiter;
  /** `depositLimiter` in words (`describeLimiter`). */
  depositReason: string;
  maxMint: bigint;
  /** The vault's `maxWithdraw`: senior, the instant exit; junior (ERC-7540), the served assets claimable now. */
  maxWithdraw: bigint;
  /** The vault's `maxRedeem`: senior, the instant exit; junior (ERC-7540), the served shares claimable now. */
  maxRedeem: bigint;
  /** What bounds an exit now: cash, the senior's value, subordination, or (junior) what was served. */
  exitLimiter: ExitLimiter;
  /** `exitLimiter` in words. */
  exitReason: string;
  /** Junior notice period in seconds (null: instant exits). */
  noticePeriod: bigint | null;
}

export class Lender extends StrataClient {
  private constructor(signer: Signer, d: Deployment) {
    super(signer, d);
  }

  /**
   * A lender over `signer`, refused unless the signer's chain is the deployment's.
   * @param signer the lender's signer, connected to a provider (e.g. `walletFromKey(key, provider)`)
   * @param deployment the deployment to lend to (e.g. `readDeploymentFor(file, provider)`)
   * @returns the client
   * @throws InvalidArgumentError when the signer has no provider
   * @throws ChainMismatchError when the provider's chain is not the deployment's
   * @example
   * ```ts
   * const provider = await connectRpc(process.env.RPC_URL!);
   * const deployment = await readDeploymentFor(process.env.STRATA_DEPLOYMENT!, provider);
   * const lender = await Lender.connect(walletFromKey(process.env.STRATA_PRIVATE_KEY!, provider), deployment);
   * ```
   */
  static async connect(signer: Signer, deployment: Deployment): Promise<Lender> {
    return StrataClient.checked(new Lender(signer, deployment));
  }

  private vault(t: TrancheRef) {
    return trancheId(t) === Tranche.Senior ? this.contracts.senior : this.contracts.junior;
  }

  private async tranche(t: TrancheRef): Promise<TrancheEntity> {
    return (await this.fetchPool()).tranche(t);
  }

  /** Why an exit is limited where it is, in words (the entity's limiter: cash, queue, value, subordination, served). */
  private exitReason(tr: TrancheEntity, limiter: ExitLimiter = tr.pool.maxWithdrawLimit(tr.tranche).limiter): string {
    return describeLimiter(limiter, { minJuniorRatioBps: tr.pool.minJuniorRatioBps, noticePeriod: tr.noticePeriod });
  }

  private depositReason(tr: TrancheEntity, limiter: DepositLimiter = tr.pool.maxDepositLimit(tr.tranche).limiter): string {
    return describeLimiter(limiter, { minJuniorRatioBps: tr.pool.minJuniorRatioBps });
  }

  /**
   * Limits in `tranche` for this signer, each with its reason.
   * Read from one pool snapshot: how much may go in and come out now, and the constraint that binds each bound.
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @returns a `LenderLimits`: `maxDeposit` and `maxWithdraw` (asset base units), `maxMint` and `maxRedeem` (share
   *   base units), `depositLimiter` / `exitLimiter` (typed) with `depositReason` / `exitReason` (in words), and
   *   `noticePeriod` (seconds; null: instant exits). The junior's `maxWithdraw` / `maxRedeem` are what was served to
   *   the signer and is claimable now
   * @example
   * ```ts
   * const l = await lender.limits("senior");
   * const amount = parseAmount("50000", 6);
   * if (amount > l.maxDeposit) console.log(`at most ${formatAmount(l.maxDeposit, 6)} now: ${l.depositReason}`);
   * ```
   */
  async limits(t: TrancheRef): Promise<LenderLimits> {
    const tr = await this.tranche(t);
    const me = await this.address();
    const dep = tr.pool.maxDepositLimit(tr.tranche);
    const exit = tr.pool.maxWithdrawLimit(tr.tranche);
    let maxWithdraw: bigint;
    let maxRedeem: bigint;
    if (tr.asyncExitsOnly) {
      ({ assets: maxWithdraw, shares: maxRedeem } = await this.claimableOf(tr, me));
    } else {
      const shares = await this.vault(t).balanceOf(me);
      [maxWithdraw, maxRedeem] = [tr.maxWithdraw(shares), tr.maxRedeem(shares)];
    }
    return {
      maxDeposit: tr.maxDeposit(),
      depositLimiter: dep.limiter,
      depositReason: this.depositReason(tr, dep.limiter),
      maxMint: tr.maxMint(),
      maxWithdraw,
      maxRedeem,
      exitLimiter: exit.limiter,
      exitReason: this.exitReason(tr, exit.limiter),
      noticePeriod: tr.noticePeriod,
    };
  }

  /**
   * What `controller` (default: the signer) may claim now from the junior vault with the ERC-7540
   * `redeem`/`withdraw`: the vault's `maxRedeem(controller)` (served shares) and `maxWithdraw(controller)` (the assets
   * they were served for).
   * @param t the tranche: the asynchronous (ERC-7540) `"junior"`
   * @param controller the controller whose served requests are read (default: the signer)
   * @returns `{ shares, assets }`: the served shares not claimed yet (share base units) and the assets they pay (asset
   *   base units)
   * @throws PreconditionError for a tranche that is not asynchronous (the senior: its requests are claimed one by one,
   *   `claim(t, id)`)
   * @example
   * ```ts
   * const served = await lender.claimable("junior");
   * if (served.shares > 0n) await lender.claimAll("junior");
   * ```
   */
  async claimable(t: TrancheRef, controller?: string): Promise<{ shares: bigint; assets: bigint }> {
    return this.claimableOf(await this.tranche(t), controller ?? (await this.address()));
  }

  /** `claimable` of the tranche entity already fetched (one pool read per call of the client). */
  private async claimableOf(tr: TrancheEntity, controller: string): Promise<{ shares: bigint; assets: bigint }> {
    if (!tr.asyncExitsOnly) throw new PreconditionError(`the ${tr.name} vault is not asynchronous: its requests are claimed one by one (claim(id))`);
    const v = this.vault(tr.tranche);
    const [shares, assets] = await Promise.all([v.maxRedeem(controller), v.maxWithdraw(controller)]);
    return { shares, assets };
  }

  /**
   * The signer's position in `tranche` (shares, value, limits, requests).
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param opts `opts.fromBlock`: the first block searched for the signer's `RedeemRequest` events (default 0; a later
   *   block shortens the scan)
   * @returns a `Position`: the wallet's `shares`, their `value` (asset base units), `maxWithdraw`, `maxRedeem`,
   *   `claimable`, `pendingShares`, and the open or claimable `requests`
   * @example
   * ```ts
   * const position = await lender.position("junior");
   * console.log(`${position.shares} shares worth ${formatAmount(position.value, 6)}`);
   * ```
   */
  async position(t: TrancheRef, opts: { fromBlock?: number } = {}): Promise<Position> {
    return fetchPosition(this.provider, this.deployment, await this.address(), t, opts);
  }

  /**
   * The shares a deposit of `assets` into `tranche` would mint now: TrancheVault `previewDeposit` (rounded Down, at
   * the deposit price), computed from a fresh pool snapshot.
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param assets the deposit, in the asset's base units
   * @returns the shares it would mint, in share base units
   * @example
   * ```ts
   * const shares = await lender.previewDeposit("senior", parseAmount("1000", 6));
   * ```
   */
  async previewDeposit(t: TrancheRef, assets: bigint): Promise<bigint> {
    return (await this.tranche(t)).previewDeposit(assets);
  }
  /**
   * The assets a mint of exactly `shares` of `tranche` would cost now: TrancheVault `previewMint` (rounded Up, at the
   * deposit price), computed from a fresh pool snapshot.
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param shares the shares to mint, in share base units
   * @returns the assets the mint would pull, in the asset's base units
   * @example
   * ```ts
   * const shares = await lender.previewDeposit("junior", parseAmount("500", 6));
   * const cost = await lender.previewMint("junior", shares); // about 500 USDC, rounded Up
   * ```
   */
  async previewMint(t: TrancheRef, shares: bigint): Promise<bigint> {
    return (await this.tranche(t)).previewMint(shares);
  }
  /**
   * Senior `previewWithdraw`: the shares a withdrawal of exactly `assets` would burn now (rounded Up). The junior has
   * none (ERC-7540: its previews revert; a request is paid at the price of its service).
   * @param t the tranche: `"senior"` (instant ERC-4626 exits)
   * @param assets the assets to withdraw, in the asset's base units
   * @returns the shares the withdrawal would burn, in share base units
   * @throws PreconditionError for the junior (`previewRequest(t, shares)` values a request now)
   * @example
   * ```ts
   * const burned = await lender.previewWithdraw("senior", parseAmount("250", 6));
   * ```
   */
  async previewWithdraw(t: TrancheRef, assets: bigint): Promise<bigint> {
    return this.syncExit(await this.tranche(t), "previewWithdraw").previewWithdraw(assets);
  }
  /**
   * Senior `previewRedeem`: the assets a redemption of exactly `shares` would pay now (rounded Down). The junior has
   * none (see `previewWithdraw`; `previewRequest` values a request now).
   * @param t the tranche: `"senior"` (instant ERC-4626 exits)
   * @param shares the shares to redeem, in share base units
   * @returns the assets the redemption would pay, in the asset's base units
   * @throws PreconditionError for the junior
   * @example
   * ```ts
   * const { shares } = await lender.position("senior");
   * const assets = await lender.previewRedeem("senior", shares);
   * ```
   */
  async previewRedeem(t: TrancheRef, shares: bigint): Promise<bigint> {
    return this.syncExit(await this.tranche(t), "previewRedeem").previewRedeem(shares);
  }

  private syncExit(tr: TrancheEntity, fn: string): TrancheEntity {
    if (tr.asyncExitsOnly) throw new PreconditionError(`the ${tr.name} vault is asynchronous (ERC-7540): ${fn} reverts; use previewRequest(shares) to value a request now`);
    return tr;
  }

  /**
   * Deposits `assets` into `tranche` (approval sent if missing); returns the shares minted.
   * Checked first against the tranche's `maxDeposit` (with the reason it binds), then the signer's balance and
   * allowance.
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param assets the deposit, in the asset's base units (positive)
   * @param opts `opts.receiver`: who gets the shares (default: the signer); `opts.approve: false` to refuse instead of
   *   sending a missing approval; plus `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }` and `shares`, the shares minted (from the `Deposit` event, share base units)
   * @throws InvalidArgumentError when `assets` is not positive
   * @throws ExceedsMaxDepositError above the tranche's `maxDeposit` (with `limit` and the reason in words)
   * @throws InsufficientBalanceError when the signer holds less than `assets`
   * @throws AllowanceTooLowError when the allowance is short and `opts.approve` is false
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const lender = await Lender.connect(wallet, deployment);
   * const { shares, hash } = await lender.deposit("senior", parseAmount("1000", 6));
   * ```
   */
  async deposit(t: TrancheRef, assets: bigint, opts: TokenWriteOptions & { receiver?: string } = {}): Promise<WriteResult & { shares: bigint }> {
    return this.enter(t, "deposit", assets, opts);
  }


  /**
   * Mints exactly `shares` of `tranche`; returns the assets paid.
   * The share price grows with time: a missing approval is sent for the mint's cost 10 minutes ahead, and the vault
   * takes only the cost at execution.
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param shares the shares to mint, in share base units (positive)
   * @param opts `opts.receiver`: who gets the shares (default: the signer); `opts.approve: false` to refuse instead of
   *   sending a missing approval; plus `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }` and `assets`, what the mint cost (from the `Deposit` event, asset base units)
   * @throws InvalidArgumentError when `shares` is not positive
   * @throws ExceedsMaxMintError above the tranche's `maxMint` (with the reason it binds)
   * @throws InsufficientBalanceError when the signer holds less than the mint's cost
   * @throws AllowanceTooLowError when the allowance is short and `opts.approve` is false
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const shares = await lender.previewDeposit("junior", parseAmount("500", 6));
   * const { assets } = await lender.mint("junior", shares);
   * ```
   */
  async mint(t: TrancheRef, shares: bigint, opts: TokenWriteOptions & { receiver?: string } = {}): Promise<WriteResult & { assets: bigint }> {
    return this.enter(t, "mint", shares, opts);
  }

  /**
   * The shared steps of `deposit` (exactly `amount` assets) and `mint` (exactly `amount` shares): the tranche's limit,
   * the balance and the approval (a mint approves what it costs a few minutes from now: the price grows with time),
   * then the write; the `Deposit` event gives both sides.
   */
  private async enter(
    t: TrancheRef,
    fn: "deposit" | "mint",
    amount: bigint,
    opts: TokenWriteOptions & { receiver?: string },
  ): Promise<WriteResult & { assets: bigint; shares: bigint }> {
    positive(amount, fn === "deposit" ? "assets" : "shares");
    const tr = await this.tranche(t);
    const u = await this.units();
    const limit = fn === "deposit" ? tr.maxDeposit() : tr.maxMint();
    if (amount > limit) {
      throw fn === "deposit"
        ? new ExceedsMaxDepositError(amount, limit, this.depositReason(tr), u.asset)
        : new ExceedsMaxMintError(amount, limit, this.depositReason(tr), u.shares);
    }
    const assets = fn === "deposit" ? amount : tr.previewMint(amount);
    const approveFor = fn === "deposit" ? amount : tr.previewMint(amount, tr.pool.timestamp + PRICE_BUFFER_SECONDS);
    await this.requireFunds(this.deployment.asset, tr.vault, assets, approveFor, opts, {
      balance:
        fn === "deposit"
          ? `deposit of ${showAmount(amount, u.asset)} into the ${tr.name} tranche`
          : `mint of ${showAmount(amount, u.shares)} of the ${tr.name} tranche costs ${showAmount(assets, u.asset)}`,
      allowance: `the ${tr.name} vault pulls the ${fn}`,
    });
    const r = await this.write(this.vault(t), fn, [amount, opts.receiver ?? (await this.address())], opts);
    const ev = eventOf(r, "Deposit").args;
    return { ...r, assets: ev.assets as bigint, shares: ev.shares as bigint };
  }


  private async instantExitChecks(tr: TrancheEntity, owner: string): Promise<bigint> {
    return this.vault(tr.tranche).balanceOf(owner);
  }

  /** The signer may claim for `controller`: it is the controller or an operator the controller approved (ERC-7540). */
  private async checkController(t: TrancheRef, controller: string): Promise<void> {
    const me = await this.address();
    if (controller.toLowerCase() === me.toLowerCase()) return;
    if (!(await this.vault(t).isOperator(controller, me))) {
      throw new NotOwnerError(`${me} is neither ${controller} nor an operator it approved (setOperator): it cannot claim for it`);
    }
  }

  /**
   * The junior's ERC-7540 claim: `withdraw(assets, receiver, controller)` or `redeem(shares, receiver, controller)` of
   * what was served to `controller`, checked against `maxWithdraw`/`maxRedeem(controller)` first.
   */
  private async claimServed(
    tr: TrancheEntity,
    fn: "withdraw" | "redeem",
    amount: bigint,
    opts: WriteOptions & { receiver?: string; owner?: string; controller?: string },
  ): Promise<WriteResult & { assets: bigint; shares: bigint }> {
    const me = await this.address();
    const controller = opts.controller ?? opts.owner ?? me;
    await this.checkController(tr.tranche, controller);
    const c = await this.claimableOf(tr, controller);
    const u = await this.units();
    if (fn === "withdraw" && amount > c.assets) throw new ExceedsMaxWithdrawError(amount, c.assets, this.exitReason(tr), u.asset);
    if (fn === "redeem" && amount > c.shares) throw new ExceedsMaxRedeemError(amount, c.shares, this.exitReason(tr), u.shares);
    const r = await this.write(this.vault(tr.tranche), fn, [amount, opts.receiver ?? me, controller], opts);
    const ev = eventOf(r, "Withdraw").args;
    return { ...r, assets: ev.assets as bigint, shares: ev.shares as bigint };
  }

  /**
   * Withdraws exactly `assets` from `tranche`. Senior: an instant ERC-4626 exit of `owner`'s shares. Junior
   * (ERC-7540): claims exactly `assets` of what was served to `controller` (default: the signer; `owner` is accepted
   * for it).
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param assets the assets to receive, in the asset's base units (positive)
   * @param opts `opts.receiver`: who gets the assets (default: the signer); `opts.owner`: senior, whose shares are
   *   burned (default: the signer); `opts.controller`: junior, whose served shares are claimed (default: `opts.owner`,
   *   then the signer); plus `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }` and `shares`, the shares burned (from the `Withdraw` event, share base units)
   * @throws InvalidArgumentError when `assets` is not positive
   * @throws InsufficientBalanceError (senior) when `owner`'s shares are worth less than `assets`
   * @throws ExceedsMaxWithdrawError above what may leave now (senior: the exit limit; junior: what was served), with
   *   the reason in words
   * @throws NotOwnerError (junior) when the signer is neither `controller` nor an operator it approved
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const { shares } = await lender.withdraw("senior", parseAmount("250", 6));
   * ```
   */
  async withdraw(
    t: TrancheRef,
    assets: bigint,
    opts: WriteOptions & { receiver?: string; owner?: string; controller?: string } = {},
  ): Promise<WriteResult & { shares: bigint }> {
    return this.exit(t, "withdraw", assets, opts);
  }

  /**
   * Redeems exactly `shares` of `tranche`. Senior: an instant ERC-4626 exit. Junior (ERC-7540): claims `shares` of the
   * served shares of `controller` (default: the signer) for the assets they were served for.
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param shares the shares to redeem, in share base units (positive)
   * @param opts `opts.receiver`: who gets the assets (default: the signer); `opts.owner`: senior, whose shares are
   *   burned (default: the signer); `opts.controller`: junior, whose served shares are claimed (default: `opts.owner`,
   *   then the signer); plus `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }` and `assets`, the assets paid (from the `Withdraw` event, asset base units)
   * @throws InvalidArgumentError when `shares` is not positive
   * @throws InsufficientBalanceError (senior) when `owner` holds fewer than `shares`
   * @throws ExceedsMaxRedeemError above what may leave now (senior: the exit limit; junior: what was served), with the
   *   reason in words
   * @throws NotOwnerError (junior) when the signer is neither `controller` nor an operator it approved
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const { shares } = await lender.position("senior");
   * const { assets } = await lender.redeem("senior", shares);
   * ```
   */
  async redeem(
    t: TrancheRef,
    shares: bigint,
    opts: WriteOptions & { receiver?: string; owner?: string; controller?: string } = {},
  ): Promise<WriteResult & { assets: bigint }> {
    return this.exit(t, "redeem", shares, opts);
  }

  /**
   * The shared steps of `withdraw` (exactly `amount` assets) and `redeem` (exactly `amount` shares): the senior's
   * instant ERC-4626 exit, checked against the owner's balance and the exit limit first, or the junior's ERC-7540
   * claim of what was served (`claimServed`).
   */
  private async exit(
    t: TrancheRef,
    fn: "withdraw" | "redeem",
    amount: bigint,
    opts: WriteOptions & { receiver?: string; owner?: string; controller?: string },
  ): Promise<WriteResult & { assets: bigint; shares: bigint }> {
    positive(amount, fn === "withdraw" ? "assets" : "shares");
    const me = await this.address();
    const owner = opts.owner ?? me;
    const tr = await this.tranche(t);
    if (tr.asyncExitsOnly) return this.claimServed(tr, fn, amount, opts);
    const balance = await this.instantExitChecks(tr, owner);
    const u = await this.units();
    if (fn === "withdraw") {
      const value = tr.previewRedeem(balance);
      if (amount > value) throw new InsufficientBalanceError(amount, value, tr.vault, `the ${tr.name} shares of ${owner} are worth ${showAmount(value, u.asset)}`, u.asset);
      const limit = tr.maxWithdraw(balance);
      if (amount > limit) throw new ExceedsMaxWithdrawError(amount, limit, this.exitReason(tr), u.asset);
    } else {
      if (amount > balance) throw new InsufficientBalanceError(amount, balance, tr.vault, `${owner} holds ${showAmount(balance, u.shares)} of the ${tr.name} tranche`, u.shares);
      const limit = tr.maxRedeem(balance);
      if (amount > limit) throw new ExceedsMaxRedeemError(amount, limit, this.exitReason(tr), u.shares);
    }
    const r = await this.write(this.vault(t), fn, [amount, opts.receiver ?? me, owner], opts);
    const ev = eventOf(r, "Withdraw").args;
    return { ...r, assets: ev.assets as bigint, shares: ev.shares as bigint };
  }


  /**
   * Locks `shares` in the redemption queue of `tranche` (the junior's exit path: request -> notice -> served ->
   * claim). Returns the request id and whether it was served at once (auto-service, as far as cash goes).
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param shares the shares to lock, in share base units (positive)
   * @param opts `opts.owner`: whose shares are locked (default: the signer); `opts.controller`: who controls, cancels
   *   and claims the request (default: the signer); plus `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }`, `requestId`, and `servedAssets`: the assets served to the request in the
   *   same transaction (asset base units; 0n when it waits in its notice period or in line)
   * @throws InvalidArgumentError when `shares` is not positive
   * @throws InsufficientBalanceError when `owner` holds fewer than `shares`
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const position = await lender.position("junior");
   * const { requestId, servedAssets } = await lender.requestRedeem("junior", position.shares / 10n);
   * ```
   */
  async requestRedeem(
    t: TrancheRef,
    shares: bigint,
    opts: WriteOptions & { controller?: string; owner?: string } = {},
  ): Promise<WriteResult & { requestId: bigint; servedAssets: bigint }> {
    positive(shares, "shares");
    const me = await this.address();
    const owner = opts.owner ?? me;
    const v = this.vault(t);
    const balance = await v.balanceOf(owner);
    if (shares > balance) {
      const u = await this.units();
      throw new InsufficientBalanceError(shares, balance, await v.getAddress(), `${owner} holds ${showAmount(balance, u.shares)}`, u.shares);
    }
    const r = await this.write(v, "requestRedeem", [shares, opts.controller ?? me, owner], opts);
    const requestId = eventOf(r, "RedeemRequest").args.requestId as bigint;
    const served = r.events
      .filter((e) => e.name === "RedeemServed" && e.args.requestId === requestId)
      .reduce((s, e) => s + (e.args.assets as bigint), 0n);
    return { ...r, requestId, servedAssets: served };
  }

  /**
   * Request `requestId` of `tranche`, read now.
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param requestId the request's id (from `requestRedeem`, or a `position(t).requests` entry)
   * @returns a `QueueRequest`: `controller`, `pendingShares`, `claimableShares`, `claimableAssets`, `serviceableAt`
   *   (unix seconds), `claimable` (asset base units) and `stageAt(t)` ("notice", "queued", "claimable" or "done")
   * @example
   * ```ts
   * const r = await lender.request("junior", requestId);
   * const { pool } = await lender.fetchPool();
   * console.log(`request ${requestId}: ${r.stageAt(pool.timestamp)}, claimable ${r.claimable}`);
   * ```
   */
  request(t: TrancheRef, requestId: bigint): Promise<QueueRequest> {
    return fetchQueueRequest(this.provider, this.deployment, t, requestId);
  }

  private async controlled(t: TrancheRef, requestId: bigint): Promise<QueueRequest> {
    const me = await this.address();
    const req = await this.request(t, requestId);
    if (req.controller.toLowerCase() !== me.toLowerCase()) {
      const op = await this.vault(t).isOperator(req.controller, me);
      if (!op) throw new NotOwnerError(`${me} does not control request ${requestId} (controller ${req.controller})`);
    }
    return req;
  }

  /**
   * Takes the unserved shares of `requestId` out of the line; returns the shares given back.
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param requestId the request to cancel; the signer must be its controller or an operator the controller approved
   * @param opts the write's options: `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }` and `shares`, the shares given back (from `RedeemRequestCancelled`)
   * @throws NotOwnerError when the signer does not control the request
   * @throws PreconditionError when the request has no pending shares (e.g. it was served: claim it instead)
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const { requestId } = await lender.requestRedeem("junior", position.shares / 10n);
   * const { shares } = await lender.cancel("junior", requestId);
   * ```
   */
  async cancel(t: TrancheRef, requestId: bigint, opts: WriteOptions = {}): Promise<WriteResult & { shares: bigint }> {
    const req = await this.controlled(t, requestId);
    if (req.pendingShares === 0n) {
      throw new PreconditionError(`request ${requestId} has no pending shares to cancel${req.claimable > 0n ? ` (it was served: claim ${req.claimable})` : ""}`);
    }
    const r = await this.write(this.vault(t), "cancelRedeemRequest", [requestId], opts);
    return { ...r, shares: eventOf(r, "RedeemRequestCancelled").args.shares as bigint };
  }

  /**
   * Claims the served assets of `requestId`; explains where the request stands when nothing is claimable yet.
   * Senior: `claimRedeem(requestId, receiver)`. Junior: the standard ERC-7540
   * `redeem(claimableRedeemRequest(requestId, controller), receiver, controller)` (a junior request served before the
   * vault's ERC-7540 upgrade: `claimRedeem`).
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param requestId the request to claim; the signer must be its controller or an operator the controller approved
   * @param opts `opts.receiver`: who gets the assets (default: the signer); plus the write's options
   *   (`gasMarginPct`, `confirmations`, `onSent`)
   * @returns `{ hash, receipt, events }` and `assets`, the assets paid (asset base units)
   * @throws NotOwnerError when the signer does not control the request
   * @throws PreconditionError when nothing is claimable yet, saying why: in its notice period (until when), waiting in
   *   line for cash, or already claimed or cancelled
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const r = await lender.request("junior", requestId);
   * if (r.claimable > 0n) {
   *   const { assets } = await lender.claim("junior", requestId);
   *   console.log(`claimed ${formatAmount(assets, 6)}`);
   * }
   * ```
   */
  async claim(t: TrancheRef, requestId: bigint, opts: WriteOptions & { receiver?: string } = {}): Promise<WriteResult & { assets: bigint }> {
    const req = await this.controlled(t, requestId);
    if (req.claimableShares === 0n && req.claimable === 0n) {
      const now = (await this.fetchPool()).pool.timestamp;
      const stage = req.stageAt(now);
      const why =
        stage === "notice"
          ? `it is in its notice period until ${new Date(Number(req.serviceableAt) * 1000).toISOString()}`
          : stage === "queued"
            ? "it waits in line for cash (anyone may processQueue once cash arrives)"
            : "it was already claimed or cancelled";
      throw new PreconditionError(`request ${requestId} has nothing to claim: ${why}`);
    }
    const receiver = opts.receiver ?? (await this.address());
    if ((await this.tranche(t)).asyncExitsOnly && (await this.vault(t).redeemRequest(requestId)).servedUntil !== 0n) {
      const r = await this.write(this.vault(t), "redeem", [req.claimableShares, receiver, req.controller], opts);
      return { ...r, assets: eventOf(r, "Withdraw").args.assets as bigint };
    }
    const r = await this.write(this.vault(t), "claimRedeem", [requestId, receiver], opts);
    return { ...r, assets: eventOf(r, "RedeemClaimed").args.assets as bigint };
  }

  /**
   * Junior (ERC-7540): claims everything served to `controller` (default: the signer) in one
   * `redeem(maxRedeem(controller), receiver, controller)`, whichever requests it came from.
   * @param t the tranche: the asynchronous (ERC-7540) `"junior"`
   * @param opts `opts.controller`: whose served shares are claimed (default: the signer, which must be it or its
   *   operator); `opts.receiver`: who gets the assets (default: the signer); plus the write's options
   *   (`gasMarginPct`, `confirmations`, `onSent`)
   * @returns `{ hash, receipt, events }`, `assets` paid (asset base units) and `shares` redeemed (share base units)
   * @throws PreconditionError when nothing was served to `controller` yet, or for the senior (claimed per request)
   * @throws NotOwnerError when the signer is neither `controller` nor an operator it approved
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const { assets, shares } = await lender.claimAll("junior");
   * console.log(`claimed ${formatAmount(assets, 6)} for ${shares} shares`);
   * ```
   */
  async claimAll(
    t: TrancheRef,
    opts: WriteOptions & { receiver?: string; controller?: string } = {},
  ): Promise<WriteResult & { assets: bigint; shares: bigint }> {
    const controller = opts.controller ?? (await this.address());
    const tr = await this.tranche(t);
    const c = await this.claimableOf(tr, controller);
    if (c.shares === 0n) throw new PreconditionError(`${controller} has nothing to claim in the ${tr.name} vault: no request of it was served yet`);
    return this.claimServed(tr, "redeem", c.shares, { ...opts, controller });
  }

  /**
   * The most a queued request of `shares` would be paid if served now (price of the moment, Down).
   * @param t the tranche: `"senior"` or `"junior"` (or its id, `Tranche.Senior` / `Tranche.Junior`)
   * @param shares the shares to request, in share base units
   * @returns `{ assets, servableNow, noticePeriod }`: the value of `shares` now (`convertToAssets`, rounded Down,
   *   asset base units), the part of it the tranche's cash could serve now, and the junior notice period (seconds;
   *   null for instant exits)
   * @example
   * ```ts
   * const { shares } = await lender.position("junior");
   * const p = await lender.previewRequest("junior", shares);
   * console.log(`worth ${formatAmount(p.assets, 6)}, ${formatAmount(p.servableNow, 6)} servable now`);
   * ```
   */
  async previewRequest(t: TrancheRef, shares: bigint): Promise<{ assets: bigint; servableNow: bigint; noticePeriod: bigint | null }> {
    const tr = await this.tranche(t);
    return tr.previewRequest(shares);
  }
}

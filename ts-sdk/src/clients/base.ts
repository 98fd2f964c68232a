// What every role client shares: a signer on the deployment's chain (checked), typed contracts, token pre-checks and
// approvals.
import type { BaseContract, Provider, Signer } from "ethers";
import { type StrataContracts, connectContracts, erc20At } from "../chain/contracts.ts";
import { type Deployment, checkChain } from "../chain/deployment.ts";
import { AllowanceTooLowError, InsufficientBalanceError, InvalidArgumentError } from "../errors.ts";
import { type FetchOptions, type PoolSnapshot, fetchPool, fetchUnits } from "../fetch/index.ts";
import { type WriteOptions, type WriteResult, send } from "../chain/tx.ts";
import type { ErrorUnits, Units } from "../units.ts";

/** Options of writes that pull tokens: approvals are sent automatically unless `approve: false`. */
export interface TokenWriteOptions extends WriteOptions {
  /** Send the missing ERC-20/ERC-721 approval first (default true); false throws AllowanceTooLow instead. */
  approve?: boolean;
}

/** A signer's balance of a token and its allowance to a spender. */
export interface Funds {
  balance: bigint;
  allowance: bigint;
}

export abstract class StrataClient {
  readonly signer: Signer;
  readonly provider: Provider;
  readonly deployment: Deployment;
  readonly contracts: StrataContracts;

  protected constructor(signer: Signer, deployment: Deployment) {
    if (!signer.provider) throw new InvalidArgumentError("the signer has no provider: connect it first (wallet.connect(provider))");
    this.signer = signer;
    this.provider = signer.provider;
    this.deployment = deployment;
    this.contracts = connectContracts(deployment, signer);
  }

  /**
   * Checks that the signer's chain is the deployment's (ChainMismatchError otherwise).
   * Every role client's `connect` passes its new instance through it, so that no client exists on the wrong chain.
   * @param client the role client just constructed over a signer and a deployment
   * @returns the same client, once the provider's chain id is the deployment's
   * @throws ChainMismatchError when the provider's chain id differs from the deployment's `chainId`
   * @example
   * ```ts
   * static async connect(signer: Signer, deployment: Deployment): Promise<Lender> {
   *   return StrataClient.checked(new Lender(signer, deployment));
   * }
   * ```
   */
  protected static async checked<T extends StrataClient>(client: T): Promise<T> {
    await checkChain(client.deployment, client.provider);
    return client;
  }

  /**
   * The signer's address: the account every write of this client sends from and every pre-check reads.
   * @returns the signer's address (`signer.getAddress()`)
   * @example
   * ```ts
   * const lender = await Lender.connect(wallet, deployment);
   * console.log(`lending as ${await lender.address()}`);
   * ```
   */
  async address(): Promise<string> {
    return this.signer.getAddress();
  }

  /**
   * The pool and both tranches at the latest block.
   * Read in one batched round trip at one block; the entities then answer at any timestamp without the chain.
   * @param opts read options: `opts.blockTag` reads at that block instead of the latest; `opts.pinned`
   *   (`{ blockNumber, timestamp }`) is a block the caller already read, which saves the fetch its own `getBlock`
   * @returns a `PoolSnapshot`, `{ pool, senior, junior, tranche(t) }` (`Pool` and `TrancheEntity` entities: amounts in
   *   the asset's base units, rates WAD)
   * @example
   * ```ts
   * const { pool, senior, junior } = await lender.fetchPool();
   * console.log(`senior share price ${formatAmount(senior.sharePrice, pool.assetDecimals)}`);
   * console.log(`junior APR ${formatWadPct(junior.yield.apr)} (${junior.yield.basis})`);
   * ```
   */
  fetchPool(opts: FetchOptions = {}): Promise<PoolSnapshot> {
    return fetchPool(this.provider, this.deployment, opts);
  }

  /**
   * The display units every message of this client uses: the asset's decimals and symbol, and the tranche shares'
   * decimals (`fetchUnits`: the cached reads `fetchPool` shares; a failed read is retried on the next call).
   * @returns `{ asset: { decimals, symbol }, shares: { decimals, symbol: "shares" } }` (an `ErrorUnits`), the same
   *   values on every call once read
   * @throws the provider's error when a read fails (not cached: the next call reads again)
   * @example
   * ```ts
   * const { asset } = await lender.units();
   * const position = await lender.position("senior");
   * console.log(`${formatAmount(position.value, asset.decimals)} ${asset.symbol}`);
   * ```
   */
  units(): Promise<ErrorUnits> {
    return fetchUnits(this.provider, this.deployment);
  }


  /**
   * The units of `token` for messages: the asset's, a tranche's shares', or none (raw base units) for another token.
   * @param token the address of an ERC-20 (the pool's asset, a tranche vault, or any other token)
   * @returns the asset's units, the shares' units, or `undefined` (amounts are then shown in raw base units)
   * @example
   * ```ts
   * // inside a role client
   * const u = await this.unitsOf(this.deployment.asset); // { decimals: 6, symbol: "USDC" } on a USDC pool
   * ```
   */
  protected async unitsOf(token: string): Promise<Units | undefined> {
    const u = await this.units();
    const t = token.toLowerCase();
    if (t === this.deployment.asset.toLowerCase()) return u.asset;
    if (t === this.deployment.seniorVault.toLowerCase() || t === this.deployment.juniorVault.toLowerCase()) return u.shares;
    return undefined;
  }

  /**
   * Throws InsufficientBalance(need, have) unless the signer holds `need` of `token`.
   * @param token the ERC-20 the action spends
   * @param need the amount the action needs, in the token's base units
   * @param what the action, in words, for the error's message (e.g. "deposit of 1,000 USDC into the senior tranche")
   * @returns nothing: resolves when the signer's balance covers `need`
   * @throws InsufficientBalanceError with `need` and `have` (shown in the token's units when they are known)
   * @example
   * ```ts
   * // inside a role client, before a write
   * await this.requireBalance(this.deployment.asset, assets, "deposit into the senior tranche");
   * ```
   */
  protected async requireBalance(token: string, need: bigint, what: string): Promise<void> {
    const have = await erc20At(token, this.provider).balanceOf(await this.address());
    if (have < need) throw new InsufficientBalanceError(need, have, token, what, await this.unitsOf(token));
  }

  /**
   * Makes sure `spender` may pull `need` of `token` from the signer: approves exactly `need`, or throws.
   * @param token the ERC-20 to be pulled
   * @param spender the contract that pulls it (a vault, the pool, the liquidator)
   * @param need the allowance the action needs, in the token's base units
   * @param opts the write's options: `opts.approve: false` to refuse instead of sending a missing approval; the other
   *   `WriteOptions` (`gasMarginPct`, `confirmations`, `onSent`) apply to the approval
   * @param what the action, in words, for the error's message
   * @returns the approval's `WriteResult` when one was sent, or `null` when the allowance already covers `need`
   * @throws AllowanceTooLowError when the allowance is short and `opts.approve` is false
   * @example
   * ```ts
   * // inside a role client: the pool is about to pull `pay` of the asset
   * await this.requireAllowance(this.deployment.asset, this.deployment.pool, pay, opts, "the pool pulls the payment");
   * ```
   */
  protected async requireAllowance(token: string, spender: string, need: bigint, opts: TokenWriteOptions, what: string): Promise<WriteResult | null> {
    const erc20 = erc20At(token, this.signer);
    const have = await erc20.allowance(await this.address(), spender);
    if (have >= need) return null;
    if (opts.approve === false) throw new AllowanceTooLowError(need, have, spender, what, await this.unitsOf(token));
    return this.write(erc20, "approve", [spender, need], opts);
  }

  /**
   * `requireBalance(token, balanceNeed)` then `requireAllowance(token, spender, allowanceNeed)`, with both reads in
   * one batch: InsufficientBalance first, then the approval (or AllowanceTooLow).
   * @param token the ERC-20 the action spends
   * @param spender the contract that pulls it
   * @param balanceNeed the balance the action needs now, in the token's base units
   * @param allowanceNeed the allowance to make sure of (above `balanceNeed` when the amount grows with time, e.g.
   *   interest)
   * @param opts the write's options: `opts.approve: false` to refuse instead of sending a missing approval
   * @param what the messages of the two errors: `what.balance` (the action) and `what.allowance` (who pulls it)
   * @param read the balance and allowance already requested (`this.funds(token, spender)`, started alongside other
   *   reads); default: read them now
   * @returns the approval's `WriteResult` when one was sent, or `null` when the allowance already sufficed
   * @throws InsufficientBalanceError when the balance is below `balanceNeed`
   * @throws AllowanceTooLowError when the allowance is short and `opts.approve` is false
   * @example
   * ```ts
   * // inside a role client
   * await this.requireFunds(this.deployment.asset, tr.vault, assets, assets, opts, {
   *   balance: `deposit into the ${tr.name} tranche`,
   *   allowance: `the ${tr.name} vault pulls the deposit`,
   * });
   * ```
   */
  protected async requireFunds(
    token: string,
    spender: string,
    balanceNeed: bigint,
    allowanceNeed: bigint,
    opts: TokenWriteOptions,
    what: { balance: string; allowance: string },
    read?: Promise<Funds>,
  ): Promise<WriteResult | null> {
    const { balance, allowance } = await (read ?? this.funds(token, spender));
    if (balance < balanceNeed) throw new InsufficientBalanceError(balanceNeed, balance, token, what.balance, await this.unitsOf(token));
    if (allowance >= allowanceNeed) return null;
    if (opts.approve === false) throw new AllowanceTooLowError(allowanceNeed, allowance, spender, what.allowance, await this.unitsOf(token));
    return this.write(erc20At(token, this.signer), "approve", [spender, allowanceNeed], opts);
  }

  /**
   * The signer's balance of `token` and its allowance to `spender` (one batch; start it alongside other reads).
   * @param token the ERC-20 to read
   * @param spender the address whose allowance is read
   * @returns `{ balance, allowance }`, in the token's base units
   * @example
   * ```ts
   * // inside Borrower: started first, awaited once the loan is read
   * const funds = this.funds(this.deployment.asset, this.deployment.pool);
   * const loan = await this.loan(loanId);
   * const { balance, allowance } = await funds;
   * ```
   */
  protected async funds(token: string, spender: string): Promise<Funds> {
    const me = await this.address();
    const erc20 = erc20At(token, this.provider);
    const [balance, allowance] = await Promise.all([erc20.balanceOf(me), erc20.allowance(me, spender)]);
    return { balance, allowance };
  }

  /**
   * `send`; `checks`: this client's precondition checks, already started, their reads batched with the simulation.
   * The call is simulated first (a revert becomes a decoded StrataContractError, in this client's units), then sent
   * with a gas margin; the receipt is checked and its Strata events parsed.
   * @param contract the typed contract to call (one of `this.contracts`, or a token bound to the signer)
   * @param method the contract function's name
   * @param args the function's arguments
   * @param opts the write's options: `gasMarginPct` (default 25), `confirmations` (default 1), `onSent(hash)`
   * @param checks this client's precondition checks, already started: nothing is sent unless they resolve, and their
   *   error is thrown first, as is
   * @returns `{ hash, receipt, events }`, with the parsed Strata events
   * @throws the error of `checks`, first
   * @throws StrataContractError when the simulation reverts (decoded: `errorName`, `args`, a readable `message`)
   * @throws TransactionFailedError when the mined transaction reverted or its receipt is missing
   * @example
   * ```ts
   * // inside Keeper
   * const checks = this.contracts.liquidator.isLiquidatable(loanId).then((ok: boolean) => {
   *   if (!ok) throw new PreconditionError(`loan ${loanId} is not liquidatable`);
   * });
   * const r = await this.write(this.contracts.liquidator, "liquidate", [loanId], opts, checks);
   * ```
   */
  protected async write(contract: BaseContract, method: string, args: readonly unknown[], opts: WriteOptions = {}, checks?: Promise<unknown>): Promise<WriteResult> {
    checks?.catch(() => undefined); // awaited by send (no unhandled rejection while the units are read)
    return send(contract, method, args, { units: await this.units(), ...opts }, checks);
  }
}

export function positive(x: bigint, what: string): void {
  if (typeof x !== "bigint") throw new InvalidArgumentError(`${what} must be a bigint (asset units), got ${typeof x}`);
  if (x <= 0n) throw new InvalidArgumentError(`${what} must be positive, got ${x}`);
}

// What every role client shares: a signer on the deployment's chain (checked), typed contracts, token pre-checks and
// approvals.
import type { BaseContract, Provider, Signer } from "ethers";
import { type StrataContracts, connectContracts, erc20At } from "../chain/contracts.ts";
import { type Deployment, checkChain } from "../chain/deployment.ts";
import { AllowanceTooLowError, InsufficientBalanceError, InvalidArgumentError } from "../errors.ts";
import { type FetchOptions, type PoolSnapshot, fetchPool } from "../fetch/index.ts";
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
  #units: Promise<ErrorUnits> | null = null;

  protected constructor(signer: Signer, deployment: Deployment) {
    if (!signer.provider) throw new InvalidArgumentError("the signer has no provider: connect it first (wallet.connect(provider))");
    this.signer = signer;
    this.provider = signer.provider;
    this.deployment = deployment;
    this.contracts = connectContracts(deployment, signer);
  }

  /** Checks that the signer's chain is the deployment's (ChainMismatchError otherwise). */
  protected static async checked<T extends StrataClient>(client: T): Promise<T> {
    await checkChain(client.deployment, client.provider);
    return client;
  }

  async address(): Promise<string> {
    return this.signer.getAddress();
  }

  /** The pool and both tranches at the latest block. */
  fetchPool(opts: FetchOptions = {}): Promise<PoolSnapshot> {
    return fetchPool(this.provider, this.deployment, opts);
  }

  /**
   * The display units every message of this client uses: the asset's decimals and symbol, and the tranche shares'
   * decimals (read once, then cached; a failed read is retried on the next call).
   */
  units(): Promise<ErrorUnits> {
    if (!this.#units) {
      const asset = erc20At(this.deployment.asset, this.provider);
      const shares = erc20At(this.deployment.seniorVault, this.provider);
      this.#units = Promise.all([asset.decimals(), asset.symbol(), shares.decimals()]).then(
        ([decimals, symbol, shareDecimals]) => ({ asset: { decimals: Number(decimals), symbol }, shares: { decimals: Number(shareDecimals), symbol: "shares" } }),
        (e: unknown) => {
          this.#units = null;
          throw e;
        },
      );
    }
    return this.#units;
  }

  /** The units of `token` for messages: the asset's, a tranche's shares', or none (raw base units) for another token. */
  protected async unitsOf(token: string): Promise<Units | undefined> {
    const u = await this.units();
    const t = token.toLowerCase();
    if (t === this.deployment.asset.toLowerCase()) return u.asset;
    if (t === this.deployment.seniorVault.toLowerCase() || t === this.deployment.juniorVault.toLowerCase()) return u.shares;
    return undefined;
  }

  /** Throws InsufficientBalance(need, have) unless the signer holds `need` of `token`. */
  protected async requireBalance(token: string, need: bigint, what: string): Promise<void> {
    const have = await erc20At(token, this.provider).balanceOf(await this.address());
    if (have < need) throw new InsufficientBalanceError(need, have, token, what, await this.unitsOf(token));
  }

  /** Makes sure `spender` may pull `need` of `token` from the signer: approves exactly `need`, or throws. */
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

  /** The signer's balance of `token` and its allowance to `spender` (one batch; start it alongside other reads). */
  protected async funds(token: string, spender: string): Promise<Funds> {
    const me = await this.address();
    const erc20 = erc20At(token, this.provider);
    const [balance, allowance] = await Promise.all([erc20.balanceOf(me), erc20.allowance(me, spender)]);
    return { balance, allowance };
  }

  /** `send`; `checks`: this client's precondition checks, already started, their reads batched with the simulation. */
  protected async write(contract: BaseContract, method: string, args: readonly unknown[], opts: WriteOptions = {}, checks?: Promise<unknown>): Promise<WriteResult> {
    checks?.catch(() => undefined); // awaited by send (no unhandled rejection while the units are read)
    return send(contract, method, args, { units: await this.units(), ...opts }, checks);
  }
}

export function positive(x: bigint, what: string): void {
  if (typeof x !== "bigint") throw new InvalidArgumentError(`${what} must be a bigint (asset units), got ${typeof x}`);
  if (x <= 0n) throw new InvalidArgumentError(`${what} must be positive, got ${x}`);
}

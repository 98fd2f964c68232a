// Borrower: quotes from the chain (StrataLens.quote, and the pool's own extend as a static call: the rate a loan
// locks is the chain's, never re-derived here), borrow with NFT approval and an apr slippage guard, repay in full or
// in part, extend, health.
import { MaxUint256, type Signer, ZeroAddress, getAddress, isAddress } from "ethers";
import { erc721At } from "../chain/contracts.ts";
import type { Deployment } from "../chain/deployment.ts";
import { type Loan, type LoanHealth, loanHealthAt } from "../entities/index.ts";
import { ExceedsLtvError, InvalidArgumentError, NotOwnerError, PreconditionError, StrataContractError, requireAddress } from "../errors.ts";
import { type CollectionInfo, checkedRarityBps, maxPrincipalOf, originationLiquidationPrice } from "../entities/collection.ts";
import { fetchCollection, floorReader } from "../fetch/collection.ts";
import { fetchLoan, fetchLoans } from "../fetch/loan.ts";
import { loadLoanBook } from "../fetch/loan-book.ts";
import { borrowCall } from "../chain/borrow-call.ts";
import type { RarityProofData } from "../math/rarity.ts";
import { type WriteOptions, type WriteResult, eventOf, simulate } from "../chain/tx.ts";
import { showAmount, showDuration } from "../units.ts";
import { StrataClient, type TokenWriteOptions, positive } from "./base.ts";

/** What a borrow of `principal` for `duration` would cost now (the chain's quote) and what bounds it. */
export interface BorrowQuote {
  collection: string;
  principal: bigint;
  duration: bigint;
  apr: bigint;
  originationFee: bigint;
  amountReceived: bigint;
  interestAtMaturity: bigint;
  repayAtMaturity: bigint;
  /** The largest principal the LTV allows for this token's rarity at the current floor. */
  maxPrincipal: bigint;
  ltvBps: bigint;
  rarityBps: bigint;
  floorPrice: bigint;
  priceFresh: boolean;
  /** The floor below which the new loan would be liquidatable right away (rounded Up). */
  liquidationPrice: bigint;
}

/** Options of `Borrower.borrow`. New fields (e.g. `delegate`) are added here without breaking callers. */
export interface BorrowParams {
  collection: string;
  tokenId: bigint;
  principal: bigint;
  /** Loan duration in seconds. */
  duration: bigint;
  /** The highest apr (WAD) accepted; default: the quoted apr plus `aprTolerance`. */
  maxApr?: bigint;
  /** Added to the quoted apr for the default `maxApr` (WAD, default 0.1 % APR). */
  aprTolerance?: bigint;
  /** The token's rarity multiplier and proof, and the root of the list it came from (checked against the
   *  collection's). Without a proof the chain prices the token at the collection's proof-less multiplier. */
  rarity?: RarityProofData & { root?: string };
  /**
   * Keeps the NFT's utility while it is locked (SPEC §3.7): the pool delegates the token to this address in the
   * delegate.xyz v2 registry (all rights) and revokes it before the token leaves custody. Omitted or zero: none.
   */
  delegate?: string;
}

export interface ExtendQuote {
  loanId: bigint;
  newDuration: bigint;
  newApr: bigint;
  interestDue: bigint;
  newMaturity: bigint;
}

const DEFAULT_APR_TOLERANCE = 10n ** 15n;
/** Seconds of interest added to a full repayment's approval, for the blocks between the read and the send. */
const REPAY_BUFFER_SECONDS = 600n;

/** StrataLens.quote's answer. */
interface LensQuote {
  apr: bigint;
  originationFee: bigint;
  amountReceived: bigint;
  interestAtMaturity: bigint;
  repayAtMaturity: bigint;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A read started early (in a batch) whose failure only matters after the preconditions that come before it. */
function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** A BorrowQuote from the collection's parameters and the lens's quote (its revert rethrown here). */
function quoteFrom(info: CollectionInfo, principal: bigint, duration: bigint, rarityBps: bigint, lens: Settled<LensQuote>): BorrowQuote {
  if (!lens.ok) throw lens.error;
  const q = lens.value;
  return {
    collection: info.address,
    principal,
    duration,
    apr: q.apr,
    originationFee: q.originationFee,
    amountReceived: q.amountReceived,
    interestAtMaturity: q.interestAtMaturity,
    repayAtMaturity: q.repayAtMaturity,
    maxPrincipal: maxPrincipalOf(info, rarityBps),
    ltvBps: info.ltvBps,
    rarityBps,
    floorPrice: info.floorPrice,
    priceFresh: info.priceFresh,
    liquidationPrice: originationLiquidationPrice(info, principal, rarityBps),
  };
}


export class Borrower extends StrataClient {
  private constructor(signer: Signer, d: Deployment) {
    super(signer, d);
  }

  /**
   * A borrower over `signer`, refused unless the signer's chain is the deployment's.
   * @param signer the borrower's signer (it owns the NFTs and repays), connected to a provider
   * @param deployment the deployment to borrow from (e.g. `readDeploymentFor(file, provider)`)
   * @returns the client
   * @throws InvalidArgumentError when the signer has no provider
   * @throws ChainMismatchError when the provider's chain is not the deployment's
   * @example
   * ```ts
   * const borrower = await Borrower.connect(wallet, deployment);
   * const collection = deployment.collections[0];
   * ```
   */
  static async connect(signer: Signer, deployment: Deployment): Promise<Borrower> {
    return StrataClient.checked(new Borrower(signer, deployment));
  }

  /**
   * Collection `address`'s registry parameters and oracle floor, read now at one block (`fetchCollection`).
   * @param address the NFT collection's address
   * @returns a `CollectionInfo`: `listed`, `paused`, `ltvBps`, `liquidationThresholdBps`, `minDuration` and
   *   `maxDuration` (seconds), `curve`, `rarityRoot`, `noProofRarityBps`, `floorPrice` (asset base units),
   *   `priceFresh`, `exposure` and `exposureCap`
   * @throws InvalidArgumentError when `address` is not an address
   * @example
   * ```ts
   * const info = await borrower.collection(deployment.collections[0]);
   * if (!info.priceFresh) console.log("stale floor: borrowing stops until a reporter pushes a price");
   * ```
   */
  collection(address: string): Promise<CollectionInfo> {
    return fetchCollection(this.provider, this.deployment, address);
  }

  /**
   * The chain's quote (StrataLens.quote) with the LTV bound of the token's rarity: `opts.rarity` (its proof, checked
   * against the collection's rarity root: a wrong or stale list is refused) or, without one, the collection's
   * proof-less multiplier (SPEC §3.4).
   * @param collection the NFT collection's address
   * @param principal the amount to borrow, in the asset's base units (positive)
   * @param duration the loan's term in seconds (within the collection's `minDuration` .. `maxDuration`)
   * @param opts `opts.tokenId`: the token to borrow against (the token of its rarity proof); `opts.rarity`: its rarity
   *   multiplier and Merkle proof, `{ multiplierBps, proof, root? }`; without them the proof-less multiplier applies
   * @returns a `BorrowQuote`: `apr` (WAD), `originationFee`, `amountReceived`, `interestAtMaturity`,
   *   `repayAtMaturity`, `maxPrincipal`, `floorPrice` and `liquidationPrice` (asset base units), `ltvBps`,
   *   `rarityBps`, `priceFresh`
   * @throws InvalidArgumentError when `principal` is not positive or `collection` is not an address
   * @throws PreconditionError when the collection is not listed or `duration` is outside its bounds
   * @throws RarityRootMismatchError / InvalidRarityProofError for a wrong or stale rarity list, or a proof that fails
   * @throws RarityProofRequiredError when the collection's rarity list needs a proof and none was given
   * @throws ExceedsLtvError when `principal` is above the LTV bound of the token's rarity at the current floor
   * @throws StrataContractError for a decoded revert of the lens's quote
   * @example
   * ```ts
   * const quote = await borrower.quote(collection, parseAmount("20000", 6), 30n * 86_400n);
   * console.log(`apr ${formatWadPct(quote.apr)}, repay ${formatAmount(quote.repayAtMaturity, 6)}`);
   * ```
   */
  async quote(
    collection: string,
    principal: bigint,
    duration: bigint,
    opts: { tokenId?: bigint; rarity?: RarityProofData & { root?: string } } = {},
  ): Promise<BorrowQuote> {
    positive(principal, "principal");
    collection = requireAddress(collection, "collection");
    // the collection and the lens's quote are independent reads (one batch); an unlisted collection is refused by
    // the precondition below before the lens's revert is looked at
    const [info, q, units] = await Promise.all([this.collection(collection), settle(this.lensQuote(collection, principal, duration)), this.units()]);
    this.checkListed(info);
    this.checkDuration(info, duration);
    const rarityBps = checkedRarityBps(info, opts.tokenId ?? 0n, opts.rarity);
    // a quote above the LTV bound is refused as the borrow would be: its figures would describe a loan that cannot exist
    this.checkLtv(info, principal, rarityBps, units.asset);
    return quoteFrom(info, principal, duration, rarityBps, q);
  }

  private checkListed(info: CollectionInfo): void {
    if (!info.listed) throw new PreconditionError(`collection ${info.address} is not listed in the registry: nothing can be borrowed against it`);
  }

  private checkDuration(info: CollectionInfo, duration: bigint): void {
    if (duration < info.minDuration || duration > info.maxDuration) {
      throw new PreconditionError(`a term of ${showDuration(duration)} is outside the collection's ${showDuration(info.minDuration)} .. ${showDuration(info.maxDuration)}`);
    }
  }

  private checkLtv(info: CollectionInfo, principal: bigint, rarityBps: bigint, units: Parameters<typeof showAmount>[1]): void {
    const maxPrincipal = maxPrincipalOf(info, rarityBps);
    if (principal > maxPrincipal) throw new ExceedsLtvError(principal, maxPrincipal, info.ltvBps, rarityBps, units);
  }

  private lensQuote(collection: string, principal: bigint, duration: bigint): Promise<LensQuote> {
    return simulate<LensQuote>(this.contracts.lens, "quote", [collection, principal, duration]);
  }

  /**
   * Opens a loan: checks ownership, listing, duration, price, LTV; approves the NFT; returns the loan id. The
   * checks' reads (owner, approvals, the collection, the lens's quote, the delegate registry) go out together.
   * @param p the loan: `collection`, `tokenId`, `principal` (asset base units), `duration` (seconds); optional
   *   `maxApr` (WAD; default: the quoted apr plus `aprTolerance`, 0.1 % APR by default), `rarity` (multiplier, proof
   *   and the list's `root`), `delegate` (an address the token is delegated to via delegate.xyz v2 while it is locked)
   * @param opts `opts.approve: false` to refuse instead of sending a missing NFT approval; plus the write's options
   *   (`gasMarginPct`, `confirmations`, `onSent`)
   * @returns `{ hash, receipt, events }`, `loanId`, and `apr` (WAD), the rate the loan locked (from `LoanOriginated`)
   * @throws InvalidArgumentError when `principal` is not positive, or `collection` / `delegate` is not an address
   * @throws NotOwnerError when the token does not exist or the signer does not own it
   * @throws PreconditionError when the collection is unlisted or paused, the term outside its bounds, the floor
   *   stale, delegation disabled on this pool, or the NFT approval refused (`approve: false`)
   * @throws RarityRootMismatchError / InvalidRarityProofError / RarityProofRequiredError for the rarity, before the
   *   NFT approval is sent
   * @throws ExceedsLtvError when `principal` is above the LTV bound
   * @throws StrataContractError for a decoded revert of the simulation (e.g. the chain's apr above `maxApr`)
   * @example
   * ```ts
   * const principal = parseAmount("20000", 6);
   * const duration = 30n * 86_400n;
   * const quote = await borrower.quote(collection, principal, duration);
   * const { loanId, apr } = await borrower.borrow({
   *   collection, tokenId: 4242n, principal, duration, maxApr: quote.apr + 10n ** 15n,
   * });
   * ```
   */
  async borrow(p: BorrowParams, opts: TokenWriteOptions = {}): Promise<WriteResult & { loanId: bigint; apr: bigint }> {
    positive(p.principal, "principal");
    const collection = requireAddress(p.collection, "collection");
    if (p.delegate !== undefined) requireAddress(p.delegate, "delegate");
    const me = await this.address();
    const nft = erc721At(collection, this.signer);
    const [owner, info, q, approved, approvedForAll, registry, units] = await Promise.all([
      nft.ownerOf(p.tokenId).catch(() => null),
      this.collection(collection),
      settle(this.lensQuote(collection, p.principal, p.duration)),
      nft.getApproved(p.tokenId).catch(() => ZeroAddress), // reverts for a token that does not exist (refused below)
      nft.isApprovedForAll(me, this.deployment.pool).catch(() => false), // not an ERC-721: the listing check refuses it
      p.delegate !== undefined && getAddress(p.delegate) !== ZeroAddress ? this.delegateRegistry() : Promise.resolve(null),
      this.units(),
    ]);
    this.checkListed(info);
    if (owner === null) throw new NotOwnerError(`token ${p.tokenId} of ${collection} does not exist`);
    if (owner.toLowerCase() !== me.toLowerCase()) throw new NotOwnerError(`${me} does not own token ${p.tokenId} of ${collection} (owner ${owner})`);
    if (info.paused) throw new PreconditionError(`borrowing against ${collection} is paused`);
    this.checkDuration(info, p.duration);
    if (!info.priceFresh) throw new PreconditionError(`the oracle price of ${p.collection} is stale: borrowing is stopped until a reporter pushes one`);
    const rarity = p.rarity ?? { multiplierBps: 0n, proof: [] };
    // a wrong or stale list, or a proof that does not verify, is refused here, before the NFT approval is sent
    const rarityBps = checkedRarityBps(info, p.tokenId, p.rarity ?? rarity);
    this.checkLtv(info, p.principal, rarityBps, units.asset);
    const quoted = quoteFrom(info, p.principal, p.duration, rarityBps, q);
    const maxApr = p.maxApr ?? quoted.apr + (p.aprTolerance ?? DEFAULT_APR_TOLERANCE);
    if (registry === ZeroAddress) throw new PreconditionError("DelegationDisabled: this pool was deployed without a delegate registry");
    if (approved.toLowerCase() !== this.deployment.pool.toLowerCase() && !approvedForAll) {
      if (opts.approve === false) throw new PreconditionError(`the pool is not approved for token ${p.tokenId} (approve: false)`);
      await this.write(nft, "approve", [this.deployment.pool, p.tokenId], opts);
    }
    const call = borrowCall({ collection, tokenId: p.tokenId, principal: p.principal, duration: p.duration, maxApr, rarity, delegate: p.delegate });
    const r = await this.write(this.contracts.pool, call.method, call.args, opts);
    const ev = eventOf(r, "LoanOriginated");
    return { ...r, loanId: ev.args.loanId as bigint, apr: ev.args.apr as bigint };
  }

  /**
   * The delegate.xyz v2 registry the pool delegates through (zero: delegation disabled on this deployment).
   * @returns the registry's address (checksummed), or `ZeroAddress` when the pool was deployed without one
   * @example
   * ```ts
   * if ((await borrower.delegateRegistry()) === ZeroAddress) console.log("this pool does not delegate NFTs");
   * ```
   */
  async delegateRegistry(): Promise<string> {
    return getAddress((await this.contracts.pool.delegateRegistry()) as string);
  }

  /**
   * The address loan `loanId`'s token is delegated to (zero: none).
   * @param loanId the loan's id
   * @returns the delegate's address (checksummed), or `ZeroAddress` when the token is not delegated
   * @example
   * ```ts
   * console.log(`delegated to ${await borrower.delegateOf(loanId)}`);
   * ```
   */
  async delegateOf(loanId: bigint): Promise<string> {
    return getAddress((await this.contracts.pool.delegateOf(loanId)) as string);
  }

  /**
   * Names `delegate` for the signer's active loan `loanId` (zero clears); the previous delegation is revoked first.
   * @param loanId the signer's active loan
   * @param delegate the address the token is delegated to (delegate.xyz v2, all rights), or `ZeroAddress` to clear it
   * @param opts the write's options: `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }`, `previous` and `delegate` (from `LoanDelegateSet`)
   * @throws InvalidArgumentError when `delegate` is not an address
   * @throws PreconditionError when delegation is disabled on this pool, or the loan is not active
   * @throws LoanNotFoundError when `loanId` was never originated
   * @throws NotOwnerError when the signer is not the loan's borrower
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const { previous } = await borrower.setDelegate(loanId, "0x000000000000000000000000000000000000dEaD");
   * ```
   */
  async setDelegate(loanId: bigint, delegate: string, opts: WriteOptions = {}): Promise<WriteResult & { previous: string; delegate: string }> {
    await this.requireDelegation(delegate);
    const loan = await this.loan(loanId);
    if (!loan.isActive) throw new PreconditionError(`loan ${loanId} is not active (${loan.statusName}): its delegate can no longer change`);
    const me = await this.address();
    if (loan.borrower.toLowerCase() !== me.toLowerCase()) throw new NotOwnerError(`${me} is not the borrower of loan ${loanId}`);
    const r = await this.write(this.contracts.pool, "setDelegate", [loanId, getAddress(delegate)], opts);
    const ev = eventOf(r, "LoanDelegateSet");
    return { ...r, previous: ev.args.previous as string, delegate: ev.args.delegate as string };
  }

  private async requireDelegation(delegate: string): Promise<void> {
    if (!isAddress(delegate)) throw new InvalidArgumentError(`delegate ${delegate} is not an address`);
    if (getAddress(delegate) !== ZeroAddress && (await this.delegateRegistry()) === ZeroAddress) {
      throw new PreconditionError("DelegationDisabled: this pool was deployed without a delegate registry");
    }
  }

  /**
   * Loan `loanId` now.
   * @param loanId the loan's id
   * @returns the `Loan` entity (any status): `principal`, `apr` (WAD), `maturity` (unix seconds), `statusName`, and
   *   its math at any time (`debtAt(t)`, `health(floorPrice, t)`, `isOverdue(t)`)
   * @throws LoanNotFoundError when `loanId` was never originated
   * @example
   * ```ts
   * const loan = await borrower.loan(loanId);
   * console.log(`${loan.statusName}: owes ${formatAmount(loan.debtAt(loan.asOf), 6)}`);
   * ```
   */
  loan(loanId: bigint): Promise<Loan> {
    return fetchLoan(this.provider, this.deployment, loanId);
  }

  /**
   * The signer's active loans (from the pool's events).
   * @param opts `opts.fromBlock`: the first block of the event scan (default 0: the pool's whole history)
   * @returns the signer's active `Loan`s, read at one block
   * @example
   * ```ts
   * for (const loan of await borrower.loans()) console.log(`loan ${loan.id} matures at ${loan.maturity}`);
   * ```
   */
  async loans(opts: { fromBlock?: number } = {}): Promise<Loan[]> {
    const book = await loadLoanBook(this.provider, this.deployment, opts);
    return fetchLoans(this.provider, this.deployment, book.of(await this.address()).map((e) => e.id));
  }

  /**
   * Repays loan `loanId`: `"full"` (default) closes it (NFT back to the borrower), or a partial `amount`. Anyone may
   * pay toward any loan (SPEC §3.8: the NFT always goes back to the loan's borrower, never to the payer); paying
   * toward a loan that is not the signer's is refused unless `opts.onBehalfOf` names its borrower, so that a mistyped
   * id never pays a stranger's debt. `paid` is what the pool took (from the receipt), not what was asked.
   * @param loanId the loan to pay toward
   * @param amount `"full"` (default) to close the loan, or a partial payment in the asset's base units (below the
   *   debt: before maturity only, and at least the interest due)
   * @param opts `opts.onBehalfOf`: the loan's borrower, to confirm a payment toward another account's loan;
   *   `opts.approve: false` to refuse instead of sending a missing approval (a full repayment approves the debt 10
   *   minutes ahead); plus `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }`, `paid` (principal, interest and late fee taken, asset base units) and
   *   `closed` (no principal left: the NFT went back to the borrower)
   * @throws LoanNotFoundError when `loanId` was never originated
   * @throws PreconditionError when the loan is not active, or a partial payment comes after maturity or is below the
   *   interest due (PaymentBelowInterest)
   * @throws NotOwnerError when the loan is not the signer's and `opts.onBehalfOf` does not name its borrower
   * @throws InvalidArgumentError when a partial `amount` is not positive
   * @throws InsufficientBalanceError / AllowanceTooLowError when the signer cannot pay (or `approve: false`)
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const { paid, closed } = await borrower.repay(loanId); // in full: the NFT comes back
   * await borrower.repay(otherLoanId, parseAmount("500", 6), { onBehalfOf: itsBorrower });
   * ```
   */
  async repay(
    loanId: bigint,
    amount: bigint | "full" = "full",
    opts: TokenWriteOptions & { onBehalfOf?: string } = {},
  ): Promise<WriteResult & { paid: bigint; closed: boolean }> {
    const funds = this.funds(this.deployment.asset, this.deployment.pool); // read with the loan (one batch)
    funds.catch(() => undefined); // awaited below
    const [loan, me, units] = await Promise.all([this.loan(loanId), this.address(), this.units()]);
    if (!loan.isActive) throw new PreconditionError(`loan ${loanId} is not active (${loan.statusName})`);
    if (loan.borrower.toLowerCase() !== me.toLowerCase()) {
      const confirmed = opts.onBehalfOf !== undefined && requireAddress(opts.onBehalfOf, "onBehalfOf").toLowerCase() === loan.borrower.toLowerCase();
      if (!confirmed) {
        throw new NotOwnerError(
          `loan ${loanId} is ${loan.borrower}'s, not ${me}'s: paying toward it is allowed (the NFT goes back to its borrower), ` +
            `but say so by naming its borrower (onBehalfOf, or strata borrow repay --for ${loan.borrower})`,
        );
      }
    }
    const now = loan.asOf;
    let pay: bigint;
    if (amount === "full") {
      pay = loan.debtAt(now + REPAY_BUFFER_SECONDS); // only the debt at execution is taken
    } else {
      positive(amount, "amount");
      const interestDue = loan.interestAt(now + 1n);
      if (amount < loan.debtAt(now + 1n)) {
        if (now + 1n > loan.maturity) throw new PreconditionError(`loan ${loanId} is past maturity: only a full repayment is accepted`);
        if (amount < interestDue) {
          throw new PreconditionError(`PaymentBelowInterest: a partial repayment of ${showAmount(amount, units.asset)} must cover the interest due, ${showAmount(interestDue, units.asset)}`);
        }
      }
      pay = amount;
    }
    await this.requireFunds(this.deployment.asset, this.deployment.pool, amount === "full" ? loan.debtAt(now + 1n) : pay, pay, opts, {
      balance: `repayment of loan ${loanId}`,
      allowance: `the pool pulls the repayment of loan ${loanId}`,
    }, funds);
    const r = await this.write(this.contracts.pool, "repay", [loanId, pay], opts);
    const ev = eventOf(r, "LoanRepaid");
    const paid = (ev.args.principalPaid as bigint) + (ev.args.interestPaid as bigint) + (ev.args.lateFee as bigint);
    return { ...r, paid, closed: (ev.args.principalRemaining as bigint) === 0n };
  }

  /**
   * What extending `loanId` to `newDuration` would lock now: the pool's own `extend`, simulated as the borrower (the
   * chain is the source of truth for the rate). When the simulation cannot pull the interest yet (no allowance), the
   * registry's `extensionCurve` still checks every rule on chain and the rate is the curve at current utilization
   * (`source: "curve"`); `extend` approves first and so always gets the chain's figure.
   * @param loanId the signer's active loan, before its maturity
   * @param newDuration the new term in seconds, counted from now (not added to the current one)
   * @returns an `ExtendQuote`: `newApr` (WAD), `interestDue` (asset base units, paid at the extension), `newMaturity`
   *   (unix seconds), and `source` ("chain": the pool's `extend`; "curve": the extension curve at current utilization)
   * @throws LoanNotFoundError when `loanId` was never originated
   * @throws PreconditionError when the loan is not active or past maturity
   * @throws NotOwnerError when the signer is not its borrower
   * @throws StrataContractError when the chain refuses the extension (decoded revert)
   * @example
   * ```ts
   * const q = await borrower.quoteExtend(loanId, 30n * 86_400n);
   * console.log(`new apr ${formatWadPct(q.newApr)} (${q.source}), interest due ${formatAmount(q.interestDue, 6)}`);
   * ```
   */
  async quoteExtend(loanId: bigint, newDuration: bigint): Promise<ExtendQuote & { source: "chain" | "curve" }> {
    const loan = await this.loan(loanId);
    this.checkExtendable(loan, await this.address());
    const base = { loanId, newDuration, interestDue: loan.interestAt(loan.asOf + 1n), newMaturity: loan.asOf + 1n + newDuration };
    try {
      const newApr = await simulate<bigint>(this.contracts.pool, "extend", [loanId, newDuration, MaxUint256]);
      return { ...base, newApr, source: "chain" };
    } catch (e) {
      if (!(e instanceof StrataContractError) || e.errorName !== "Error" || !/TRANSFER_FROM_FAILED/.test(String(e.args[0]))) throw e;
    }
    const debt = loan.principal + loan.interestAt(loan.asOf + 1n);
    const curve = await simulate<{ baseRate: bigint; slope1: bigint; slope2: bigint; kink: bigint }>(this.contracts.registry, "extensionCurve", [
      loanId,
      loan.collection,
      loan.rarityBps,
      loan.liquidationThresholdBps,
      debt,
      newDuration,
    ]);
    const snap = await this.fetchPool();
    const newApr = snap.pool.displayApr({ baseRate: curve.baseRate, slope1: curve.slope1, slope2: curve.slope2, kink: curve.kink });
    return { ...base, newApr, source: "curve" };
  }

  private checkExtendable(loan: Loan, me: string): void {
    if (!loan.isActive) throw new PreconditionError(`loan ${loan.id} is not active (${loan.statusName})`);
    if (loan.borrower.toLowerCase() !== me.toLowerCase()) throw new NotOwnerError(`${me} is not the borrower of loan ${loan.id}`);
    if (loan.asOf >= loan.maturity) throw new PreconditionError(`loan ${loan.id} is past maturity: it can only be repaid`);
  }

  /**
   * Extends `loanId`: pays the interest due and restarts the term at the chain's rate (<= maxApr). `newDuration` is
   * the new term counted from now, not added to the current one (SPEC §3.9): a loan extended right after it was
   * opened keeps almost the same maturity. Returns the old and the new maturity.
   * @param loanId the signer's active loan, before its maturity
   * @param newDuration the new term in seconds, counted from now (positive)
   * @param opts `opts.maxApr`: the highest apr accepted (WAD; default: the quoted `newApr` plus `opts.aprTolerance`,
   *   0.1 % APR by default); `opts.approve: false` to refuse instead of sending a missing approval of the interest;
   *   plus `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }`, `newApr` (WAD), `newMaturity` and `oldMaturity` (unix seconds), and
   *   `interestPaid` (asset base units)
   * @throws InvalidArgumentError when `newDuration` is not positive
   * @throws LoanNotFoundError when `loanId` was never originated
   * @throws PreconditionError when the loan is not active or past maturity
   * @throws NotOwnerError when the signer is not its borrower
   * @throws InsufficientBalanceError / AllowanceTooLowError for the interest due
   * @throws StrataContractError for a decoded revert (e.g. the chain's apr above `maxApr`)
   * @example
   * ```ts
   * const { oldMaturity, newMaturity, interestPaid } = await borrower.extend(loanId, 30n * 86_400n);
   * ```
   */
  async extend(
    loanId: bigint,
    newDuration: bigint,
    opts: TokenWriteOptions & { maxApr?: bigint; aprTolerance?: bigint } = {},
  ): Promise<WriteResult & { newApr: bigint; newMaturity: bigint; oldMaturity: bigint; interestPaid: bigint }> {
    if (newDuration <= 0n) throw new InvalidArgumentError("newDuration must be positive");
    const loan = await this.loan(loanId);
    this.checkExtendable(loan, await this.address());
    const interestBuffer = loan.interestAt(loan.asOf + REPAY_BUFFER_SECONDS);
    await this.requireFunds(this.deployment.asset, this.deployment.pool, loan.interestAt(loan.asOf + 1n), interestBuffer, opts, {
      balance: `interest due on loan ${loanId}`,
      allowance: `the pool pulls the interest of loan ${loanId}`,
    });
    const q = await this.quoteExtend(loanId, newDuration);
    const maxApr = opts.maxApr ?? q.newApr + (opts.aprTolerance ?? DEFAULT_APR_TOLERANCE);
    const r = await this.write(this.contracts.pool, "extend", [loanId, newDuration, maxApr], opts);
    const ev = eventOf(r, "LoanExtended");
    return { ...r, newApr: ev.args.newApr as bigint, newMaturity: ev.args.newMaturity as bigint, oldMaturity: loan.maturity, interestPaid: ev.args.interestPaid as bigint };
  }

  /**
   * Health of `loanId` now: the loan and its floor read at one block, every figure from the Loan entity.
   * @param loanId the loan's id
   * @returns a `LoanHealth`: `debt` (asset base units), `health` (WAD; below 1e18 liquidatable at a fresh price),
   *   `floorPrice` and `liquidationPrice` (asset base units), `priceFresh`, `overdue`, `liquidatable` ("overdue",
   *   "unhealthy" or null) and the block's `timestamp`
   * @throws LoanNotFoundError when `loanId` was never originated
   * @throws PreconditionError when the node has no latest block
   * @example
   * ```ts
   * const h = await borrower.health(loanId);
   * console.log(`health ${formatHealth(h.health)}, liquidation below ${formatAmount(h.liquidationPrice, 6)}`);
   * ```
   */
  async health(loanId: bigint): Promise<LoanHealth> {
    const head = await this.provider.getBlock("latest");
    if (!head) throw new PreconditionError("the node has no latest block");
    const pinned = { blockNumber: head.number, timestamp: BigInt(head.timestamp) };
    const loan = await fetchLoan(this.provider, this.deployment, loanId, { pinned });
    return loanHealthAt(loan, await floorReader(this.provider, this.deployment, head.number)(loan.collection), pinned.timestamp);
  }
}

// Immutable entities with pure bigint math (the model: morpho-org/sdks blue-sdk): plain objects built from one
// batched read (see fetch.ts), whose methods answer questions at any timestamp without the chain. Every formula is a
// line-for-line port of the Solidity it mirrors (file and function named at each method), with the contract's
// rounding, named Up/Down; ts-sdk/test/entities.property.test.ts proves them equal to the contracts' views.
import { StrataMathError } from "./errors.ts";
import { type RateCurve, accrued, apr as curveApr, interest, utilization } from "./interest.ts";
import { BPS, WAD, YEAR, bpsDown, bpsUp, max, min, mulDivDown, mulDivUp, wDivDown, wTaylorCompoundedDown, zeroFloorSub } from "./math.ts";
import { accrualRateDown, compoundClaimDown, maxJuniorWithdraw, maxSeniorDeposit, split } from "./waterfall.ts";

const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT96 = (1n << 96n) - 1n;

/** The two tranches (IStrataPool.sol `enum Tranche`). */
export const Tranche = { Senior: 0, Junior: 1 } as const;
export type TrancheId = (typeof Tranche)[keyof typeof Tranche];
export const TRANCHE_NAMES = ["senior", "junior"] as const;
export type TrancheName = (typeof TRANCHE_NAMES)[number];

/** `trancheId("junior") === 1`; accepts a name or an id. */
export function trancheId(t: TrancheName | TrancheId): TrancheId {
  if (t === 0 || t === 1) return t;
  if (t === "senior") return Tranche.Senior;
  if (t === "junior") return Tranche.Junior;
  throw new StrataMathError(`unknown tranche ${String(t)} (expected "senior" or "junior")`);
}

/** A loan's life cycle (IStrataPool.sol `enum LoanStatus`). */
export const LOAN_STATUS = ["None", "Active", "Repaid", "Liquidating", "Liquidated", "Recovering"] as const;
export type LoanStatusName = (typeof LOAN_STATUS)[number];
/** An auction's life cycle (ILiquidator.sol `enum AuctionStatus`). */
export const AUCTION_STATUS = ["None", "Running", "Sold", "Redeemed", "Recovered"] as const;
export type AuctionStatusName = (typeof AUCTION_STATUS)[number];

/** OpenZeppelin Math.mulDiv with an explicit rounding. */
const mulDiv = (x: bigint, y: bigint, d: bigint, rounding: "Down" | "Up") => (rounding === "Up" ? mulDivUp(x, y, d) : mulDivDown(x, y, d));

// ============================================================================================== Pool

/** The pool's O(1) state (StrataPool.sol `PoolStorage`), as of block `blockNumber` at `timestamp`. */
export interface PoolState {
  blockNumber: number;
  timestamp: bigint;
  asset: string;
  assetDecimals: number;
  assetSymbol: string;
  cash: bigint;
  totalPrincipal: bigint;
  rateSum: bigint;
  rateTimeSum: bigint;
  seniorClaimStored: bigint;
  seniorLastUpdate: bigint;
  seniorRate: bigint;
  /** StrataPool `seniorAccrualMode`: 0 on a pool upgraded from 0.2 until its first change (the claim accrues the full
   *  senior rate), 1 since (`seniorRate × u`, SPEC §5.1). */
  seniorAccrualMode: number;
  protocolFees: bigint;
  minJuniorRatioBps: bigint;
  originationFeeBps: bigint;
  protocolFeeBps: bigint;
  gracePeriod: bigint;
  borrowsPaused: boolean;
  depositsPaused: boolean;
  impairedBook: bigint;
  impairedCount: bigint;
  nextLoanId: bigint;
  /** Shares of each tranche as the pool books them ([senior, junior]). */
  supply: readonly [bigint, bigint];
  /** Shares of each tranche locked in its redemption queue. */
  pendingShares: readonly [bigint, bigint];
  /** Queue holds (SPEC §5.7, `queueHold`): materiality threshold, bps of a tranche's value at book. */
  holdThresholdBps: bigint;
  /** The cooldown after a hold, seconds. */
  queueCooldown: bigint;
  /** Per tranche ([senior, junior]): the time before which its line is not served after a hold (0: none). */
  servableAfter: readonly [bigint, bigint];
}

/** Why a tranche's redemption line is not served now (SPEC §5.7), for a UI to branch on. */
export type QueueHoldReason = "liquidations" | "cooldown";

/** A tranche line's hold (QueueHold.sol): why it is not served now, and until when if that is known. */
export interface QueueHold {
  /** null: the line is open (served as far as cash and the notice allow). */
  reason: QueueHoldReason | null;
  /** The pending recoveries of loans in liquidation, as the tranche's value at book less its realised value. */
  pendingRecovery: bigint;
  /** The cooldown's end (seconds): with `liquidations`, the earliest the line can open is once they settle, plus the
   *  cooldown; with `cooldown`, this time. */
  servableAfter: bigint;
}

/** NAV and the senior claim at one timestamp: everything the tranche views derive from (StrataPool `_values`). */
export interface PoolValues {
  nav: bigint;
  claim: bigint;
}

export class Pool implements PoolState {
  readonly blockNumber!: number;
  readonly timestamp!: bigint;
  readonly asset!: string;
  readonly assetDecimals!: number;
  readonly assetSymbol!: string;
  readonly cash!: bigint;
  readonly totalPrincipal!: bigint;
  readonly rateSum!: bigint;
  readonly rateTimeSum!: bigint;
  readonly seniorClaimStored!: bigint;
  readonly seniorLastUpdate!: bigint;
  readonly seniorRate!: bigint;
  readonly seniorAccrualMode!: number;
  readonly protocolFees!: bigint;
  readonly minJuniorRatioBps!: bigint;
  readonly originationFeeBps!: bigint;
  readonly protocolFeeBps!: bigint;
  readonly gracePeriod!: bigint;
  readonly borrowsPaused!: boolean;
  readonly depositsPaused!: boolean;
  readonly impairedBook!: bigint;
  readonly impairedCount!: bigint;
  readonly nextLoanId!: bigint;
  readonly supply!: readonly [bigint, bigint];
  readonly pendingShares!: readonly [bigint, bigint];
  readonly holdThresholdBps!: bigint;
  readonly queueCooldown!: bigint;
  readonly servableAfter!: readonly [bigint, bigint];

  constructor(state: PoolState) {
    Object.assign(this, state);
    Object.freeze(this);
  }

  /** LoanLogic `borrow` / StrataLens `quote`: the origination fee on `principal`, `bpsUp` (rounded Up, SPEC §2). */
  originationFee(principal: bigint): bigint {
    return bpsUp(principal, this.originationFeeBps);
  }

  /** StrataPool `_nav`: `cash + totalPrincipal + accrued(rateSum, rateTimeSum, t)` (accrued rounded Down). */
  navAt(t: bigint = this.timestamp): bigint {
    return this.cash + this.totalPrincipal + accrued(this.rateSum, this.rateTimeSum, t);
  }

  /**
   * PoolValues `seniorAccrualRate` (SPEC §5.1): the rate the claim accrues at, `seniorRate × P / (P + cash)` rounded
   * Down (the senior's rate on lent capital, nothing on idle cash); the full rate on a pool upgraded from 0.2 until its
   * first change. Constant between changes of principal or cash, at each of which the pool checkpoints the claim.
   */
  get seniorAccrualRate(): bigint {
    if (this.seniorAccrualMode === 0) return this.seniorRate;
    return accrualRateDown(this.seniorRate, this.totalPrincipal, this.cash);
  }

  /** PoolValues `seniorClaimNow`: the stored claim compounded to `t` at `seniorAccrualRate` (Taylor, Down). */
  seniorClaimAt(t: bigint = this.timestamp): bigint {
    return compoundClaimDown(this.seniorClaimStored, this.seniorAccrualRate, t - this.seniorLastUpdate);
  }

  /** StrataPool `_values`. */
  valuesAt(t: bigint = this.timestamp): PoolValues {
    return { nav: this.navAt(t), claim: this.seniorClaimAt(t) };
  }

  /** StrataPool `_depositValues`: NAV with the loans in liquidation at book value. */
  depositValuesAt(t: bigint = this.timestamp): PoolValues {
    const v = this.valuesAt(t);
    return this.impairedCount !== 0n ? { nav: v.nav + this.impairedBook, claim: v.claim } : v;
  }

  /** StrataPool `trancheValue` (the vault's `totalAssets`). */
  trancheValueAt(tranche: TrancheId, t: bigint = this.timestamp): bigint {
    const { nav, claim } = this.valuesAt(t);
    const s = split(nav, claim);
    return tranche === Tranche.Senior ? s.seniorValue : s.juniorValue;
  }

  /** StrataPool `trancheDepositValue`. */
  trancheDepositValueAt(tranche: TrancheId, t: bigint = this.timestamp): bigint {
    const { nav, claim } = this.depositValuesAt(t);
    const s = split(nav, claim);
    return tranche === Tranche.Senior ? s.seniorValue : s.juniorValue;
  }

  /**
   * StrataPool `_queueReserve`: cash owed to both queues at today's price, each rounded Up; the junior's capped by
   * what subordination lets it be paid now (`Waterfall.maxJuniorWithdraw`), so unservable requests freeze nothing.
   */
  queueReserve(v: PoolValues): bigint {
    const [seniorPending, juniorPending] = this.pendingShares;
    if (seniorPending === 0n && juniorPending === 0n) return 0n;
    const s = split(v.nav, v.claim);
    let reserve = 0n;
    if (seniorPending !== 0n) reserve = mulDivUp(s.seniorValue, seniorPending, this.supply[0]);
    if (juniorPending !== 0n) {
      reserve += min(
        mulDivUp(s.juniorValue, juniorPending, this.supply[1]),
        maxJuniorWithdraw(s.juniorValue, v.nav, this.minJuniorRatioBps),
      );
    }
    return reserve;
  }

  /** StrataPool `_availableCash`: cash not owed to the queue. */
  availableCashAt(t: bigint = this.timestamp): bigint {
    if (this.pendingShares[0] === 0n && this.pendingShares[1] === 0n) return this.cash;
    return zeroFloorSub(this.cash, this.queueReserve(this.valuesAt(t)));
  }

  /** StrataPool `_maxDepositAt` (the pool's `maxDeposit(tranche)`). */
  maxDepositAt(tranche: TrancheId, t: bigint = this.timestamp): bigint {
    return this.maxDepositWithReason(tranche, t).limit;
  }

  /** `maxDepositAt` and why that limit applies, in words a lender understands. */
  maxDepositWithReason(tranche: TrancheId, t: bigint = this.timestamp): { limit: bigint; reason: string } {
    if (this.depositsPaused) return { limit: 0n, reason: "deposits are paused by the guardian or governance" };
    const { nav, claim } = this.valuesAt(t);
    const s = split(nav, claim);
    const room = MAX_UINT128 - max(this.cash, claim);
    if (tranche === Tranche.Senior) {
      if (s.seniorValue < claim) {
        return { limit: 0n, reason: "the senior tranche is impaired (value below its claim): senior deposits are refused until it recovers" };
      }
      const sub = maxSeniorDeposit(s.juniorValue, nav, this.minJuniorRatioBps);
      return sub < room
        ? { limit: sub, reason: `subordination: the junior tranche must stay >= ${Number(this.minJuniorRatioBps) / 100} % of NAV` }
        : { limit: room, reason: "the pool's 128-bit ledgers" };
    }
    if (s.juniorValue === 0n && this.supply[1] !== 0n) {
      return { limit: 0n, reason: "the junior tranche is wiped out with shares outstanding: junior deposits are refused" };
    }
    return { limit: room, reason: "the pool's 128-bit ledgers" };
  }

  /** StrataPool `_exitRoom`: the senior its value, the junior what keeps subordination. */
  exitRoom(tranche: TrancheId, v: PoolValues): bigint {
    const s = split(v.nav, v.claim);
    if (tranche === Tranche.Senior) return s.seniorValue;
    return maxJuniorWithdraw(s.juniorValue, v.nav, this.minJuniorRatioBps);
  }

  /** StrataPool `_maxWithdrawAt` (the pool's `maxWithdraw(tranche)`): 0 for the junior (exits by notice only). */
  maxWithdrawAt(tranche: TrancheId, t: bigint = this.timestamp): bigint {
    if (tranche === Tranche.Junior) return 0n;
    const v = this.valuesAt(t);
    return min(this.availableCashAt(t), this.exitRoom(tranche, v));
  }

  /**
   * StrataPool `_servableAt` (the pool's `servable(tranche)`): 0 while the line is held or cools down after a hold
   * (SPEC §5.7, `queueHoldAt`); otherwise cash capped by the tranche's exit room.
   */
  servableAt(tranche: TrancheId, t: bigint = this.timestamp): bigint {
    const v = this.valuesAt(t);
    if (this.queueHoldIn(tranche, v, t).reason !== null) return 0n;
    return min(this.cash, this.exitRoom(tranche, v));
  }

  /**
   * QueueHold.sol `open` / `heldLines`: whether `tranche`'s line is held (loans in liquidation whose pending
   * recoveries exceed `holdThresholdBps` of the tranche's value at book) or cools down after a hold, at `t`.
   */
  queueHoldAt(tranche: TrancheId, t: bigint = this.timestamp): QueueHold {
    return this.queueHoldIn(tranche, this.valuesAt(t), t);
  }

  private queueHoldIn(tranche: TrancheId, v: PoolValues, t: bigint): QueueHold {
    const servableAfter = this.servableAfter[tranche];
    let pendingRecovery = 0n;
    let held = false;
    if (this.impairedCount !== 0n) {
      const realised = split(v.nav, v.claim);
      const atBook = split(v.nav + this.impairedBook, v.claim);
      const [r, b] = tranche === Tranche.Senior ? [realised.seniorValue, atBook.seniorValue] : [realised.juniorValue, atBook.juniorValue];
      pendingRecovery = b - r;
      held = pendingRecovery * BPS > b * this.holdThresholdBps;
    }
    if (held) return { reason: "liquidations", pendingRecovery, servableAfter };
    if (t < servableAfter) return { reason: "cooldown", pendingRecovery, servableAfter };
    return { reason: null, pendingRecovery, servableAfter };
  }

  /** Whether `tranche`'s line is held or cooling down now (`queueHoldAt(...).reason !== null`). */
  queueBlockedAt(tranche: TrancheId, t: bigint = this.timestamp): boolean {
    return this.queueHoldAt(tranche, t).reason !== null;
  }

  /** RateCurve.sol `utilization(totalPrincipal, cash)`: WAD, rounded Up. */
  get utilization(): bigint {
    return utilization(this.totalPrincipal, this.cash);
  }

  /**
   * The curve rate at current utilization (RateCurve.sol `apr`), for display. Quotes come from the chain
   * (`Borrower.quote` calls StrataLens.quote): the rate a borrow locks is not a pure function of this number.
   */
  displayApr(curve: RateCurve): bigint {
    return curveApr(curve, this.utilization);
  }

  /** Interest the book earns per year for the pool, net of protocol fees: `rateSum / WAD` (Down). */
  get incomePerYear(): bigint {
    return this.rateSum / WAD;
  }
}

// ============================================================================================== Tranche

/** One tranche vault's state (TrancheVault.sol), over its pool. */
export interface TrancheState {
  tranche: TrancheId;
  vault: string;
  /** The vault's ERC-20 share supply (locked queue shares included). */
  totalSupply: bigint;
  shareDecimals: number;
  /** Junior notice period in seconds, or null when the deployed vault has none (instant junior exits). */
  noticePeriod: bigint | null;
  /** The queue: head index, last request id, pending shares. */
  queueHead: bigint;
  requestCount: bigint;
}

/** TrancheVault.sol `DECIMALS_OFFSET`. */
export const DECIMALS_OFFSET = 6n;
const VIRTUAL_SHARES = 10n ** DECIMALS_OFFSET;

/** APR and APY of a tranche, WAD (1e18 = 100 %), signed for the junior; `basis` says what they are. */
export interface TrancheYield {
  apr: bigint;
  apy: bigint;
  basis: string;
}

export class TrancheEntity implements TrancheState {
  readonly tranche!: TrancheId;
  readonly vault!: string;
  readonly totalSupply!: bigint;
  readonly shareDecimals!: number;
  readonly noticePeriod!: bigint | null;
  readonly queueHead!: bigint;
  readonly requestCount!: bigint;
  readonly pool: Pool;

  constructor(state: TrancheState, pool: Pool) {
    Object.assign(this, state);
    this.pool = pool;
    Object.freeze(this);
  }

  get name(): TrancheName {
    return TRANCHE_NAMES[this.tranche];
  }

  /** Junior exits go through the queue with a notice period (once the deployed vault has one). */
  get asyncExitsOnly(): boolean {
    return this.tranche === Tranche.Junior && this.noticePeriod !== null;
  }

  /** TrancheVault `totalAssets`. */
  totalAssetsAt(t: bigint = this.pool.timestamp): bigint {
    return this.pool.trancheValueAt(this.tranche, t);
  }

  /** ERC4626Upgradeable `_convertToShares`: `assets * (supply + 10^6) / (totalAssets + 1)`. */
  convertToShares(assets: bigint, rounding: "Down" | "Up" = "Down", t: bigint = this.pool.timestamp): bigint {
    return mulDiv(assets, this.totalSupply + VIRTUAL_SHARES, this.totalAssetsAt(t) + 1n, rounding);
  }

  /** ERC4626Upgradeable `_convertToAssets`: `shares * (totalAssets + 1) / (supply + 10^6)`. */
  convertToAssets(shares: bigint, rounding: "Down" | "Up" = "Down", t: bigint = this.pool.timestamp): bigint {
    return mulDiv(shares, this.totalAssetsAt(t) + 1n, this.totalSupply + VIRTUAL_SHARES, rounding);
  }

  /** TrancheVault `_depositPrice`. */
  depositPriceAt(t: bigint = this.pool.timestamp): bigint {
    return this.pool.trancheDepositValueAt(this.tranche, t);
  }

  /** TrancheVault `previewDeposit` (Down, at the deposit price). */
  previewDeposit(assets: bigint, t: bigint = this.pool.timestamp): bigint {
    return mulDivDown(assets, this.totalSupply + VIRTUAL_SHARES, this.depositPriceAt(t) + 1n);
  }

  /** TrancheVault `previewMint` (Up, at the deposit price). */
  previewMint(shares: bigint, t: bigint = this.pool.timestamp): bigint {
    return mulDivUp(shares, this.depositPriceAt(t) + 1n, this.totalSupply + VIRTUAL_SHARES);
  }

  /** ERC4626Upgradeable `previewWithdraw`: shares burned for `assets`, Up. */
  previewWithdraw(assets: bigint, t: bigint = this.pool.timestamp): bigint {
    return this.convertToShares(assets, "Up", t);
  }

  /** ERC4626Upgradeable `previewRedeem`: assets paid for `shares`, Down. */
  previewRedeem(shares: bigint, t: bigint = this.pool.timestamp): bigint {
    return this.convertToAssets(shares, "Down", t);
  }

  /** TrancheVault `maxDeposit`. */
  maxDeposit(t: bigint = this.pool.timestamp): bigint {
    const poolMax = this.pool.maxDepositAt(this.tranche, t);
    if (poolMax === 0n) return 0n;
    const shareRoom = MAX_UINT128 - this.totalSupply;
    return min(poolMax, mulDivDown(shareRoom, this.depositPriceAt(t) + 1n, this.totalSupply + VIRTUAL_SHARES));
  }

  /** TrancheVault `maxMint`: `previewDeposit(maxDeposit)`, so `previewMint(maxMint) <= maxDeposit`. */
  maxMint(t: bigint = this.pool.timestamp): bigint {
    return this.previewDeposit(this.maxDeposit(t), t);
  }

  /** The largest instant exit: the pool's senior `maxWithdraw`; 0 for the junior (SPEC §5.8, exits by notice). */
  instantLimit(t: bigint = this.pool.timestamp): bigint {
    if (this.tranche === Tranche.Junior) return 0n;
    return this.pool.maxWithdrawAt(this.tranche, t);
  }

  /** TrancheVault `maxWithdraw(owner)` for an owner holding `balance` shares. */
  maxWithdraw(balance: bigint, t: bigint = this.pool.timestamp): bigint {
    return min(this.convertToAssets(balance, "Down", t), this.instantLimit(t));
  }

  /** TrancheVault `maxRedeem(owner)` for an owner holding `balance` shares. */
  maxRedeem(balance: bigint, t: bigint = this.pool.timestamp): bigint {
    return min(balance, this.convertToShares(this.instantLimit(t), "Down", t));
  }

  /** Assets per whole share (10^shareDecimals shares), rounded Down: `convertToAssets(1 share)`. */
  get sharePrice(): bigint {
    return this.convertToAssets(10n ** BigInt(this.shareDecimals));
  }

  /**
   * Yield at the fetched state (SPEC §5.1, §5.2). Senior: `seniorRate × u` (its rate on its share of lent capital,
   * `Pool.seniorAccrualRate`), and that rate compounded continuously as the claim does (APY). Junior: the residual
   * `(book income per year − senior accrual rate × senior claim) / junior value` at current utilization and rates
   * (APR, signed: negative when the book earns less than the senior accrues), and that rate compounded (APY).
   */
  get yield(): TrancheYield {
    const p = this.pool;
    const seniorApr = p.seniorAccrualRate;
    if (this.tranche === Tranche.Senior) {
      const pct = (x: bigint, d = 2) => (Number(x) / 1e16).toFixed(d);
      const u = p.totalPrincipal === 0n ? 0n : mulDivDown(p.totalPrincipal, WAD, p.totalPrincipal + p.cash);
      const basis =
        p.seniorAccrualMode === 0
          ? "senior rate (governance), compounded per second"
          : `${pct(p.seniorRate)} % on lent capital × ${pct(u, 1)} % utilization, compounded per second`;
      return { apr: seniorApr, apy: wTaylorCompoundedDown(seniorApr, YEAR), basis };
    }
    const { nav, claim } = p.valuesAt();
    const juniorValue = split(nav, claim).juniorValue;
    if (juniorValue === 0n) return { apr: 0n, apy: 0n, basis: "junior residual: the junior value is zero" };
    const seniorCost = claim <= nav ? (claim * seniorApr) / WAD : p.incomePerYear;
    const residual = p.incomePerYear - seniorCost;
    const apr = residual >= 0n ? mulDivDown(residual, WAD, juniorValue) : -mulDivUp(-residual, WAD, juniorValue);
    const apy = apr >= 0n ? wTaylorCompoundedDown(apr, YEAR) : -wTaylorCompoundedDown(-apr, YEAR);
    return { apr, apy, basis: "junior residual at current utilization and loan rates, net of the senior's accrual" };
  }

  get apr(): bigint {
    return this.yield.apr;
  }

  get apy(): bigint {
    return this.yield.apy;
  }
}

// ============================================================================================== Position

/** A lender's holding in one tranche and its open redemption requests. */
export class Position {
  readonly account: string;
  readonly tranche: TrancheEntity;
  /** Shares in the wallet (queue-locked shares are held by the vault and listed in `requests`). */
  readonly shares: bigint;
  readonly requests: readonly QueueRequest[];

  constructor(account: string, tranche: TrancheEntity, shares: bigint, requests: readonly QueueRequest[] = []) {
    this.account = account;
    this.tranche = tranche;
    this.shares = shares;
    this.requests = requests;
    Object.freeze(this);
  }

  /** What the wallet shares would redeem for now (previewRedeem, Down). */
  get value(): bigint {
    return this.tranche.previewRedeem(this.shares);
  }

  /** TrancheVault `maxWithdraw(account)`. */
  get maxWithdraw(): bigint {
    return this.tranche.maxWithdraw(this.shares);
  }

  /** TrancheVault `maxRedeem(account)`. */
  get maxRedeem(): bigint {
    return this.tranche.maxRedeem(this.shares);
  }

  /** Served assets waiting to be claimed, over every request. */
  get claimable(): bigint {
    return this.requests.reduce((s, r) => s + r.claimable, 0n);
  }

  /** Shares still waiting in line, over every request. */
  get pendingShares(): bigint {
    return this.requests.reduce((s, r) => s + r.pendingShares, 0n);
  }
}

// ============================================================================================== QueueRequest

/** TrancheVault.sol `RedemptionRequest` with its id and tranche. */
export interface QueueRequestState {
  id: bigint;
  tranche: TrancheId;
  controller: string;
  pendingShares: bigint;
  claimableShares: bigint;
  claimableAssets: bigint;
  /** When the request was made (null until the deployed vault records it). */
  requestedAt: bigint | null;
  /** When it may be served (`serviceableAt(id)`; null when the vault has no notice period). */
  serviceableAt: bigint | null;
  /** Whether the request is behind the queue head (already visited by the line). */
  passedHead: boolean;
}

export class QueueRequest implements QueueRequestState {
  readonly id!: bigint;
  readonly tranche!: TrancheId;
  readonly controller!: string;
  readonly pendingShares!: bigint;
  readonly claimableShares!: bigint;
  readonly claimableAssets!: bigint;
  readonly requestedAt!: bigint | null;
  readonly serviceableAt!: bigint | null;
  readonly passedHead!: boolean;

  constructor(s: QueueRequestState) {
    Object.assign(this, s);
    Object.freeze(this);
  }

  /** Served assets the controller can claim now (senior: `claimRedeem`; junior: ERC-7540 `redeem`, its share of the controller's claimable total). */
  get claimable(): bigint {
    return this.claimableAssets;
  }

  /** The notice period has passed at `t` (always true without a notice period). */
  noticeOverAt(t: bigint): boolean {
    return this.serviceableAt === null || t >= this.serviceableAt;
  }

  /** Where the request stands: waiting its notice, in line, served (claimable), or done. */
  stageAt(t: bigint): "notice" | "queued" | "claimable" | "done" {
    if (this.claimableAssets > 0n) return "claimable";
    if (this.pendingShares === 0n) return "done";
    return this.noticeOverAt(t) ? "queued" : "notice";
  }

  /** The pending shares' value at `tranche`'s current price (what service would pay now, Down). */
  pendingValue(tranche: TrancheEntity): bigint {
    return tranche.convertToAssets(this.pendingShares);
  }
}

// ============================================================================================== Loan

/** IStrataPool.sol `struct Loan` with its id. */
export interface LoanState {
  id: bigint;
  borrower: string;
  start: bigint;
  maturity: bigint;
  status: number;
  collection: string;
  principal: bigint;
  tokenId: bigint;
  apr: bigint;
  rarityBps: bigint;
  liquidationThresholdBps: bigint;
  liquidationPenaltyBps: bigint;
  lateFeeBps: bigint;
  protocolFeeBps: bigint;
  gracePeriod: bigint;
  impairedAt: bigint;
  /** The block timestamp the loan was read at (the default `t` of the getters). */
  asOf: bigint;
}

export class Loan implements LoanState {
  readonly id!: bigint;
  readonly borrower!: string;
  readonly start!: bigint;
  readonly maturity!: bigint;
  readonly status!: number;
  readonly collection!: string;
  readonly principal!: bigint;
  readonly tokenId!: bigint;
  readonly apr!: bigint;
  readonly rarityBps!: bigint;
  readonly liquidationThresholdBps!: bigint;
  readonly liquidationPenaltyBps!: bigint;
  readonly lateFeeBps!: bigint;
  readonly protocolFeeBps!: bigint;
  readonly gracePeriod!: bigint;
  readonly impairedAt!: bigint;
  readonly asOf!: bigint;

  constructor(s: LoanState) {
    Object.assign(this, s);
    Object.freeze(this);
  }

  get statusName(): LoanStatusName {
    return LOAN_STATUS[this.status] ?? "None";
  }

  get isActive(): boolean {
    return this.status === 1;
  }

  /** LoanInterest.sol `interest(principal, apr, t - start)`, rounded Up. */
  interestAt(t: bigint): bigint {
    return interest(this.principal, this.apr, t - this.start);
  }

  /** LoanInterest.sol `lateFee`: `lateFeeBps` of principal, Up, once `t > maturity`. */
  lateFeeAt(t: bigint): bigint {
    return t > this.maturity ? mulDivUp(this.principal, this.lateFeeBps, BPS) : 0n;
  }

  /** StrataLens.sol `debt`: what closes the loan at `t` (principal + interest + late fee) = `repay(max)` takes. */
  debtAt(t: bigint): bigint {
    return this.principal + this.interestAt(t) + this.lateFeeAt(t);
  }

  /** DutchAuctionLiquidator.sol `_debt`: principal + interest (the health measure, no late fee). */
  healthDebtAt(t: bigint): bigint {
    return this.principal + this.interestAt(t);
  }

  /** CollectionRegistry.sol `appraisal`: floor x rarity, rounded Down. */
  appraisal(floorPrice: bigint): bigint {
    return bpsDown(floorPrice, this.rarityBps);
  }

  /** DutchAuctionLiquidator.sol `health`: `appraisal x threshold / debt` as a WAD (Down); < 1e18 is unhealthy. */
  health(floorPrice: bigint, t: bigint): bigint {
    return wDivDown(bpsDown(this.appraisal(floorPrice), this.liquidationThresholdBps), this.healthDebtAt(t));
  }

  /**
   * The lowest floor price at which the loan is still healthy at `t` (inverse of `health`, rounded Up): any floor
   * below it makes `debt > appraisal x threshold`, i.e. liquidatable.
   */
  liquidationPriceAt(t: bigint): bigint {
    if (this.rarityBps === 0n || this.liquidationThresholdBps === 0n) return 0n;
    const minAppraisal = mulDivUp(this.healthDebtAt(t), BPS, this.liquidationThresholdBps);
    return mulDivUp(minAppraisal, BPS, this.rarityBps);
  }

  /** LoanLogic `_netApr`: the apr the pool accrues, net of the loan's protocol fee (`bpsDown`). */
  get netApr(): bigint {
    return this.protocolFeeBps === 0n ? this.apr : bpsDown(this.apr, BPS - this.protocolFeeBps);
  }

  /**
   * LoanLogic `removeAccrual`: what the loan contributes to the pool's `rateSum` and `rateTimeSum` (impairment and
   * full repayment subtract exactly this; NAV's accrued interest is the aggregate of these sums).
   */
  get accrual(): { rateSum: bigint; rateTimeSum: bigint } {
    const rate = this.principal * this.netApr;
    return { rateSum: rate, rateTimeSum: rate * this.start };
  }

  /**
   * LoanLogic `impair` and DutchAuctionLiquidator `liquidate` at `t`: the frozen debt (principal + interest, no late
   * fee), the penalty (`bpsUp`), `owed` = debt + penalty (saturating at 2^96 - 1, as the liquidator stores it) and
   * the book value the pool records (principal + the pool's interest net of the protocol fee, each rounded Up).
   */
  impairmentAt(t: bigint): { debt: bigint; penalty: bigint; owed: bigint; bookValue: bigint } {
    const debt = this.healthDebtAt(t);
    const penalty = bpsUp(debt, this.liquidationPenaltyBps);
    const poolInterest = this.protocolFeeBps === 0n ? this.interestAt(t) : interest(this.principal, this.netApr, t - this.start);
    return { debt, penalty, owed: min(debt + penalty, MAX_UINT96), bookValue: this.principal + poolInterest };
  }

  /** `liquidationPriceAt(asOf)`: the lowest floor keeping the loan healthy when it was read. */
  get liquidationPrice(): bigint {
    return this.liquidationPriceAt(this.asOf);
  }

  /** `debtAt(asOf)`. */
  get debt(): bigint {
    return this.debtAt(this.asOf);
  }

  /** SPEC §3: overdue when `t > maturity + gracePeriod`. */
  isOverdue(t: bigint): boolean {
    return t > this.maturity + this.gracePeriod;
  }

  /** DutchAuctionLiquidator.sol `_liquidatable`: active and overdue, or unhealthy at a fresh price. */
  isLiquidatable(t: bigint, floorPrice: bigint, fresh: boolean): boolean {
    if (this.status !== 1) return false;
    if (this.isOverdue(t)) return true;
    if (!fresh) return false;
    return this.healthDebtAt(t) > bpsDown(this.appraisal(floorPrice), this.liquidationThresholdBps);
  }

  /** Why the loan is liquidatable at `t`, or null. */
  liquidationReason(t: bigint, floorPrice: bigint, fresh: boolean): "overdue" | "unhealthy" | null {
    if (this.status !== 1) return null;
    if (this.isOverdue(t)) return "overdue";
    if (fresh && this.healthDebtAt(t) > bpsDown(this.appraisal(floorPrice), this.liquidationThresholdBps)) return "unhealthy";
    return null;
  }
}

// ============================================================================================== Auction

/** ILiquidator.sol `struct AuctionParams`: the liquidator's parameter set in force (`auctionParams()`). */
export interface AuctionParams {
  startMultiplierBps: bigint;
  endMultiplierBps: bigint;
  auctionDuration: bigint;
  recoveryTimeout: bigint;
}

/** ILiquidator.sol `struct Auction` with its id (= the loan id). */
export interface AuctionState {
  id: bigint;
  startPrice: bigint;
  endPrice: bigint;
  owed: bigint;
  startTime: bigint;
  duration: bigint;
  status: number;
}

export class AuctionEntity implements AuctionState {
  readonly id!: bigint;
  readonly startPrice!: bigint;
  readonly endPrice!: bigint;
  readonly owed!: bigint;
  readonly startTime!: bigint;
  readonly duration!: bigint;
  readonly status!: number;

  constructor(s: AuctionState) {
    Object.assign(this, s);
    Object.freeze(this);
  }

  get statusName(): AuctionStatusName {
    return AUCTION_STATUS[this.status] ?? "None";
  }

  get isRunning(): boolean {
    return this.status === 1;
  }

  /**
   * DutchAuctionLiquidator.sol `_price`: linear from start to end price over the duration, then flat; the fall is
   * rounded Down (the pool's favour).
   */
  priceAt(t: bigint): bigint {
    const elapsed = t - this.startTime;
    if (elapsed >= this.duration) return this.endPrice;
    return this.startPrice - mulDivDown(this.startPrice - this.endPrice, elapsed, this.duration);
  }

  /** When the price reaches `price` (first second at or below it), or null if it never does. */
  timeAtPrice(price: bigint): bigint | null {
    if (price >= this.startPrice) return this.startTime;
    if (price < this.endPrice) return null;
    // smallest elapsed with start - floor((start - end) * elapsed / duration) <= price
    const drop = this.startPrice - price;
    const span = this.startPrice - this.endPrice;
    if (span === 0n) return this.startTime;
    const elapsed = mulDivUp(drop, this.duration, span);
    return this.startTime + min(elapsed, this.duration);
  }

  /** What the pool gets and what the borrower's surplus is if bought at `t` (ILiquidator `buy`). */
  proceedsAt(t: bigint): { price: bigint; toPool: bigint; surplus: bigint } {
    return this.proceedsOf(this.priceAt(t));
  }

  /** DutchAuctionLiquidator `buy` at `price`: proceeds up to `owed` go to the pool, the rest to the borrower. */
  proceedsOf(price: bigint): { price: bigint; toPool: bigint; surplus: bigint } {
    const toPool = min(price, this.owed);
    return { price, toPool, surplus: price - toPool };
  }

  /**
   * DutchAuctionLiquidator `liquidate` + `auction`: the auction opened at `t` for `loan` at floor `floorPrice` under
   * `params`. The reference is the appraisal (floor x rarity), or `owed` when the price is dead (zero), capped at
   * 2^96 - 1; start and end prices are the reference times the multipliers, each rounded Up.
   */
  static open(loan: Loan, floorPrice: bigint, t: bigint, params: AuctionParams): AuctionEntity {
    const { owed } = loan.impairmentAt(t);
    const appraisal = loan.appraisal(floorPrice);
    const reference = min(appraisal === 0n ? owed : appraisal, MAX_UINT96);
    return new AuctionEntity({
      id: loan.id,
      startPrice: bpsUp(reference, params.startMultiplierBps),
      endPrice: bpsUp(reference, params.endMultiplierBps),
      owed,
      startTime: t,
      duration: params.auctionDuration,
      status: 1,
    });
  }
}

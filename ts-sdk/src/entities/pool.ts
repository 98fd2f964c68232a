// The pool (StrataPool.sol `PoolStorage` and its views): NAV, the senior claim, tranche values, limits, queue holds.
// An immutable entity with pure bigint math (the model: morpho-org/sdks blue-sdk): each method names the Solidity it
// ports and rounds as the contract does (ts-sdk/test/entities.property.test.ts proves them equal to the views).
import { type RateCurve, accrued, apr as curveApr, utilization } from "../math/interest.ts";
import { BPS, WAD, bpsUp, max, min, mulDivDown, mulDivUp, zeroFloorSub } from "../math/fixed-point.ts";
import { accrualRateDown, compoundClaimDown, maxJuniorWithdraw, maxSeniorDeposit, split } from "../math/waterfall.ts";
import { Tranche, type TrancheId, MAX_UINT128 } from "./types.ts";
import type { CapacityLimit, DepositLimiter, ExitLimiter } from "./limits.ts";

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
    return this.maxDepositLimit(tranche, t).value;
  }

  /** `maxDepositAt` and the constraint that binds it (StrataPool `_maxDepositAt`, branch by branch). */
  maxDepositLimit(tranche: TrancheId, t: bigint = this.timestamp): CapacityLimit<DepositLimiter> {
    if (this.depositsPaused) return { value: 0n, limiter: "paused" };
    const { nav, claim } = this.valuesAt(t);
    const s = split(nav, claim);
    const room = MAX_UINT128 - max(this.cash, claim);
    if (tranche === Tranche.Senior) {
      if (s.seniorValue < claim) return { value: 0n, limiter: "seniorImpaired" };
      const sub = maxSeniorDeposit(s.juniorValue, nav, this.minJuniorRatioBps);
      return sub < room ? { value: sub, limiter: "subordination" } : { value: room, limiter: "ledger" };
    }
    if (s.juniorValue === 0n && this.supply[1] !== 0n) return { value: 0n, limiter: "juniorWipedOut" };
    return { value: room, limiter: "ledger" };
  }

  /** Subordination at `t`: the junior's share of NAV (WAD, rounded Down) against the governance minimum (SPEC §5.5). */
  subordinationAt(t: bigint = this.timestamp): { ratio: bigint; minimum: bigint } {
    const nav = this.navAt(t);
    const junior = this.trancheValueAt(Tranche.Junior, t);
    return { ratio: nav === 0n ? 0n : mulDivDown(junior, WAD, nav), minimum: (this.minJuniorRatioBps * WAD) / BPS };
  }

  /** StrataPool `_exitRoom`: the senior its value, the junior what keeps subordination. */
  exitRoom(tranche: TrancheId, v: PoolValues): bigint {
    const s = split(v.nav, v.claim);
    if (tranche === Tranche.Senior) return s.seniorValue;
    return maxJuniorWithdraw(s.juniorValue, v.nav, this.minJuniorRatioBps);
  }

  /** StrataPool `_maxWithdrawAt` (the pool's `maxWithdraw(tranche)`): 0 for the junior (exits by notice only). */
  maxWithdrawAt(tranche: TrancheId, t: bigint = this.timestamp): bigint {
    return this.maxWithdrawLimit(tranche, t).value;
  }

  /**
   * `maxWithdrawAt` and the constraint that binds it: available cash (owed in part to the queues, or not), the senior's
   * value, or subordination; the junior has no instant exit (`served`: its exits are ERC-7540 requests).
   */
  maxWithdrawLimit(tranche: TrancheId, t: bigint = this.timestamp): CapacityLimit<ExitLimiter> {
    if (tranche === Tranche.Junior) return { value: 0n, limiter: "served" };
    const v = this.valuesAt(t);
    const cashLeft = this.availableCashAt(t);
    const room = this.exitRoom(tranche, v);
    if (cashLeft <= room) return { value: cashLeft, limiter: this.pendingShares[0] + this.pendingShares[1] > 0n ? "cashOwedToQueue" : "cash" };
    return { value: room, limiter: "trancheValue" };
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

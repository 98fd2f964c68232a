// A tranche vault (TrancheVault.sol): share conversions with the virtual offset, ERC-4626 limits and previews, yield.
// An immutable entity with pure bigint math (the model: morpho-org/sdks blue-sdk): each method names the Solidity it
// ports and rounds as the contract does (ts-sdk/test/entities.property.test.ts proves them equal to the views).
import { utilization } from "../math/interest.ts";
import { WAD, YEAR, min, mulDivDown, mulDivUp, wTaylorCompoundedDown } from "../math/fixed-point.ts";
import { split } from "../math/waterfall.ts";
import { Tranche, type TrancheId, TRANCHE_NAMES, type TrancheName, MAX_UINT128, mulDiv } from "./types.ts";
import { Pool } from "./pool.ts";

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

/**
 * ERC4626Upgradeable `_convertToAssets` on given figures: `shares * (totalAssets + 1) / (totalSupply + 10^6)`. For
 * a tranche's figures recorded elsewhere (an indexer's snapshot); `TrancheEntity.convertToAssets` is this on its state.
 */
export function sharesToAssets(shares: bigint, totalAssets: bigint, totalSupply: bigint, rounding: "Down" | "Up" = "Down"): bigint {
  return mulDiv(shares, totalAssets + 1n, totalSupply + VIRTUAL_SHARES, rounding);
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
    return sharesToAssets(shares, this.totalAssetsAt(t), this.totalSupply, rounding);
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

  /**
   * What a queued request of `shares` would be paid if served at `t`: their value (`convertToAssets`, Down), the part
   * of it the tranche's servable cash covers now (`Pool.servableAt`), and the notice period it waits first.
   */
  previewRequest(shares: bigint, t: bigint = this.pool.timestamp): { assets: bigint; servableNow: bigint; noticePeriod: bigint | null } {
    const assets = this.convertToAssets(shares, "Down", t);
    return { assets, servableNow: min(this.pool.servableAt(this.tranche, t), assets), noticePeriod: this.noticePeriod };
  }
}

// A lender's P&L and realised yield in one tranche, from its flows and the tranche's figures at one snapshot. The
// value of shares is the vault's conversion (entities/tranche.ts `sharesToAssets`), not a rule of its own.
import { sharesToAssets } from "../entities/tranche.ts";
import type { TrancheName } from "../entities/types.ts";

const YEAR_SECONDS = 365 * 24 * 3600;

/** The figures of a tranche at one snapshot that value its shares. */
export interface TrancheFigures {
  timestamp: bigint;
  seniorValue: bigint;
  juniorValue: bigint;
  seniorSupply: bigint;
  juniorSupply: bigint;
}

/** What a lender put in, took out and holds in one tranche. */
export interface LenderPosition {
  tranche: TrancheName;
  deposited: bigint;
  exited: bigint;
  shares: bigint;
  pendingShares: bigint;
  claimableAssets: bigint;
  firstDepositAt: bigint | null;
}

/** A lender's result in one tranche at `asOf`. */
export interface LenderPnl {
  /** The snapshot time the position is valued at (null: nothing indexed). */
  asOf: bigint | null;
  /** Shares held and queued, at the vault's conversion (`convertToAssets`, Down), plus assets served and unclaimed. */
  positionValue: bigint;
  /** `exited + positionValue − deposited`. */
  pnl: bigint;
  /** The return on the time-weighted capital since the first deposit (modified Dietz), a fraction (0.05 = 5 %). */
  realisedReturn: number | null;
  /** `realisedReturn` annualised over the time since the first deposit: `(1 + r)^(year / elapsed) − 1`. */
  realisedApy: number | null;
}

/**
 * P&L and realised yield of `position`: `flows` are its deposits (`kind` "deposit") and exits ("withdraw", "claim"),
 * `asOf` the snapshot whose tranche value and supply value the shares.
 */
export function lenderPnl(
  position: LenderPosition,
  flows: readonly { kind: string; assets: bigint; timestamp: bigint }[],
  asOf: TrancheFigures | null,
): LenderPnl {
  if (!asOf) return { asOf: null, positionValue: 0n, pnl: position.exited - position.deposited, realisedReturn: null, realisedApy: null };
  const [value, supply] = position.tranche === "senior" ? [asOf.seniorValue, asOf.seniorSupply] : [asOf.juniorValue, asOf.juniorSupply];
  const positionValue = sharesToAssets(position.shares + position.pendingShares, value, supply) + position.claimableAssets;
  const pnl = position.exited + positionValue - position.deposited;
  const t0 = position.firstDepositAt;
  const end = Number(asOf.timestamp);
  if (t0 === null || end <= Number(t0)) return { asOf: asOf.timestamp, positionValue, pnl, realisedReturn: null, realisedApy: null };
  const span = end - Number(t0);
  // modified Dietz: capital weighted by the share of the period it was in
  let capital = 0;
  for (const f of flows) {
    const sign = f.kind === "deposit" ? 1 : f.kind === "withdraw" || f.kind === "claim" ? -1 : 0;
    if (sign === 0) continue;
    capital += (sign * Number(f.assets) * (end - Number(f.timestamp))) / span;
  }
  if (capital <= 0) return { asOf: asOf.timestamp, positionValue, pnl, realisedReturn: null, realisedApy: null };
  const r = Number(pnl) / capital;
  const apy = r > -1 ? (1 + r) ** (YEAR_SECONDS / span) - 1 : -1;
  return { asOf: asOf.timestamp, positionValue, pnl, realisedReturn: r, realisedApy: apy };
}

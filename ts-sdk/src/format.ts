// Amounts and rates for people: token units with grouping, WAD rates as percentages, bps. No floating point touches
// an amount: formatting works on the bigint's decimal digits (ethers formatUnits).
import { parseUnits } from "ethers";
import { InvalidArgumentError } from "./errors.ts";
import type { CapacityLimit } from "./entities/limits.ts";
import { formatAmount } from "./units.ts";

export { type ErrorUnits, type Units, formatAmount, showAmount, showDuration } from "./units.ts";

/**
 * A limit for people: "no limit" when only the pool's 128-bit ledgers bound it (limiter `ledger`, a room no deposit can
 * reach), else the amount ("52,500" or, with a symbol, "52,500 dUSD").
 */
export function formatLimit(limit: CapacityLimit<string>, decimals: number, opts: { maxDecimals?: number; symbol?: string } = {}): string {
  return limit.limiter === "ledger" ? "no limit" : formatAmount(limit.value, decimals, opts);
}

/** Parses "1,234.5" into asset units; throws InvalidArgumentError on bad input or too many decimals. */
export function parseAmount(s: string, decimals: number): bigint {
  const clean = s.trim().replaceAll(",", "").replaceAll("_", "");
  if (!/^\d+(\.\d+)?$/.test(clean)) throw new InvalidArgumentError(`"${s}" is not an amount`);
  const frac = clean.split(".")[1] ?? "";
  if (frac.length > decimals) throw new InvalidArgumentError(`"${s}" has more than ${decimals} decimals`);
  return parseUnits(clean, decimals);
}

/** A WAD rate (1e18 = 100 %) as "5.25 %" (signed). */
export function formatWadPct(wad: bigint, digits = 2): string {
  const neg = wad < 0n;
  const abs = neg ? -wad : wad;
  const scaled = (abs * 10n ** BigInt(digits) * 100n) / 10n ** 18n;
  const str = scaled.toString().padStart(digits + 1, "0");
  return `${neg ? "-" : ""}${str.slice(0, -digits || undefined)}${digits ? `.${str.slice(-digits)}` : ""} %`;
}

/** Basis points as "12.5 %". */
export function formatBps(bps: bigint | number): string {
  return `${Number(bps) / 100} %`;
}

/** A WAD health factor as "1.234". */
export function formatHealth(wad: bigint, digits = 3): string {
  return formatAmount(wad, 18, { maxDecimals: digits, group: false });
}

/** A tranche line's hold in words (SPEC §5.7), with amounts in token units and the time it lifts when known. */
export function describeQueueHold(
  trancheName: string,
  hold: { reason: "liquidations" | "cooldown" | null; pendingRecovery: bigint; servableAfter: bigint },
  asset: { assetDecimals: number; assetSymbol: string; holdThresholdBps: bigint; queueCooldown: bigint },
): string {
  const amount = formatAmount(hold.pendingRecovery, asset.assetDecimals, { maxDecimals: 2, symbol: asset.assetSymbol });
  if (hold.reason === "liquidations") {
    return (
      `the ${trancheName} queue is held: ${amount} of recoveries pending in liquidation exceed ${formatBps(asset.holdThresholdBps)} ` +
      `of the tranche's value at book; it is served again ${Number(asset.queueCooldown) / 3600} h after they settle (SPEC §5.7)`
    );
  }
  if (hold.reason === "cooldown") {
    return `the ${trancheName} queue cools down after a hold until ${new Date(Number(hold.servableAfter) * 1000).toISOString()} (SPEC §5.7)`;
  }
  return `the ${trancheName} queue is open`;
}

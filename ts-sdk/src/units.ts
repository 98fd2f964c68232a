// Token units for people: what every amount a person reads is formatted with (errors, the CLI, the app). No floating
// point touches an amount: formatting works on the bigint's decimal digits (ethers formatUnits). Kept free of other
// SDK imports so that the error classes can format their amounts.
import { formatUnits } from "ethers";

/** A token's display units: its decimals and symbol (`{ decimals: 6, symbol: "dUSD" }`). */
export interface Units {
  decimals: number;
  symbol: string;
}

/** The units an error formats its amounts with: the pool's asset, and the tranche shares where shares are counted. */
export interface ErrorUnits {
  asset: Units;
  shares?: Units;
}

/** `formatAmount(1234567890n, 6)` = "1,234.56789" (trailing zeros trimmed, at most `maxDecimals` digits, Down). */
export function formatAmount(x: bigint, decimals: number, opts: { maxDecimals?: number; symbol?: string; group?: boolean } = {}): string {
  const neg = x < 0n;
  const s = formatUnits(neg ? -x : x, decimals);
  let [int, frac = ""] = s.split(".");
  frac = frac.slice(0, opts.maxDecimals ?? decimals).replace(/0+$/, "");
  if (opts.group ?? true) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const out = `${neg ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
  return opts.symbol ? `${out} ${opts.symbol}` : out;
}

/** `x` in `units` ("9,000 dUSD"), or, when the units are unknown, the raw integer labelled as base units. */
export function showAmount(x: unknown, units?: Units): string {
  if (typeof x !== "bigint") return String(x);
  return units ? formatAmount(x, units.decimals, { symbol: units.symbol }) : `${x} base units`;
}

/** A duration in seconds for people: whole days as "30 days", else hours, else seconds. */
export function showDuration(seconds: unknown): string {
  const s = Number(seconds);
  if (!Number.isFinite(s)) return String(seconds);
  if (s >= 86_400 && s % 3600 === 0) {
    const d = s / 86_400;
    return `${Number.isInteger(d) ? d : d.toFixed(2)} day${d === 1 ? "" : "s"}`;
  }
  if (s >= 3600 && s % 60 === 0) return `${(s / 3600).toFixed(s % 3600 === 0 ? 0 : 2)} h`;
  return `${s} s`;
}

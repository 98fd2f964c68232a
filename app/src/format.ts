// Display helpers: amounts in token units and rates come from the SDK's formatters; these only add durations, dates,
// limits too large to mean anything, SDK method names said in user words, and the readable message of any error.
import { StrataError, formatAmount } from "@strata-protocol/sdk";

/** The message to show for `e`: an SDK error's own message, else ethers' short message, else the error's text. */
export function readableError(e: unknown): string {
  if (e instanceof StrataError) return plainWords(e.message);
  const x = e as { shortMessage?: string; message?: string; info?: { error?: { message?: string } } };
  return plainWords(x?.info?.error?.message ?? x?.shortMessage ?? x?.message ?? String(e));
}

/** SDK method names in SDK messages (a limit's reason, an error) said as what a user does on this page. */
export function plainWords(s: string): string {
  return s
    .replace(/ \((?:strata |[A-Z][a-z]+\.)[^()]*\)/g, "") // how the CLI or the SDK says it: "(strata lend request, Lender.requestRedeem)"
    .replace(/use requestRedeem(\(shares\))?/g, "request a withdrawal")
    .replace(/requestRedeem(\(shares\))?/g, "a withdrawal request")
    .replace(/anyone may processQueue/g, "anyone may serve the queue")
    .replace(/ \(--rarity <file>\)/g, " (load the collection's rarity list)");
}


/** A rarity multiplier in basis points as "2.5×". */
export function multiplier(bps: bigint): string {
  return `${Number(bps) / 10_000}×`;
}

/** Token units, Down, grouped: `amount(1234500000n, 6)` = "1,234.5". */
export function amount(x: bigint, decimals: number, maxDecimals = 4): string {
  return formatAmount(x, decimals, { maxDecimals });
}

/** Seconds as "2d 03h 04m 05s" (negative: "-" in front). */
export function duration(seconds: bigint): string {
  const neg = seconds < 0n;
  let s = neg ? -seconds : seconds;
  const d = s / 86_400n;
  s %= 86_400n;
  const h = s / 3600n;
  s %= 3600n;
  const m = s / 60n;
  s %= 60n;
  const p = (x: bigint) => x.toString().padStart(2, "0");
  return `${neg ? "-" : ""}${d > 0n ? `${d}d ` : ""}${p(h)}h ${p(m)}m ${p(s)}s`;
}

/** A term in seconds: "30 d" when it is whole days, else as `duration`. */
export function term(seconds: bigint): string {
  return seconds % 86_400n === 0n ? `${seconds / 86_400n} d` : duration(seconds);
}

/** A chain timestamp as an ISO date-time (UTC, to the minute). */
export function when(ts: bigint): string {
  return `${new Date(Number(ts) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function short(addr: string): string {
  return `${addr.slice(0, 6)}…${addr.slice(-4)}`;
}

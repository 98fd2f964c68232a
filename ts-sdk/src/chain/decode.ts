// One decoder for every revert (the model: euler-xyz/euler-sdks): the generated combined error ABI of every Strata
// contract and the OpenZeppelin/solmate code they run, plus Solidity's `Error(string)` and `Panic(uint256)`. Any
// revert data from any Strata contract decodes to its name and arguments, without forge's signature cache.
import { AbiCoder, type EventFragment, Interface, type Log, type Result, dataSlice, getBytes, isHexString, toUtf8String } from "ethers";
import { STRATA_ERRORS_ABI, STRATA_EVENTS_ABI } from "../generated/errors.ts";
import { StrataContractError } from "../errors.ts";
import { formatWadPct } from "../format.ts";
import { type ErrorUnits, showAmount, showDuration } from "../units.ts";

/** The combined error interface (every custom error, one per selector). */
export const strataErrors = new Interface(STRATA_ERRORS_ABI as never);
/** The combined event interface (every Strata event, one per topic). */
export const strataEvents = new Interface(STRATA_EVENTS_ABI as never);

const ERROR_STRING = "0x08c379a0";
const PANIC = "0x4e487b71";

/** Solidity panic codes (docs.soliditylang.org, "Panic via assert and error via require"). */
export const PANIC_REASONS: Record<number, string> = {
  0x00: "generic compiler panic",
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division or modulo by zero",
  0x21: "invalid enum value",
  0x22: "corrupt storage byte array",
  0x31: "pop on an empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialised function pointer",
};

const bps = (x: unknown) => `${Number(x) / 100} %`;

/** How an explanation shows its arguments: asset amounts and prices, share amounts, durations. */
interface Show {
  amt: (x: unknown) => string;
  shares: (x: unknown) => string;
  dur: (x: unknown) => string;
}

function shower(units?: ErrorUnits): Show {
  return { amt: (x) => showAmount(x, units?.asset), shares: (x) => showAmount(x, units?.shares), dur: showDuration };
}

/**
 * Plain-language explanations of the errors users meet (amounts through `u`: token units when the caller knows
 * them); the rest read from their name and arguments.
 */
const EXPLAIN: Record<string, (a: Result, u: Show) => string> = {
  ZeroAmount: () => "the amount is zero",
  DepositsPaused: () => "deposits are paused",
  BorrowsPaused: () => "new borrowing is paused",
  CollectionNotListed: (a) => `collection ${a[0]} is not listed`,
  CollectionPaused: (a) => `borrowing against ${a[0]} is paused`,
  ExceedsMaxDeposit: (a, u) => `deposit of ${u.amt(a[0])} is above the pool's limit ${u.amt(a[1])}`,
  ExceedsMaxWithdraw: (a, u) => `withdrawal of ${u.amt(a[0])} is above the pool's limit ${u.amt(a[1])}`,
  InsufficientCash: (a, u) => `the pool has ${u.amt(a[1])} available, ${u.amt(a[0])} was requested`,
  DurationOutOfRange: (a, u) => `a term of ${u.dur(a[0])} is outside ${u.dur(a[1])} .. ${u.dur(a[2])}`,
  StalePrice: (a) => `the oracle price of ${a[0]} is stale`,
  InvalidRarityProof: (a) => `the rarity proof of token ${a[1]} (${bps(a[2])}) does not match the collection's root`,
  ExceedsLtv: (a, u) => `principal ${u.amt(a[0])} is above the LTV limit ${u.amt(a[1])}`,
  ExceedsExposureCap: (a, u) => `the collection's exposure would be ${u.amt(a[1])}, above its cap ${u.amt(a[2])}`,
  AprAboveMax: (a) => `the rate is ${formatWadPct(a[0] as bigint)}, above your maximum ${formatWadPct(a[1] as bigint)}`,
  NotTokenOwner: (a) => `${a[2]} does not own token ${a[1]}`,
  LoanNotActive: (a) => `loan ${a[0]} is not active`,
  NotBorrower: (a) => `${a[1]} is not the borrower of loan ${a[0]}`,
  LoanPastMaturity: (a) => `loan ${a[0]} is past its maturity (${new Date(Number(a[1]) * 1000).toISOString()})`,
  PaymentBelowInterest: (a, u) => `a partial repayment of ${u.amt(a[0])} must cover the interest due, ${u.amt(a[1])}`,
  LoanUnhealthy: (a) => `loan ${a[0]} is unhealthy`,
  NotLiquidatable: (a) => `loan ${a[0]} is neither overdue nor unhealthy at a fresh price`,
  AuctionNotRunning: (a) => `auction ${a[0]} is not running`,
  PriceAboveMax: (a, u) => `the auction price ${u.amt(a[0])} is above your maximum ${u.amt(a[1])}`,
  ParameterOutOfBounds: (a) => `parameter ${decodeBytes32(a[0])} = ${a[1]} is outside [${a[2]}, ${a[3]}]`,
  NotGovernance: (a) => `${a[0]} is not governance (the timelock)`,
  NotReporter: (a) => `${a[0]} is not an authorised price reporter`,
  PriceDeviationTooHigh: (a, u) => `price ${u.amt(a[1])} deviates from the oracle value ${u.amt(a[2])} by more than ${bps(a[3])}`,
  NotRequestController: (a) => `${a[1]} does not control request ${a[0]} (controller ${a[2]})`,
  NothingToClaim: (a) => `nothing to claim for ${a[0]}`,
  RequestNotClaimable: (a) => `request ${a[0]} has nothing served to claim yet`,
  NothingToCancel: (a) => `request ${a[0]} has no pending shares`,
  NotControllerOrOperator: (a) => `${a[0]} is neither ${a[1]} nor an operator it approved: it cannot claim for it (ERC-7540)`,
  AsyncRedeemNoPreview: () => "the junior vault's exits are asynchronous (ERC-7540): previewRedeem/previewWithdraw revert; value a request with convertToAssets",
  ClaimWithRedeem: (a) => `request ${a[0]} is claimed with the ERC-7540 redeem/withdraw of its controller ${a[1]}, not claimRedeem`,
  ERC4626ExceededMaxDeposit: (a, u) => `deposit of ${u.amt(a[1])} for ${a[0]} is above maxDeposit ${u.amt(a[2])}`,
  ERC4626ExceededMaxMint: (a, u) => `mint of ${u.shares(a[1])} for ${a[0]} is above maxMint ${u.shares(a[2])}`,
  ERC4626ExceededMaxWithdraw: (a, u) => `withdrawal of ${u.amt(a[1])} by ${a[0]} is above maxWithdraw ${u.amt(a[2])}`,
  ERC4626ExceededMaxRedeem: (a, u) => `redemption of ${u.shares(a[1])} by ${a[0]} is above maxRedeem ${u.shares(a[2])}`,
  ERC20InsufficientBalance: (a, u) => `${a[0]} has ${u.amt(a[1])}, needs ${u.amt(a[2])}`,
  ERC20InsufficientAllowance: (a, u) => `allowance of ${a[0]} is ${u.amt(a[1])}, needs ${u.amt(a[2])}`,
  TimelockUnexpectedOperationState: () => "the timelock operation is not in the expected state (not scheduled, not ready, or done)",
  TimelockInsufficientDelay: (a, u) => `delay ${u.dur(a[0])} is below the timelock's minimum ${u.dur(a[1])}`,
  AccessControlUnauthorizedAccount: (a) => `${a[0]} lacks role ${a[1]}`,
};

function decodeBytes32(x: unknown): string {
  if (typeof x !== "string" || !isHexString(x, 32)) return String(x);
  const bytes = getBytes(x);
  const end = bytes.indexOf(0);
  return toUtf8String(bytes.subarray(0, end < 0 ? 32 : end));
}

function named(fragmentInputs: readonly { name: string }[], r: Result): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  fragmentInputs.forEach((p, i) => {
    if (p.name) out[p.name] = r[i];
  });
  return out;
}

/** Decodes revert `data` from any Strata contract; null when the data is empty or of an unknown selector. */
export function decodeRevertData(data: string | null | undefined, action = "call", units?: ErrorUnits): StrataContractError | null {
  if (!data || !isHexString(data) || data.length < 10) return null;
  const selector = data.slice(0, 10).toLowerCase();
  if (selector === ERROR_STRING) {
    const [reason] = AbiCoder.defaultAbiCoder().decode(["string"], dataSlice(data, 4));
    return new StrataContractError({ name: "Error", signature: "Error(string)", selector, args: [reason], namedArgs: { reason }, action, explanation: String(reason) });
  }
  if (selector === PANIC) {
    const [code] = AbiCoder.defaultAbiCoder().decode(["uint256"], dataSlice(data, 4));
    const reason = PANIC_REASONS[Number(code)] ?? "unknown panic";
    return new StrataContractError({ name: "Panic", signature: "Panic(uint256)", selector, args: [code], namedArgs: { code }, action, explanation: reason });
  }
  let parsed;
  try {
    parsed = strataErrors.parseError(data);
  } catch {
    parsed = null;
  }
  if (!parsed) return null;
  const explain = EXPLAIN[parsed.name];
  return new StrataContractError({
    name: parsed.name,
    signature: parsed.signature,
    selector,
    args: [...parsed.args],
    namedArgs: named(parsed.fragment.inputs, parsed.args),
    action,
    explanation: explain ? explain(parsed.args, shower(units)) : "",
    inUnits: units !== undefined,
  });
}

/** Finds the revert data in an ethers error (CALL_EXCEPTION, estimateGas, JSON-RPC error payloads). */
export function revertDataOf(e: unknown): string | null {
  const seen = new Set<unknown>();
  const visit = (x: unknown): string | null => {
    if (!x || typeof x !== "object" || seen.has(x)) return null;
    seen.add(x);
    const o = x as Record<string, unknown>;
    if (typeof o.data === "string" && isHexString(o.data) && o.data.length >= 10) return o.data;
    for (const k of ["error", "info", "revert", "cause", "data"]) {
      const found = visit(o[k]);
      if (found) return found;
    }
    return null;
  };
  return visit(e);
}

/**
 * Turns any error from a contract call into a StrataContractError when its revert data decodes; otherwise returns
 * the error unchanged (network errors and the like stay what they are). `units`: the asset's (and shares') display
 * units, so that the message shows amounts in tokens ("9,000 dUSD") and leaves the raw arguments to `args`.
 */
export function decodeError(e: unknown, action = "call", units?: ErrorUnits): unknown {
  if (e instanceof StrataContractError) return e;
  const decoded = decodeRevertData(revertDataOf(e), action, units);
  return decoded ?? e;
}

/** A Strata event from a receipt, parsed by the combined event interface. */
export interface StrataEvent {
  name: string;
  signature: string;
  address: string;
  args: Readonly<Record<string, unknown>>;
  logIndex: number;
}

/**
 * The combined event interface's fragments by topic 0, built once: `Interface.parseLog` looks an event up by
 * recomputing every fragment's topic hash (a keccak each) for every log, which showed up in the demo's profile.
 */
let eventsByTopic: Map<string, EventFragment> | null = null;
function eventFragment(topic0: string): EventFragment | undefined {
  if (!eventsByTopic) {
    eventsByTopic = new Map();
    strataEvents.forEachEvent((f) => {
      if (!f.anonymous) eventsByTopic!.set(f.topicHash, f);
    });
  }
  return eventsByTopic.get(topic0.toLowerCase());
}

/** Parses every log a Strata contract emitted (unknown logs, and logs that do not decode as their event, are skipped). */
export function parseStrataEvents(logs: readonly Log[]): StrataEvent[] {
  const out: StrataEvent[] = [];
  for (const log of logs) {
    const fragment = log.topics.length > 0 ? eventFragment(log.topics[0]) : undefined;
    if (!fragment) continue;
    let args: Result;
    try {
      args = strataEvents.decodeEventLog(fragment, log.data, log.topics);
    } catch {
      continue; // e.g. an ERC-721 Transfer (indexed tokenId) under the ERC-20 Transfer topic
    }
    out.push({ name: fragment.name, signature: fragment.format("sighash"), address: log.address, args: named(fragment.inputs, args), logIndex: log.index });
  }
  return out;
}

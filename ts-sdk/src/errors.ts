// Typed, readable SDK errors. Every error the SDK throws is a StrataError subclass with a message a user can act on
// (the CLI and the web app print `message` as is). Pre-check errors name the real cause before anything is sent;
// StrataContractError carries a contract revert decoded by name and arguments (decode.ts). Amounts in messages are
// in token units ("9,000 dUSD") wherever the thrower knows the token's units (every role client does); the raw
// integers stay on the error's fields for programs.
import { getAddress, isAddress } from "ethers";
import { type Units, showAmount } from "./units.ts";

export class StrataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Invalid arithmetic input: the same inputs make the contract revert. */
export class StrataMathError extends StrataError {}

/** A bad argument given to an SDK function (caught before any call). */
export class InvalidArgumentError extends StrataError {}

/**
 * `x` as a checksummed address, or InvalidArgumentError naming `what`: an SDK entry point never hands a string that is
 * not an address to ethers (which would try to resolve it as an ENS name and fail with an unrelated error).
 */
export function requireAddress(x: unknown, what: string): string {
  if (typeof x !== "string" || !isAddress(x)) throw new InvalidArgumentError(`${what} must be an address (0x and 40 hex digits), got "${String(x)}"`);
  return getAddress(x);
}

/** Base of the errors where an action needs more than there is: `need` and `have` in the token's base units. */
export abstract class ShortfallError extends StrataError {
  readonly need: bigint;
  readonly have: bigint;
  protected constructor(message: string, need: bigint, have: bigint) {
    super(message);
    this.need = need;
    this.have = have;
  }
}

/** The wallet holds less of a token than the action needs. */
export class InsufficientBalanceError extends ShortfallError {
  readonly token: string;
  constructor(need: bigint, have: bigint, token: string, what: string, units?: Units) {
    super(`InsufficientBalance: need ${showAmount(need, units)}, have ${showAmount(have, units)}: ${what}`, need, have);
    this.token = token;
  }
}

/** The spender's allowance is below what the action pulls (only thrown with `approve: false`). */
export class AllowanceTooLowError extends ShortfallError {
  readonly spender: string;
  constructor(need: bigint, have: bigint, spender: string, what: string, units?: Units) {
    super(`AllowanceTooLow: need ${showAmount(need, units)}, have ${showAmount(have, units)} approved to ${spender}: ${what}`, need, have);
    this.spender = spender;
  }
}

/**
 * Base of the ERC-4626 limit errors: `limit` is the vault's `max*` now, `reason` why it applies. Each subclass names
 * its limit in `kind` (a bundler may rename classes: the message does not rely on the class name).
 */
export class ExceedsLimitError extends StrataError {
  readonly requested: bigint;
  readonly limit: bigint;
  readonly reason: string;
  constructor(requested: bigint, limit: bigint, reason: string, units?: Units) {
    super(`${(new.target as { kind?: string }).kind ?? "ExceedsLimit"}: requested ${showAmount(requested, units)}, limit ${showAmount(limit, units)}: ${reason}`);
    this.requested = requested;
    this.limit = limit;
    this.reason = reason;
  }
}
/** A deposit above the tranche's `maxDeposit`. */
export class ExceedsMaxDepositError extends ExceedsLimitError {
  static readonly kind = "ExceedsMaxDeposit";
}
/** A mint above the tranche's `maxMint`. */
export class ExceedsMaxMintError extends ExceedsLimitError {
  static readonly kind = "ExceedsMaxMint";
}
/** A withdrawal above `maxWithdraw`. */
export class ExceedsMaxWithdrawError extends ExceedsLimitError {
  static readonly kind = "ExceedsMaxWithdraw";
}
/** A redemption above `maxRedeem`. */
export class ExceedsMaxRedeemError extends ExceedsLimitError {
  static readonly kind = "ExceedsMaxRedeem";
}

/** An instant junior exit was asked for, but junior exits are requests with a notice period (SPEC §5). */
export class JuniorNoticeRequiredError extends StrataError {
  readonly noticePeriod: bigint;
  constructor(noticePeriod: bigint) {
    const hours = Number(noticePeriod) / 3600;
    super(
      `junior exits go through the queue with a ${Number.isInteger(hours) ? hours : hours.toFixed(2)} h notice period: ` +
        "request a withdrawal (strata lend request, Lender.requestRedeem), wait for the notice, then claim once it is served",
    );
    this.noticePeriod = noticePeriod;
  }
}

/** The signer does not own (or control) what the action needs: an NFT, a loan, a request. */
export class NotOwnerError extends StrataError {}

/** No loan has this id (never originated): reading it would only give zeros. */
export class LoanNotFoundError extends StrataError {
  readonly loanId: bigint;
  constructor(loanId: bigint) {
    super(`there is no loan ${loanId}`);
    this.loanId = loanId;
  }
}

/** A borrow above the LTV bound of the token's appraisal (floor x rarity), in token units. */
export class ExceedsLtvError extends StrataError {
  readonly principal: bigint;
  readonly maxPrincipal: bigint;
  constructor(principal: bigint, maxPrincipal: bigint, ltvBps: bigint, rarityBps: bigint, units?: Units) {
    super(
      `ExceedsLtv: a principal of ${showAmount(principal, units)} is above the most this token can borrow, ` +
        `${showAmount(maxPrincipal, units)} (${Number(ltvBps) / 100} % LTV of the floor x ${Number(rarityBps) / 10_000} rarity)`,
    );
    this.principal = principal;
    this.maxPrincipal = maxPrincipal;
  }
}

/**
 * The chain answered something the SDK's decoders do not expect (a contract layout the SDK was not built for, a
 * node that returns short data): the SDK refuses to guess. Reinstall the SDK that matches the deployment.
 */
export class DecoderError extends StrataError {}

/** A pre-check on chain state failed (stale price, paused, past maturity, ...), with the reason. */
export class PreconditionError extends StrataError {}

/** The deployed contracts do not have a feature yet (e.g. the junior notice period before it is deployed). */
export class NotSupportedError extends StrataError {}

/** A deployment file that does not match the chain it is used against, or cannot be read. */
export class DeploymentError extends StrataError {}

/** The RPC answers for a different chain than the deployment's. */
export class ChainMismatchError extends DeploymentError {
  readonly expected: number;
  readonly actual: number;
  constructor(expected: number, actual: number, source: string) {
    super(`deployment ${source} is for chain ${expected}, but the RPC is on chain ${actual}: refusing to use it`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** A contract revert decoded from its data: the custom error's `name`, `signature` and `args` (by name and index). */
export class StrataContractError extends StrataError {
  readonly errorName: string;
  readonly signature: string;
  readonly selector: string;
  readonly args: readonly unknown[];
  readonly namedArgs: Readonly<Record<string, unknown>>;
  /** The action that reverted (e.g. `StrataPool.borrow`). */
  readonly action: string;

  constructor(opts: {
    name: string;
    signature: string;
    selector: string;
    args: readonly unknown[];
    namedArgs: Record<string, unknown>;
    action: string;
    explanation: string;
    /** The explanation formats its amounts in token units: the raw arguments are left out of the message. */
    inUnits?: boolean;
  }) {
    const shown = opts.args.map((a) => (typeof a === "bigint" ? a.toString() : String(a))).join(", ");
    const head = opts.inUnits && opts.explanation ? opts.name : `${opts.name}(${shown})`;
    super(`${opts.action} reverted: ${head}${opts.explanation ? ` - ${opts.explanation}` : ""}`);
    this.errorName = opts.name;
    this.signature = opts.signature;
    this.selector = opts.selector;
    this.args = opts.args;
    this.namedArgs = opts.namedArgs;
    this.action = opts.action;
  }

  /** Alias of `errorName` (the issue's `{ name, args, message }` shape; `Error.name` stays the class name). */
  get revertName(): string {
    return this.errorName;
  }
}

/** A transaction that was mined but reverted, or whose receipt is missing. */
export class TransactionFailedError extends StrataError {
  readonly hash: string | undefined;
  constructor(message: string, hash?: string) {
    super(message);
    this.hash = hash;
  }
}

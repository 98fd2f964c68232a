// Typed, readable SDK errors. Every error the SDK throws is a StrataError subclass with a message a user can act on
// (the CLI and the web app print `message` as is). Pre-check errors name the real cause before anything is sent;
// StrataContractError carries a contract revert decoded by name and arguments (decode.ts).

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

/** The wallet holds less of a token than the action needs. */
export class InsufficientBalanceError extends StrataError {
  readonly need: bigint;
  readonly have: bigint;
  readonly token: string;
  constructor(need: bigint, have: bigint, token: string, what: string) {
    super(`InsufficientBalance(need ${need}, have ${have}): ${what}`);
    this.need = need;
    this.have = have;
    this.token = token;
  }
}

/** The spender's allowance is below what the action pulls (only thrown with `approve: false`). */
export class AllowanceTooLowError extends StrataError {
  readonly need: bigint;
  readonly have: bigint;
  readonly spender: string;
  constructor(need: bigint, have: bigint, spender: string, what: string) {
    super(`AllowanceTooLow(need ${need}, have ${have}, spender ${spender}): ${what}`);
    this.need = need;
    this.have = have;
    this.spender = spender;
  }
}

/** Base of the ERC-4626 limit errors: `limit` is the vault's `max*` now, `reason` why it applies. */
export class ExceedsLimitError extends StrataError {
  readonly requested: bigint;
  readonly limit: bigint;
  readonly reason: string;
  constructor(kind: string, requested: bigint, limit: bigint, reason: string) {
    super(`${kind}(requested ${requested}, limit ${limit}): ${reason}`);
    this.requested = requested;
    this.limit = limit;
    this.reason = reason;
  }
}
export class ExceedsMaxDepositError extends ExceedsLimitError {
  constructor(requested: bigint, limit: bigint, reason: string) {
    super("ExceedsMaxDeposit", requested, limit, reason);
  }
}
export class ExceedsMaxMintError extends ExceedsLimitError {
  constructor(requested: bigint, limit: bigint, reason: string) {
    super("ExceedsMaxMint", requested, limit, reason);
  }
}
export class ExceedsMaxWithdrawError extends ExceedsLimitError {
  constructor(requested: bigint, limit: bigint, reason: string) {
    super("ExceedsMaxWithdraw", requested, limit, reason);
  }
}
export class ExceedsMaxRedeemError extends ExceedsLimitError {
  constructor(requested: bigint, limit: bigint, reason: string) {
    super("ExceedsMaxRedeem", requested, limit, reason);
  }
}

/** An instant junior exit was asked for, but junior exits are requests with a notice period (SPEC §5). */
export class JuniorNoticeRequiredError extends StrataError {
  readonly noticePeriod: bigint;
  constructor(noticePeriod: bigint) {
    const hours = Number(noticePeriod) / 3600;
    super(
      `junior exits go through the queue with a ${Number.isInteger(hours) ? hours : hours.toFixed(2)} h notice period: ` +
        "use requestRedeem(shares), wait for the notice, then claim once the request is served",
    );
    this.noticePeriod = noticePeriod;
  }
}

/** The signer does not own (or control) what the action needs: an NFT, a loan, a request. */
export class NotOwnerError extends StrataError {}

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
  }) {
    const shown = opts.args.map((a) => (typeof a === "bigint" ? a.toString() : String(a))).join(", ");
    super(`${opts.action} reverted: ${opts.name}(${shown})${opts.explanation ? ` - ${opts.explanation}` : ""}`);
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

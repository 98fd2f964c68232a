// Governance through the TimelockController: encode any call by contract key and function name (generated ABIs),
// propose (the whole batch simulated first as the timelock runs it, so an out-of-bounds parameter fails now, not after
// the delay), execute, cancel, and list pending operations with their ready times. When a Safe holds the timelock's
// roles (every real deployment, and the local chain), the same acts are Safe transactions: `safeSchedule`,
// `safeExecute`, `safeCancel` build one (after the same off-chain checks, for the Safe's roles), `safeSign` adds an
// owner's EIP-712 signature, `safeSubmit` executes it once the Safe's threshold is met (safe.ts).
import { Interface, type Signer, ZeroHash, dataSlice, getAddress, id as keccakUtf8 } from "ethers";
import { GOVERNANCE_TARGET_ABIS, type GovernanceTarget } from "../chain/contracts.ts";
import type { Deployment } from "../chain/deployment.ts";
import { decodeError, decodeRevertData, revertDataOf } from "../chain/decode.ts";
import { InvalidArgumentError, NotOwnerError, PreconditionError, StrataContractError } from "../errors.ts";
import * as abis from "../generated/abis.ts";
import { TimelockBatchSimulatorRuntime } from "../generated/abis.ts";
import { rpcSend } from "../chain/rpc.ts";
import { type WriteOptions, type WriteResult } from "../chain/tx.ts";
import { SafeAccount, type SafeSignature, type SafeTransaction, safeTransaction, safeTxHash } from "../chain/safe.ts";
import { riskPremiumViolations } from "../entities/governance-ties.ts";
import { StrataClient } from "./base.ts";

const TARGETS = GOVERNANCE_TARGET_ABIS;
export type { GovernanceTarget };

/** One call of a timelock batch. */
export interface GovernanceCall {
  target: string;
  value: bigint;
  data: string;
  /** Human-readable `contract.function(args)`. */
  label: string;
}

/** The timelock act a Safe transaction carries. */
export type TimelockAction = "schedule" | "execute" | "cancel";

/** A Safe transaction to the timelock, with the signatures collected so far. */
export interface SafeProposal {
  action: TimelockAction;
  operationId: string;
  /** `timelock.scheduleBatch: <proposal description>` (what the owners are signing, in words). */
  description: string;
  chainId: number;
  safe: string;
  tx: SafeTransaction;
  safeTxHash: string;
  signatures: SafeSignature[];
}

export interface PendingOperation {
  id: string;
  calls: { index: number; target: string; value: bigint; data: string }[];
  readyAt: bigint;
  state: "Waiting" | "Ready";
  predecessor: string;
}

const OP_STATE = ["Unset", "Waiting", "Ready", "Done"] as const;
const timelockIface = new Interface(abis.TimelockControllerAbi as never);
const simulatorIface = new Interface(abis.TimelockBatchSimulatorAbi as never);
const BATCH_CALL_REVERTED = simulatorIface.getError("BatchCallReverted")!.selector;
/** Where `simulate` places the timelock's own code: an address no key controls (keccak256("strata.sdk.timelock-code")). */
const SCRATCH = getAddress(dataSlice(keccakUtf8("strata.sdk.timelock-code"), 12));

export class Governance extends StrataClient {
  private constructor(signer: Signer, d: Deployment) {
    super(signer, d);
  }

  /**
   * A governance client over `signer`, refused unless the signer's chain is the deployment's.
   * The signer proposes, executes or cancels itself (`propose`, `execute`, `cancel`), or, as an owner of the Safe
   * that holds the timelock's roles, builds, signs and submits Safe transactions (`safeSchedule`, `safeSign`,
   * `safeSubmit`).
   * @param signer the proposer's or a Safe owner's signer, connected to a provider
   * @param deployment the deployment to govern (its timelock, and the contracts `encode` targets)
   * @returns the client
   * @throws InvalidArgumentError when the signer has no provider
   * @throws ChainMismatchError when the provider's chain is not the deployment's
   * @example
   * ```ts
   * const gov = await Governance.connect(await devAccount(1, provider), deployment);
   * ```
   */
  static async connect(signer: Signer, deployment: Deployment): Promise<Governance> {
    return StrataClient.checked(new Governance(signer, deployment));
  }

  /**
   * Encodes `fn(args)` on the deployment's contract `target` ("pool", "registry", "oracle", ...).
   * @param target the contract key: "pool", "registry", "oracle", "liquidator", "seniorVault", "juniorVault",
   *   "timelock" or "asset"
   * @param fn the function's name (or its full signature)
   * @param args the function's arguments (bigint for integers; rates WAD, e.g. `parseUnits("0.055", 18)`)
   * @param value native currency sent with the call, in wei (default 0n)
   * @returns a `GovernanceCall`: `target` (the contract's address), `value`, `data` (the calldata) and `label`
   *   (`pool.setSeniorRate(55000000000000000)`)
   * @throws InvalidArgumentError for an unknown target, a function the contract lacks, or arguments that do not encode
   * @example
   * ```ts
   * const call = gov.encode("pool", "setSeniorRate", [parseUnits("0.055", 18)]);
   * console.log(call.label, call.target);
   * ```
   */
  encode(target: GovernanceTarget, fn: string, args: readonly unknown[], value = 0n): GovernanceCall {
    const abi = TARGETS[target];
    if (!abi) throw new InvalidArgumentError(`unknown governance target "${String(target)}" (one of ${Object.keys(TARGETS).join(", ")})`);
    const iface = new Interface(abi as never);
    const f = iface.getFunction(fn);
    if (!f) throw new InvalidArgumentError(`${target} has no function ${fn}`);
    let data: string;
    try {
      data = iface.encodeFunctionData(f, args as unknown[]);
    } catch (e) {
      throw new InvalidArgumentError(`cannot encode ${target}.${fn}: ${(e as Error).message}`);
    }
    const address = (this.deployment as unknown as Record<string, string>)[target];
    return { target: address, value, data, label: `${target}.${f.name}(${args.map(String).join(", ")})` };
  }

  /**
   * Simulates the batch as the timelock's `executeBatch` would run it: in one eth_call, in order, each call seeing the
   * state the earlier ones left, with the timelock as `msg.sender`. The timelock's code is replaced for that call by
   * script/sdk/TimelockBatchSimulator.sol (an eth_call state override, which geth, reth, anvil and most RPC providers
   * support; the timelock's own code moves to a scratch address, so calls to the timelock itself run it). The first
   * revert throws its decoded error naming the call. On a node without state overrides, each call is simulated
   * alone from the timelock's address (then a call that depends on an earlier one of the batch is not covered).
   * @param calls the batch, in order (`encode` results)
   * @returns nothing: resolves when every call of the batch succeeds as the timelock
   * @throws StrataContractError for the first call that reverts (decoded, naming the call and its index)
   * @throws PreconditionError when that revert cannot be decoded
   * @example
   * ```ts
   * const calls = [gov.encode("pool", "setSeniorRate", [parseUnits("0.055", 18)])];
   * await gov.simulate(calls); // an out-of-bounds parameter fails now, not after the delay
   * ```
   */
  async simulate(calls: readonly GovernanceCall[]): Promise<void> {
    const tl = this.deployment.timelock;
    const data = simulatorIface.encodeFunctionData("simulate", [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), SCRATCH]);
    let revert: string | null = null;
    try {
      const code = await this.provider.getCode(tl);
      await rpcSend(this.provider, "eth_call", [{ from: tl, to: tl, data }, "latest", { [tl]: { code: TimelockBatchSimulatorRuntime }, [SCRATCH]: { code } }]);
      return;
    } catch (e) {
      revert = revertDataOf(e) ?? (e as { data?: unknown }).data?.toString() ?? null;
      if (!revert || revert.slice(0, 10).toLowerCase() !== BATCH_CALL_REVERTED) return this.simulateEach(calls); // no state overrides here
    }
    const [index, reason] = simulatorIface.decodeErrorResult("BatchCallReverted", revert) as unknown as [bigint, string];
    const c = calls[Number(index)];
    const action = `governance call ${index} ${c.label} (simulated in the batch, as the timelock)`;
    const d = decodeRevertData(reason, action);
    throw d ?? new PreconditionError(`${action} would fail${reason === "0x" ? " without revert data" : `: ${reason}`}`);
  }

  /** Each call alone from the timelock's address (the fallback of `simulate`). */
  private async simulateEach(calls: readonly GovernanceCall[]): Promise<void> {
    for (const [i, c] of calls.entries()) {
      try {
        await this.provider.call({ from: this.deployment.timelock, to: c.target, data: c.data, value: c.value });
      } catch (e) {
        const d = decodeError(e, `governance call ${i} ${c.label}`);
        throw d instanceof StrataContractError ? d : new PreconditionError(`governance call ${i} ${c.label} would fail: ${(e as Error).message}`);
      }
    }
  }

  /**
   * The batch's operation id, salt = keccak256(description) (as script/governance/TimelockBatch.sol).
   * @param calls the batch, in order
   * @param description the proposal's description (its keccak256 is the salt)
   * @param predecessor an operation that must be executed first (bytes32; default `ZeroHash`: none)
   * @returns the operation id (bytes32 hex), the timelock's `hashOperationBatch`
   * @example
   * ```ts
   * const id = await gov.operationId(calls, "senior rate 5.5 %");
   * ```
   */
  operationId(calls: readonly GovernanceCall[], description: string, predecessor = ZeroHash): Promise<string> {
    return this.contracts.timelock.hashOperationBatch(calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), predecessor, keccakUtf8(description));
  }

  /**
   * The ties the contracts leave to governance (SPEC §8.2, `governance-ties.ts`), on the state `calls` leave: the
   * senior rate, protocol fee and listed curves after the batch (the chain's, overridden by the batch's own
   * `setSeniorRate`, `setFees` and `configureCollection` calls). A proposal that raises the senior rate or the
   * protocol fee, or (re)configures a collection, is refused when the state it leaves breaks the tie (every
   * violation named); one that touches none of them, or only lowers them, is never refused for a state it found (a
   * pool listed before the tie existed can still pause, unpause or lower its senior rate).
   * @param calls the batch, in order
   * @returns nothing: resolves when the batch keeps the tie, or raises and configures nothing
   * @throws PreconditionError naming every violation of the risk-premium tie
   * @example
   * ```ts
   * await gov.checkTies([gov.encode("pool", "setSeniorRate", [parseUnits("0.08", 18)])]);
   * ```
   */
  async checkTies(calls: readonly GovernanceCall[]): Promise<void> {
    const pool = new Interface(abis.StrataPoolAbi as never);
    const registry = new Interface(abis.CollectionRegistryAbi as never);
    const params = await this.contracts.pool.parameters();
    let seniorRate: bigint = params.seniorRate;
    let protocolFeeBps: bigint = params.protocolFeeBps;
    let raises = false;
    const configured = new Set<string>();
    const curves = new Map<string, bigint>();
    await Promise.all(
      this.deployment.collections.map(async (c) => {
        const [p, listed] = await this.contracts.registry.collection(c);
        if (listed) curves.set(getAddress(c), p.curve.baseRate as bigint);
      }),
    );
    for (const c of calls) {
      const to = getAddress(c.target);
      if (to === getAddress(this.deployment.pool)) {
        const f = pool.parseTransaction({ data: c.data });
        if (f?.name === "setSeniorRate") {
          raises ||= (f.args[0] as bigint) > seniorRate;
          seniorRate = f.args[0] as bigint;
        }
        if (f?.name === "setFees") {
          raises ||= (f.args[1] as bigint) > protocolFeeBps;
          protocolFeeBps = f.args[1] as bigint;
        }
      } else if (to === getAddress(this.deployment.registry)) {
        const f = registry.parseTransaction({ data: c.data });
        if (f?.name === "configureCollection") {
          curves.set(getAddress(f.args[0] as string), f.args[1].curve.baseRate as bigint);
          configured.add(getAddress(f.args[0] as string));
        }
      }
    }
    if (!raises && configured.size === 0) return;
    const names = new Map(this.deployment.collections.map((c, i) => [getAddress(c), `collections[${i}]`]));
    const checked = [...curves].filter(([c]) => raises || configured.has(c));
    const bad = riskPremiumViolations(seniorRate, protocolFeeBps, checked.map(([c, baseRate]) => ({ collection: names.get(c) ?? c, baseRate })));
    if (bad.length) throw new PreconditionError(`the proposal breaks the risk-premium tie (SPEC §8.2): ${bad.join("; ")}`);
  }

  private async requireRole(role: "PROPOSER_ROLE" | "EXECUTOR_ROLE" | "CANCELLER_ROLE", who?: string): Promise<void> {
    const tl = this.contracts.timelock;
    const r = await tl[role]();
    const me = who ?? (await this.address());
    if (await tl.hasRole(r, me)) return;
    if (role === "EXECUTOR_ROLE" && (await tl.hasRole(r, "0x0000000000000000000000000000000000000000"))) return;
    throw new NotOwnerError(`${me} lacks the timelock's ${role}`);
  }

  /**
   * Schedules the batch after simulating it; returns the operation id and when it becomes executable.
   * Before sending: the signer holds PROPOSER_ROLE, the batch succeeds as the timelock runs it (`simulate`) and keeps
   * the governance ties (`checkTies`).
   * @param calls the batch, in order (at least one call)
   * @param description the proposal's description (its keccak256 is the salt: `execute` needs the same text)
   * @param opts `opts.delay`: seconds before it is executable (default: the timelock's minimum delay);
   *   `opts.predecessor`: an operation id that must be executed first (default: none); plus the write's options
   *   (`gasMarginPct`, `confirmations`, `onSent`)
   * @returns `{ hash, receipt, events }`, `operationId`, and `readyAt` (unix seconds)
   * @throws InvalidArgumentError for an empty batch
   * @throws NotOwnerError when the signer lacks the timelock's PROPOSER_ROLE
   * @throws StrataContractError when a call of the batch would revert (decoded, naming the call)
   * @throws PreconditionError when a call would fail without a decodable revert, or the batch breaks the tie
   * @example
   * ```ts
   * const calls = [gov.encode("pool", "setSeniorRate", [parseUnits("0.055", 18)])];
   * const { operationId, readyAt } = await gov.propose(calls, "senior rate 5.5 %");
   * ```
   */
  async propose(
    calls: readonly GovernanceCall[],
    description: string,
    opts: WriteOptions & { delay?: bigint; predecessor?: string } = {},
  ): Promise<WriteResult & { operationId: string; readyAt: bigint }> {
    if (calls.length === 0) throw new InvalidArgumentError("a proposal needs at least one call");
    await this.requireRole("PROPOSER_ROLE");
    await this.simulate(calls);
    await this.checkTies(calls);
    const delay = opts.delay ?? (await this.contracts.timelock.getMinDelay());
    const predecessor = opts.predecessor ?? ZeroHash;
    const r = await this.write(
      this.contracts.timelock,
      "scheduleBatch",
      [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), predecessor, keccakUtf8(description), delay],
      opts,
    );
    const operationId = await this.operationId(calls, description, predecessor);
    return { ...r, operationId, readyAt: await this.contracts.timelock.getTimestamp(operationId) };
  }

  /**
   * Executes a scheduled batch once ready (refused with its ready time before).
   * @param calls the batch exactly as proposed
   * @param description the proposal's description exactly as proposed
   * @param opts `opts.predecessor`: as proposed (default: none); plus `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }` and `operationId`
   * @throws NotOwnerError when the signer lacks EXECUTOR_ROLE (and the role is not open to anyone)
   * @throws PreconditionError when the operation is not ready (with when it will be), not scheduled, or already
   *   executed
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const { operationId } = await gov.execute(calls, "senior rate 5.5 %");
   * ```
   */
  async execute(calls: readonly GovernanceCall[], description: string, opts: WriteOptions & { predecessor?: string } = {}): Promise<WriteResult & { operationId: string }> {
    await this.requireRole("EXECUTOR_ROLE");
    const predecessor = opts.predecessor ?? ZeroHash;
    const operationId = await this.operationId(calls, description, predecessor);
    const state = OP_STATE[Number(await this.contracts.timelock.getOperationState(operationId))];
    if (state !== "Ready") {
      const at = await this.contracts.timelock.getTimestamp(operationId);
      throw new PreconditionError(
        state === "Waiting" ? `operation ${operationId} is not ready: executable from ${new Date(Number(at) * 1000).toISOString()}` : `operation ${operationId} is ${state === "Unset" ? "not scheduled" : "already executed"}`,
      );
    }
    const r = await this.write(
      this.contracts.timelock,
      "executeBatch",
      [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), predecessor, keccakUtf8(description)],
      opts,
    );
    return { ...r, operationId };
  }

  /**
   * Cancels a pending operation (CANCELLER_ROLE).
   * @param operationId the operation's id (from `propose`, `operationId` or `pending`)
   * @param opts the write's options: `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }`
   * @throws NotOwnerError when the signer lacks CANCELLER_ROLE
   * @throws PreconditionError when the operation is not pending
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const [op] = await gov.pending();
   * if (op) await gov.cancel(op.id);
   * ```
   */
  async cancel(operationId: string, opts: WriteOptions = {}): Promise<WriteResult> {
    await this.requireRole("CANCELLER_ROLE");
    if (!(await this.contracts.timelock.isOperationPending(operationId))) throw new PreconditionError(`operation ${operationId} is not pending`);
    return this.write(this.contracts.timelock, "cancel", [operationId], opts);
  }

  /** The operation's state: refused unless it is `want` (with its ready time when waiting). */
  private async requireState(operationId: string, want: "Unset" | "Ready" | "Pending"): Promise<void> {
    const tl = this.contracts.timelock;
    const state = OP_STATE[Number(await tl.getOperationState(operationId))];
    if (want === "Pending" && (state === "Waiting" || state === "Ready")) return;
    if (state === want) return;
    if (want === "Unset") throw new PreconditionError(`operation ${operationId} is already ${state === "Done" ? "executed" : "scheduled"}`);
    if (want === "Pending") throw new PreconditionError(`operation ${operationId} is not pending`);
    if (state === "Waiting") {
      const at = await tl.getTimestamp(operationId);
      throw new PreconditionError(`operation ${operationId} is not ready: executable from ${new Date(Number(at) * 1000).toISOString()}`);
    }
    throw new PreconditionError(`operation ${operationId} is ${state === "Unset" ? "not scheduled" : "already executed"}`);
  }

  /** The Safe at `safe`, refused unless it holds `role` on the timelock. */
  private async safeWithRole(safe: string, role: "PROPOSER_ROLE" | "EXECUTOR_ROLE" | "CANCELLER_ROLE"): Promise<SafeAccount> {
    const acct = await SafeAccount.at(safe, this.provider);
    await this.requireRole(role, acct.address);
    return acct;
  }

  private async safeProposal(acct: SafeAccount, action: TimelockAction, operationId: string, data: string, what: string, nonce?: bigint): Promise<SafeProposal> {
    const tx = safeTransaction({ to: this.deployment.timelock, value: 0n, data }, nonce ?? (await acct.contract.nonce()));
    return { action, operationId, description: what, chainId: acct.chainId, safe: acct.address, tx, safeTxHash: safeTxHash(acct.chainId, acct.address, tx), signatures: [] };
  }

  /**
   * The Safe transaction that schedules the batch (`scheduleBatch` on the timelock, from Safe `safe`), after the same
   * checks as `propose`: the Safe holds PROPOSER_ROLE, the operation is new, the batch succeeds when simulated as the
   * timelock. `nonce` defaults to the Safe's next nonce. Nothing is signed or sent.
   * @param safe the Safe's address (it must hold PROPOSER_ROLE on the timelock)
   * @param calls the batch, in order (at least one call)
   * @param description the proposal's description (its keccak256 is the salt)
   * @param opts `opts.delay` (seconds; default: the timelock's minimum delay), `opts.predecessor` (default: none),
   *   `opts.nonce` (default: the Safe's next nonce)
   * @returns a `SafeProposal` without signatures: `tx`, `safeTxHash` (what the owners sign), `operationId`,
   *   `description`
   * @throws InvalidArgumentError for an empty batch
   * @throws NotOwnerError when the Safe lacks PROPOSER_ROLE
   * @throws PreconditionError when `safe` is not a Safe, the operation is already scheduled or executed, or the batch
   *   breaks the risk-premium tie
   * @throws StrataContractError when a call of the batch would revert as the timelock
   * @example
   * ```ts
   * let tx = await gov.safeSchedule(deployment.governanceSafe!, calls, "senior rate 5.5 %");
   * tx = await gov.safeSign(tx);
   * ```
   */
  async safeSchedule(safe: string, calls: readonly GovernanceCall[], description: string, opts: { delay?: bigint; predecessor?: string; nonce?: bigint } = {}): Promise<SafeProposal> {
    if (calls.length === 0) throw new InvalidArgumentError("a proposal needs at least one call");
    const acct = await this.safeWithRole(safe, "PROPOSER_ROLE");
    const predecessor = opts.predecessor ?? ZeroHash;
    const operationId = await this.operationId(calls, description, predecessor);
    await this.requireState(operationId, "Unset");
    await this.simulate(calls);
    await this.checkTies(calls);
    const delay = opts.delay ?? (await this.contracts.timelock.getMinDelay());
    const data = timelockIface.encodeFunctionData("scheduleBatch", [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), predecessor, keccakUtf8(description), delay]);
    return this.safeProposal(acct, "schedule", operationId, data, `timelock.scheduleBatch: ${description}`, opts.nonce);
  }

  /**
   * The Safe transaction that executes the scheduled batch (EXECUTOR_ROLE; refused unless the operation is ready).
   * @param safe the Safe's address (it must hold EXECUTOR_ROLE, unless the role is open to anyone)
   * @param calls the batch exactly as scheduled
   * @param description the proposal's description exactly as scheduled
   * @param opts `opts.predecessor` (as scheduled; default: none), `opts.nonce` (default: the Safe's next nonce)
   * @returns a `SafeProposal` without signatures
   * @throws NotOwnerError when the Safe lacks EXECUTOR_ROLE
   * @throws PreconditionError when `safe` is not a Safe, or the operation is not ready (with its ready time), not
   *   scheduled, or already executed
   * @example
   * ```ts
   * const tx = await gov.safeExecute(safe, calls, "senior rate 5.5 %");
   * await gov.safeSubmit(await gov.safeSign(await gov.safeSign(tx), owner2));
   * ```
   */
  async safeExecute(safe: string, calls: readonly GovernanceCall[], description: string, opts: { predecessor?: string; nonce?: bigint } = {}): Promise<SafeProposal> {
    const acct = await this.safeWithRole(safe, "EXECUTOR_ROLE");
    const predecessor = opts.predecessor ?? ZeroHash;
    const operationId = await this.operationId(calls, description, predecessor);
    await this.requireState(operationId, "Ready");
    const data = timelockIface.encodeFunctionData("executeBatch", [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), predecessor, keccakUtf8(description)]);
    return this.safeProposal(acct, "execute", operationId, data, `timelock.executeBatch: ${description}`, opts.nonce);
  }

  /**
   * The Safe transaction that cancels a pending operation (CANCELLER_ROLE).
   * @param safe the Safe's address (it must hold CANCELLER_ROLE on the timelock)
   * @param operationId the pending operation's id
   * @param opts `opts.nonce` (default: the Safe's next nonce)
   * @returns a `SafeProposal` without signatures
   * @throws NotOwnerError when the Safe lacks CANCELLER_ROLE
   * @throws PreconditionError when `safe` is not a Safe, or the operation is not pending
   * @example
   * ```ts
   * const [op] = await gov.pending();
   * const tx = await gov.safeSign(await gov.safeCancel(safe, op.id));
   * ```
   */
  async safeCancel(safe: string, operationId: string, opts: { nonce?: bigint } = {}): Promise<SafeProposal> {
    const acct = await this.safeWithRole(safe, "CANCELLER_ROLE");
    await this.requireState(operationId, "Pending");
    return this.safeProposal(acct, "cancel", operationId, timelockIface.encodeFunctionData("cancel", [operationId]), `timelock.cancel: ${operationId}`, opts.nonce);
  }

  /**
   * Adds `signer`'s (default: this client's signer) EIP-712 signature; refused unless it is an owner.
   * @param p the Safe transaction (from `safeSchedule`, `safeExecute` or `safeCancel`, or read back from a file)
   * @param signer the owner who signs (default: this client's signer)
   * @returns a new `SafeProposal` with the signature added (replacing an earlier one by the same owner)
   * @throws NotSafeOwnerError when `signer` is not an owner of the Safe
   * @throws SafeNonceUsedError when the Safe already used the transaction's nonce
   * @example
   * ```ts
   * let tx = await gov.safeSchedule(safe, calls, "senior rate 5.5 %");
   * tx = await gov.safeSign(tx); // this client's signer
   * tx = await gov.safeSign(tx, owner2); // another owner
   * ```
   */
  async safeSign(p: SafeProposal, signer: Signer = this.signer): Promise<SafeProposal> {
    const acct = await SafeAccount.at(p.safe, this.provider);
    const sig = await acct.sign(p.tx, signer);
    return { ...p, signatures: [...p.signatures.filter((s) => s.signer !== sig.signer), sig] };
  }

  /**
   * Executes the Safe transaction with its signatures, sent by this client's signer (any account), once every check
   * passes: signers are distinct owners, at least the threshold, the nonce is the Safe's next, the timelock call
   * succeeds when made by the Safe. Then checks the timelock's new state for the operation.
   * @param p the Safe transaction with its signatures (at least the Safe's threshold of distinct owners)
   * @param opts the write's options: `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }`, `operationId` and `safeTxHash`
   * @throws InvalidArgumentError when the transaction does not call this deployment's timelock
   * @throws ThresholdNotMetError when fewer distinct owners signed than the Safe's threshold
   * @throws NotSafeOwnerError / SafeNonceUsedError for a signature by a non-owner, or a nonce already used
   * @throws PreconditionError when the nonce is not the Safe's next, or the operation's state after it is not the
   *   expected one
   * @throws StrataContractError for a decoded revert of the Safe's call
   * @example
   * ```ts
   * const { operationId } = await gov.safeSubmit(await gov.safeSign(tx, owner2));
   * ```
   */
  async safeSubmit(p: SafeProposal, opts: WriteOptions = {}): Promise<WriteResult & { operationId: string; safeTxHash: string }> {
    const acct = await SafeAccount.at(p.safe, this.provider);
    if (getAddress(p.tx.to) !== this.deployment.timelock) throw new InvalidArgumentError(`the Safe transaction calls ${p.tx.to}, not this deployment's timelock ${this.deployment.timelock}`);
    const r = await acct.execute(p.tx, p.signatures, this.signer, { ...opts, action: p.description });
    const state = OP_STATE[Number(await this.contracts.timelock.getOperationState(p.operationId))];
    const expect = p.action === "execute" ? ["Done"] : p.action === "schedule" ? ["Waiting", "Ready"] : ["Unset"];
    if (!expect.includes(state)) throw new PreconditionError(`after the Safe's ${p.action}, operation ${p.operationId} is ${state}, not ${expect.join(" or ")}`);
    return { ...r, operationId: p.operationId };
  }

  /**
   * Operations scheduled and neither executed nor cancelled, with their calls and ready time (from events).
   * @param opts `opts.fromBlock`: the first block of the `CallScheduled` scan (default 0)
   * @returns the `PendingOperation`s: `id`, `calls` (in order), `readyAt` (unix seconds), `state` ("Waiting" or
   *   "Ready") and `predecessor`
   * @example
   * ```ts
   * for (const op of await gov.pending()) console.log(`pending ${op.id} (${op.state}), ${op.calls.length} call(s)`);
   * ```
   */
  async pending(opts: { fromBlock?: number } = {}): Promise<PendingOperation[]> {
    const topic = timelockIface.getEvent("CallScheduled")!.topicHash;
    const logs = await this.provider.getLogs({ address: this.deployment.timelock, topics: [topic], fromBlock: opts.fromBlock ?? 0, toBlock: "latest" });
    const ops = new Map<string, PendingOperation>();
    for (const log of logs) {
      const ev = timelockIface.decodeEventLog("CallScheduled", log.data, log.topics);
      const id = ev.id as string;
      const op = ops.get(id) ?? { id, calls: [], readyAt: 0n, state: "Waiting" as const, predecessor: ev.predecessor as string };
      op.calls.push({ index: Number(ev.index), target: ev.target as string, value: ev.value as bigint, data: ev.data as string });
      ops.set(id, op);
    }
    const out: PendingOperation[] = [];
    for (const op of ops.values()) {
      const state = OP_STATE[Number(await this.contracts.timelock.getOperationState(op.id))];
      if (state !== "Waiting" && state !== "Ready") continue;
      out.push({ ...op, state, readyAt: await this.contracts.timelock.getTimestamp(op.id), calls: op.calls.sort((a, b) => a.index - b.index) });
    }
    return out;
  }
}

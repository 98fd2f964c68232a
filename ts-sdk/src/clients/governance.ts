// Governance through the TimelockController: encode any call by contract key and function name (generated ABIs),
// propose (the whole batch simulated first as the timelock runs it, so an out-of-bounds parameter fails now, not after
// the delay), execute, cancel, and list pending operations with their ready times.
import { Interface, type Signer, ZeroHash, dataSlice, getAddress, id as keccakUtf8 } from "ethers";
import type { Deployment } from "../deployment.ts";
import { decodeError, decodeRevertData, revertDataOf } from "../decode.ts";
import { InvalidArgumentError, NotOwnerError, PreconditionError, StrataContractError } from "../errors.ts";
import * as abis from "../generated/abis.ts";
import { TimelockBatchSimulatorRuntime } from "../generated/abis.ts";
import { rpcSend } from "../rpc.ts";
import { type WriteOptions, type WriteResult } from "../tx.ts";
import { StrataClient } from "./base.ts";

/** Contract keys of a deployment that governance calls, and their ABIs. */
const TARGETS = {
  pool: abis.StrataPoolAbi,
  registry: abis.CollectionRegistryAbi,
  oracle: abis.AppraisalOracleAbi,
  liquidator: abis.DutchAuctionLiquidatorAbi,
  seniorVault: abis.TrancheVaultAbi,
  juniorVault: abis.TrancheVaultAbi,
  timelock: abis.TimelockControllerAbi,
} as const;
export type GovernanceTarget = keyof typeof TARGETS;

/** One call of a timelock batch. */
export interface GovernanceCall {
  target: string;
  value: bigint;
  data: string;
  /** Human-readable `contract.function(args)`. */
  label: string;
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

  static async connect(signer: Signer, deployment: Deployment): Promise<Governance> {
    return StrataClient.checked(new Governance(signer, deployment));
  }

  /** Encodes `fn(args)` on the deployment's contract `target` ("pool", "registry", "oracle", ...). */
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

  /** The batch's operation id, salt = keccak256(description) (as script/governance/TimelockBatch.sol). */
  operationId(calls: readonly GovernanceCall[], description: string, predecessor = ZeroHash): Promise<string> {
    return this.contracts.timelock.hashOperationBatch(calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), predecessor, keccakUtf8(description));
  }

  private async requireRole(role: "PROPOSER_ROLE" | "EXECUTOR_ROLE" | "CANCELLER_ROLE"): Promise<void> {
    const tl = this.contracts.timelock;
    const r = await tl[role]();
    const me = await this.address();
    if (await tl.hasRole(r, me)) return;
    if (role === "EXECUTOR_ROLE" && (await tl.hasRole(r, "0x0000000000000000000000000000000000000000"))) return;
    throw new NotOwnerError(`${me} lacks the timelock's ${role}`);
  }

  /** Schedules the batch after simulating it; returns the operation id and when it becomes executable. */
  async propose(
    calls: readonly GovernanceCall[],
    description: string,
    opts: WriteOptions & { delay?: bigint; predecessor?: string } = {},
  ): Promise<WriteResult & { operationId: string; readyAt: bigint }> {
    if (calls.length === 0) throw new InvalidArgumentError("a proposal needs at least one call");
    await this.requireRole("PROPOSER_ROLE");
    await this.simulate(calls);
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

  /** Executes a scheduled batch once ready (refused with its ready time before). */
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

  /** Cancels a pending operation (CANCELLER_ROLE). */
  async cancel(operationId: string, opts: WriteOptions = {}): Promise<WriteResult> {
    await this.requireRole("CANCELLER_ROLE");
    if (!(await this.contracts.timelock.isOperationPending(operationId))) throw new PreconditionError(`operation ${operationId} is not pending`);
    return this.write(this.contracts.timelock, "cancel", [operationId], opts);
  }

  /** Operations scheduled and neither executed nor cancelled, with their calls and ready time (from events). */
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

// Safe (Safe{Wallet}, formerly Gnosis Safe) 1.4.1 multisig transactions with ethers: the SafeTx EIP-712 hash, owner
// signatures (eth_signTypedData_v4), the signature bytes execTransaction takes (sorted by owner), MultiSendCallOnly
// batches (the Transaction Builder's encoding), a signature file that owners pass around, and execution with every
// off-chain check first (owner, duplicate, nonce, threshold, the inner call simulated as the Safe). Browser-safe.
//
// Why ethers and not @safe-global/protocol-kit: protocol-kit is not installed (it pulls viem and its own ABI set, and
// a new runtime dependency has to go through the lead), the part needed here (hash, sign, sort, execTransaction) is
// ~200 lines against the Safe's documented ABI, and the hash is checked against the real contract's
// getTransactionHash in the tests.
import {
  Contract,
  type ContractRunner,
  Interface,
  type Provider,
  type Signer,
  TypedDataEncoder,
  ZeroAddress,
  concat,
  getAddress,
  getBytes,
  hexlify,
  isHexString,
  solidityPacked,
  verifyTypedData,
} from "ethers";
import { decodeError } from "./decode.ts";
import { InvalidArgumentError, PreconditionError, StrataContractError, StrataError } from "../errors.ts";
import { type WriteOptions, type WriteResult, send } from "./tx.ts";

/** The Safe 1.4.1 functions and events the SDK uses (the documented ABI of `Safe.sol`). */
export const SAFE_ABI = [
  "function VERSION() view returns (string)",
  "function getOwners() view returns (address[])",
  "function getThreshold() view returns (uint256)",
  "function isOwner(address owner) view returns (bool)",
  "function nonce() view returns (uint256)",
  "function getTransactionHash(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes32)",
  "function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool)",
  "event ExecutionSuccess(bytes32 indexed txHash, uint256 payment)",
  "event ExecutionFailure(bytes32 indexed txHash, uint256 payment)",
] as const;
export const MULTISEND_ABI = ["function multiSend(bytes transactions) payable"] as const;
const safeIface = new Interface(SAFE_ABI as unknown as string[]);
const multiSendIface = new Interface(MULTISEND_ABI as unknown as string[]);

/** Safe `Enum.Operation`. */
export const CALL = 0;
export const DELEGATE_CALL = 1;

/** EIP-712 type of a Safe transaction (Safe 1.3.0 and later). */
export const SAFE_TX_TYPES = {
  SafeTx: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "operation", type: "uint8" },
    { name: "safeTxGas", type: "uint256" },
    { name: "baseGas", type: "uint256" },
    { name: "gasPrice", type: "uint256" },
    { name: "gasToken", type: "address" },
    { name: "refundReceiver", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};

/** A Safe transaction (no gas refund: safeTxGas, baseGas and gasPrice are 0, so the submitter pays the gas). */
export interface SafeTransaction {
  to: string;
  value: bigint;
  data: string;
  operation: 0 | 1;
  safeTxGas: bigint;
  baseGas: bigint;
  gasPrice: bigint;
  gasToken: string;
  refundReceiver: string;
  nonce: bigint;
}

/** One owner's EIP-712 signature of a Safe transaction (65 bytes r ‖ s ‖ v, v = 27 or 28). */
export interface SafeSignature {
  signer: string;
  data: string;
}

/** One call of a batch (what a Transaction Builder file lists). */
export interface SafeCall {
  to: string;
  value: bigint;
  data: string;
}

/** The owner is not an owner of the Safe (signing or a collected signature). */
export class NotSafeOwnerError extends StrataError {}
/** Fewer distinct owner signatures than the Safe's threshold. */
export class ThresholdNotMetError extends StrataError {
  readonly have: number;
  readonly need: number;
  constructor(have: number, need: number, safe: string, hint: string) {
    super(`threshold not met: ${have} of ${need} owner signatures for Safe ${safe}${hint ? `; ${hint}` : ""}`);
    this.have = have;
    this.need = need;
  }
}
/** The transaction's nonce is already used by the Safe (executed, or replaced by another transaction). */
export class SafeNonceUsedError extends StrataError {}
/** A signature file that does not hold together (hash, chain, Safe, a signature that is not the signer's). */
export class SafeFileError extends StrataError {}

/** `to` called with `data` from the Safe (CALL), the Safe's nonce given. */
export function safeTransaction(call: SafeCall, nonce: bigint, operation: 0 | 1 = CALL): SafeTransaction {
  return {
    to: getAddress(call.to),
    value: call.value,
    data: call.data,
    operation,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: ZeroAddress,
    refundReceiver: ZeroAddress,
    nonce,
  };
}

/** MultiSendCallOnly's `transactions` bytes: each call packed as (uint8 0, address, uint256 value, uint256 length, data). */
export function encodeMultiSend(calls: readonly SafeCall[]): string {
  if (calls.length === 0) throw new InvalidArgumentError("a MultiSend batch needs at least one call");
  const packed = calls.map((c) => solidityPacked(["uint8", "address", "uint256", "uint256", "bytes"], [CALL, getAddress(c.to), c.value, getBytes(c.data).length, c.data]));
  return multiSendIface.encodeFunctionData("multiSend", [concat(packed)]);
}

/** The calls of a `multiSend(bytes)` calldata (MultiSendCallOnly: every operation must be CALL). */
export function decodeMultiSend(data: string): SafeCall[] {
  let packed: Uint8Array;
  try {
    packed = getBytes(multiSendIface.decodeFunctionData("multiSend", data)[0] as string);
  } catch {
    throw new InvalidArgumentError("a DELEGATECALL Safe transaction must be a MultiSendCallOnly multiSend(bytes) batch");
  }
  const out: SafeCall[] = [];
  const word = (at: number) => BigInt(hexlify(packed.slice(at, at + 32)));
  for (let i = 0; i < packed.length; ) {
    if (packed[i] !== CALL) throw new InvalidArgumentError(`multiSend entry ${out.length} is not a CALL (MultiSendCallOnly refuses it)`);
    const to = getAddress(hexlify(packed.slice(i + 1, i + 21)));
    const value = word(i + 21);
    const len = Number(word(i + 53));
    out.push({ to, value, data: hexlify(packed.slice(i + 85, i + 85 + len)) });
    i += 85 + len;
  }
  return out;
}

/**
 * The Safe transaction for `calls` as the Safe{Wallet} app builds it from a Transaction Builder batch: one call is
 * sent directly; several (or `forceMultiSend`) are a DELEGATECALL to MultiSendCallOnly with the packed batch.
 */
export function safeTransactionFor(calls: readonly SafeCall[], nonce: bigint, multiSendCallOnly?: string, forceMultiSend = false): SafeTransaction {
  if (calls.length === 0) throw new InvalidArgumentError("a Safe transaction needs at least one call");
  if (calls.length === 1 && !forceMultiSend) return safeTransaction(calls[0], nonce);
  if (!multiSendCallOnly) throw new InvalidArgumentError("a batch of several calls needs the MultiSendCallOnly address");
  return safeTransaction({ to: multiSendCallOnly, value: 0n, data: encodeMultiSend(calls) }, nonce, DELEGATE_CALL);
}

/** The EIP-712 domain of a Safe (1.3.0+: chain id and the Safe's address). */
export function safeDomain(chainId: number | bigint, safe: string) {
  return { chainId: BigInt(chainId), verifyingContract: getAddress(safe) };
}

/** The SafeTx hash the owners sign and `getTransactionHash` returns. */
export function safeTxHash(chainId: number | bigint, safe: string, tx: SafeTransaction): string {
  return TypedDataEncoder.hash(safeDomain(chainId, safe), SAFE_TX_TYPES, tx);
}

/** The owner who made `sig` over `tx` (EIP-712 recovery); throws SafeFileError for a malformed signature. */
export function recoverSafeSigner(chainId: number | bigint, safe: string, tx: SafeTransaction, sig: string): string {
  if (!isHexString(sig, 65)) throw new SafeFileError(`a Safe signature is 65 bytes (r, s, v), got ${sig.length > 12 ? `${sig.slice(0, 12)}…` : sig}`);
  const v = getBytes(sig)[64];
  if (v !== 27 && v !== 28) throw new SafeFileError(`only EIP-712 owner signatures (v = 27 or 28) are accepted, got v = ${v}`);
  return getAddress(verifyTypedData(safeDomain(chainId, safe), SAFE_TX_TYPES, tx, sig));
}

/** `execTransaction`'s `signatures`: the signatures concatenated in ascending owner order (the Safe requires it). */
export function signatureBytes(sigs: readonly SafeSignature[]): string {
  const sorted = [...sigs].sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : BigInt(a.signer) > BigInt(b.signer) ? 1 : 0));
  return concat(sorted.map((s) => s.data));
}

/** A Safe transaction and its signatures so far: what `--sign-only` writes and the next owner adds to. */
export interface SafeTxFile {
  kind: "strata-safe-tx";
  chainId: number;
  safe: string;
  /** What the transaction does, for the owners reading the file (e.g. `timelock.scheduleBatch: <description>`). */
  description: string;
  safeTxHash: string;
  tx: { to: string; value: string; data: string; operation: number; safeTxGas: string; baseGas: string; gasPrice: string; gasToken: string; refundReceiver: string; nonce: string };
  signatures: SafeSignature[];
}

export function toSafeTxFile(chainId: number, safe: string, tx: SafeTransaction, description: string, signatures: readonly SafeSignature[] = []): SafeTxFile {
  return {
    kind: "strata-safe-tx",
    chainId,
    safe: getAddress(safe),
    description,
    safeTxHash: safeTxHash(chainId, safe, tx),
    tx: {
      to: tx.to,
      value: tx.value.toString(),
      data: tx.data,
      operation: tx.operation,
      safeTxGas: tx.safeTxGas.toString(),
      baseGas: tx.baseGas.toString(),
      gasPrice: tx.gasPrice.toString(),
      gasToken: tx.gasToken,
      refundReceiver: tx.refundReceiver,
      nonce: tx.nonce.toString(),
    },
    signatures: [...signatures],
  };
}

/** Reads a signature file back: the hash is recomputed and every signature recovered to its signer (or refused). */
export function fromSafeTxFile(raw: unknown, source = "Safe transaction file"): { chainId: number; safe: string; tx: SafeTransaction; description: string; signatures: SafeSignature[] } {
  const f = raw as SafeTxFile;
  if (!f || f.kind !== "strata-safe-tx" || !f.tx) throw new SafeFileError(`${source}: not a Strata Safe transaction file`);
  let tx: SafeTransaction;
  try {
    tx = {
      to: getAddress(f.tx.to),
      value: BigInt(f.tx.value),
      data: f.tx.data,
      operation: f.tx.operation === 1 ? 1 : 0,
      safeTxGas: BigInt(f.tx.safeTxGas),
      baseGas: BigInt(f.tx.baseGas),
      gasPrice: BigInt(f.tx.gasPrice),
      gasToken: getAddress(f.tx.gasToken),
      refundReceiver: getAddress(f.tx.refundReceiver),
      nonce: BigInt(f.tx.nonce),
    };
    if (f.tx.operation !== 0 && f.tx.operation !== 1) throw new InvalidArgumentError(`operation ${f.tx.operation} is neither 0 (call) nor 1 (delegatecall)`);
    if (!isHexString(tx.data)) throw new InvalidArgumentError("data is not hex");
  } catch (e) {
    throw new SafeFileError(`${source}: malformed transaction (${(e as Error).message})`);
  }
  const safe = getAddress(f.safe);
  const hash = safeTxHash(f.chainId, safe, tx);
  if (hash !== f.safeTxHash) throw new SafeFileError(`${source}: safeTxHash ${f.safeTxHash} does not match its transaction (${hash}): the file was altered`);
  const signatures = (f.signatures ?? []).map((s) => {
    const by = recoverSafeSigner(f.chainId, safe, tx, s.data);
    if (by !== getAddress(s.signer)) throw new SafeFileError(`${source}: the signature listed for ${s.signer} was made by ${by}`);
    return { signer: by, data: s.data };
  });
  return { chainId: f.chainId, safe, tx, description: String(f.description ?? ""), signatures };
}

/** What a Safe holds now. */
export interface SafeState {
  address: string;
  version: string;
  owners: string[];
  threshold: number;
  nonce: bigint;
}

/** A deployed Safe: reads, signing and execution with every check before anything is sent. */
export class SafeAccount {
  readonly address: string;
  readonly contract: Contract;
  readonly chainId: number;

  private constructor(address: string, chainId: number, runner: ContractRunner) {
    this.address = getAddress(address);
    this.chainId = chainId;
    this.contract = new Contract(this.address, safeIface, runner);
    (this.contract as unknown as { __strataName?: string }).__strataName = "Safe";
  }

  /** The Safe at `address` (refused unless it answers as a Safe: owners, threshold and version). */
  static async at(address: string, provider: Provider): Promise<SafeAccount> {
    const { chainId } = await provider.getNetwork();
    const s = new SafeAccount(address, Number(chainId), provider);
    if ((await provider.getCode(s.address)) === "0x") throw new PreconditionError(`${s.address} is not a Safe: it has no code`);
    try {
      await s.contract.VERSION();
    } catch {
      throw new PreconditionError(`${s.address} is not a Safe: it does not answer VERSION()`);
    }
    return s;
  }

  async state(): Promise<SafeState> {
    const [version, owners, threshold, nonce] = await Promise.all([this.contract.VERSION(), this.contract.getOwners(), this.contract.getThreshold(), this.contract.nonce()]);
    return { address: this.address, version, owners: (owners as string[]).map((o) => getAddress(o)), threshold: Number(threshold), nonce };
  }

  hash(tx: SafeTransaction): string {
    return safeTxHash(this.chainId, this.address, tx);
  }

  /** `signer` signs `tx` (EIP-712); refused with NotSafeOwnerError unless it is an owner. */
  async sign(tx: SafeTransaction, signer: Signer): Promise<SafeSignature> {
    const who = getAddress(await signer.getAddress());
    const st = await this.state();
    if (!st.owners.includes(who)) throw new NotSafeOwnerError(`${who} is not an owner of Safe ${this.address} (owners: ${st.owners.join(", ")})`);
    if (tx.nonce < st.nonce) throw new SafeNonceUsedError(`Safe nonce ${tx.nonce} is used: Safe ${this.address} is at nonce ${st.nonce} (that transaction was executed or replaced); build it again`);
    const data = await signer.signTypedData(safeDomain(this.chainId, this.address), SAFE_TX_TYPES, tx);
    if (recoverSafeSigner(this.chainId, this.address, tx, data) !== who) throw new SafeFileError(`the signer's EIP-712 signature does not recover to ${who}`);
    return { signer: who, data };
  }

  /**
   * Every check `execTransaction` makes, off chain, with one-line errors: the nonce is the Safe's next one, each
   * signature is a distinct owner's over this transaction, there are at least `threshold` of them, and the call
   * succeeds when made by the Safe (its revert decoded). Returns the signatures to use (threshold many).
   */
  async check(tx: SafeTransaction, sigs: readonly SafeSignature[], action = "the Safe's call"): Promise<SafeSignature[]> {
    const st = await this.state();
    if (tx.nonce < st.nonce) throw new SafeNonceUsedError(`Safe nonce ${tx.nonce} is used: Safe ${this.address} is at nonce ${st.nonce} (that transaction was executed or replaced); nothing sent`);
    if (tx.nonce > st.nonce) throw new PreconditionError(`Safe nonce ${tx.nonce} is not next: Safe ${this.address} is at nonce ${st.nonce}; execute the earlier transactions first`);
    const seen = new Set<string>();
    for (const s of sigs) {
      const by = recoverSafeSigner(this.chainId, this.address, tx, s.data);
      if (by !== getAddress(s.signer)) throw new SafeFileError(`the signature listed for ${s.signer} was made by ${by}`);
      if (!st.owners.includes(by)) throw new NotSafeOwnerError(`signature by ${by}, not an owner of Safe ${this.address} (owners: ${st.owners.join(", ")}); nothing sent`);
      seen.add(by);
    }
    if (seen.size < st.threshold) {
      throw new ThresholdNotMetError(seen.size, st.threshold, this.address, "more owners must sign (--sign-only writes a file the next owner adds to); nothing sent");
    }
    const use = [...seen].slice(0, st.threshold).map((o) => sigs.find((s) => getAddress(s.signer) === o)!);
    // the call, or each call of a MultiSendCallOnly batch (each alone: a call that depends on an earlier one of the
    // batch is covered by execTransaction's own simulation, which then only says GS013), made by the Safe
    const calls = tx.operation === CALL ? [{ to: tx.to, value: tx.value, data: tx.data }] : decodeMultiSend(tx.data);
    for (const [i, c] of calls.entries()) {
      const what = calls.length > 1 || tx.operation !== CALL ? `${action}, call ${i} of the batch` : action;
      try {
        await this.contract.runner!.provider!.call({ from: this.address, to: c.to, data: c.data, value: c.value });
      } catch (e) {
        const d = decodeError(e, `${what} (simulated as the Safe)`);
        throw d instanceof StrataContractError ? d : new PreconditionError(`${what} would fail when the Safe makes it: ${(e as Error).message}`);
      }
    }
    return use;
  }

  /**
   * One call (or a batch through MultiSendCallOnly) made by the Safe at its next nonce: each of `owners` signs, the
   * first submits (every check of `execute` first). For scripts and tests that hold the owners' keys.
   */
  async run(calls: SafeCall | readonly SafeCall[], owners: readonly Signer[], opts: WriteOptions & { multiSendCallOnly?: string; action?: string } = {}): Promise<WriteResult & { safeTxHash: string }> {
    if (owners.length === 0) throw new InvalidArgumentError("a Safe transaction needs at least one owner to sign and submit it");
    const list = Array.isArray(calls) ? (calls as readonly SafeCall[]) : [calls as SafeCall];
    const tx = safeTransactionFor(list, await this.contract.nonce(), opts.multiSendCallOnly);
    const sigs: SafeSignature[] = [];
    for (const o of owners) sigs.push(await this.sign(tx, o));
    return this.execute(tx, sigs, owners[0], opts);
  }

  /** Checks (see `check`), then `execTransaction` from `sender` (any account: it pays the gas). */
  async execute(tx: SafeTransaction, sigs: readonly SafeSignature[], sender: Signer, opts: WriteOptions & { action?: string } = {}): Promise<WriteResult & { safeTxHash: string }> {
    const use = await this.check(tx, sigs, opts.action);
    const c = this.contract.connect(sender) as Contract;
    (c as unknown as { __strataName?: string }).__strataName = "Safe";
    const args = [tx.to, tx.value, tx.data, tx.operation, tx.safeTxGas, tx.baseGas, tx.gasPrice, tx.gasToken, tx.refundReceiver, signatureBytes(use)];
    const r = await send(c, "execTransaction", args, opts);
    const hash = this.hash(tx);
    const success = safeIface.getEvent("ExecutionSuccess")!.topicHash;
    const ok = r.receipt.logs.some((l) => getAddress(l.address) === this.address && l.topics[0] === success && l.topics[1]?.toLowerCase() === hash.toLowerCase());
    if (!ok) throw new PreconditionError(`Safe transaction ${hash} was mined (tx ${r.hash}) without ExecutionSuccess`);
    return { ...r, safeTxHash: hash };
  }
}

/**
 * The calls of a Safe Transaction Builder batch file (what `strata gov encode` writes and the Safe app imports):
 * `transactions[i].to`, `.value` (wei, decimal string) and `.data`. Entries that only give a `contractMethod` (the
 * app's form input) are refused: the file must carry the exact calldata.
 */
export function transactionBuilderCalls(raw: unknown, source = "Transaction Builder file"): { chainId: number; calls: SafeCall[] } {
  const f = raw as { chainId?: unknown; transactions?: { to?: unknown; value?: unknown; data?: unknown }[] };
  if (!f || !Array.isArray(f.transactions) || f.transactions.length === 0) throw new SafeFileError(`${source}: no "transactions"`);
  const chainId = Number(f.chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new SafeFileError(`${source}: "chainId" is missing`);
  const calls = f.transactions.map((t, i) => {
    if (typeof t.to !== "string" || !isHexString(t.to, 20)) throw new SafeFileError(`${source}: transaction ${i} has no "to" address`);
    if (typeof t.data !== "string" || !isHexString(t.data)) throw new SafeFileError(`${source}: transaction ${i} has no calldata ("data")`);
    if (typeof t.value !== "string" || !/^\d+$/.test(t.value)) throw new SafeFileError(`${source}: transaction ${i} "value" must be a decimal string of wei`);
    return { to: getAddress(t.to), value: BigInt(t.value), data: t.data };
  });
  return { chainId, calls };
}

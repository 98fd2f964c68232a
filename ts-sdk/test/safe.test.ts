// Governance as a DAO runs it, on anvil, through the real Safe 1.4.1 contracts config/local.json deploys (the npm
// package's bytecode): the SafeTx hash against the contract's own, the Transaction Builder files `strata gov encode`
// writes executed as the Safe app executes them (MultiSendCallOnly with the file's values and calldata), the
// Governance client's Safe path, the bad inputs (non-owner signature, too few signatures, replayed nonce, stale
// proposal, a call that fails as the timelock) refused with one line and nothing changed, and the guardian Safe.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Interface, Wallet, getAddress, id as keccakUtf8 } from "ethers";
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import {
  CALL,
  DELEGATE_CALL,
  Governance,
  NotSafeOwnerError,
  SafeAccount,
  SafeFileError,
  SafeNonceUsedError,
  StrataContractError,
  ThresholdNotMetError,
  encodeMultiSend,
  fromSafeTxFile,
  recoverSafeSigner,
  safeTransactionFor,
  safeTxHash,
  toSafeTxFile,
  transactionBuilderCalls,
} from "../src/index.ts";
import { readProposalFile, resolveProposal } from "../src/governance/proposal.ts";
import { REPO_ROOT } from "../src/dev/artifacts.ts";
import { cli, errorLine } from "./cli-helpers.ts";
import { type Fixture, setupFixture } from "./fixture.ts";

let f: Fixture;
let snap: string;
const tmp = mkdtempSync(join(tmpdir(), "strata-safe-"));
const OP = { Unset: 0n, Waiting: 1n, Ready: 2n, Done: 3n };

beforeAll(async () => {
  f = await setupFixture();
}, 120_000);
afterAll(async () => f?.stop());
beforeEach(async () => {
  snap = await f.snapshot();
});
afterEach(async () => f.revert(snap));

const gov = () => Governance.connect(f.multisig, f.d);
const safeOf = (which: "governanceSafe" | "guardianSafe") => SafeAccount.at(f.d[which]!, f.provider);
/** What must not move when a bad input is refused: the Safe's nonce and the operation's state. */
const chainState = async (operationId: string) => {
  const s = await safeOf("governanceSafe");
  return { nonce: await s.contract.nonce(), op: await f.c.timelock.getOperationState(operationId) };
};
const proposal = async (file: string) => resolveProposal(readProposalFile(file, REPO_ROOT), f.d, f.provider, REPO_ROOT);

describe("governance targets", () => {
  it("the asset is a target: the example recovery booking approves the pool, then settles against the loan (SPEC §7.5)", async () => {
    const r = await proposal("proposals/example-settle-recovery.json");
    expect(r.calls.map((c) => c.target)).toEqual([getAddress(f.d.asset), getAddress(f.d.pool)]);
    expect(r.calls[0].label).toMatch(/^asset\.approve\(spender=pool, value=40000000000\)/);
    // Simulated as the timelock: the pool refuses, naming the cause (no unsold loan 1 on this chain).
    const e = await (await gov()).simulate(r.calls).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/governance call 1 pool\.settleRecovery.*LoanNotRecovering/);
  });
});

describe("the local chain's Safes", () => {
  it("are real Safe 1.4.1 proxies holding the timelock's roles; the EOAs and the deployer hold none", async () => {
    const g = await safeOf("governanceSafe");
    const st = await g.state();
    expect(st).toMatchObject({ version: "1.4.1", threshold: 2, owners: [f.multisig.address, f.owner2.address, f.owner3.address] });
    const tl = f.c.timelock;
    for (const role of [await tl.PROPOSER_ROLE(), await tl.EXECUTOR_ROLE(), await tl.CANCELLER_ROLE()]) {
      expect(await tl.hasRole(role, g.address)).toBe(true);
      for (const eoa of [f.d.deployer, f.multisig.address, f.owner2.address]) expect(await tl.hasRole(role, eoa)).toBe(false);
    }
    expect(await f.c.pool.isGuardian(f.d.guardianSafe!)).toBe(true);
    expect(await f.c.pool.isGuardian(f.owner2.address)).toBe(false);
    // the proxy runs the npm package's singleton code
    const artifact = JSON.parse(readFileSync(join(REPO_ROOT, "node_modules/@safe-global/safe-contracts/build/artifacts/contracts/Safe.sol/Safe.json"), "utf8"));
    expect(await f.provider.getCode(f.d.safe!.singleton)).toBe(artifact.deployedBytecode);
  });

  it("the SDK's SafeTx hash is the contract's getTransactionHash, and signatures recover to their owners", async () => {
    const g = await safeOf("governanceSafe");
    const tx = safeTransactionFor([{ to: f.d.pool, value: 1n, data: "0x1234" }, { to: f.d.oracle, value: 0n, data: "0x" }], 7n, f.d.safe!.multiSendCallOnly);
    expect(tx.operation).toBe(DELEGATE_CALL);
    const onChain = await g.contract.getTransactionHash(tx.to, tx.value, tx.data, tx.operation, tx.safeTxGas, tx.baseGas, tx.gasPrice, tx.gasToken, tx.refundReceiver, tx.nonce);
    expect(safeTxHash(f.d.chainId, g.address, tx)).toBe(onChain);
    const sig = await g.sign(tx, f.owner3);
    expect(recoverSafeSigner(f.d.chainId, g.address, tx, sig.data)).toBe(f.owner3.address);
  });
});

describe("Transaction Builder files from `strata gov encode`, executed by the real Safe", () => {
  it("schedule then execute files through MultiSendCallOnly: the timelock ends in the state the simulation predicted", async () => {
    const env = { RPC_URL: f.anvil.url, STRATA_DEPLOYMENT: f.deploymentPath, STRATA_PRIVATE_KEY: undefined };
    const out = join(tmp, "encode");
    const r = await cli(["gov", "encode", "proposals/local-senior-rate-4.json", "--out", out, "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const enc = JSON.parse(r.stdout) as { operationId: string; delay: string; files: { safeSchedule: string; safeExecute: string } };
    const g = await safeOf("governanceSafe");
    const owners = [f.multisig, f.owner3];

    const runFile = async (path: string) => {
      const file = JSON.parse(readFileSync(path, "utf8"));
      expect(getAddress(file.meta.createdFromSafeAddress)).toBe(g.address);
      const { chainId, calls } = transactionBuilderCalls(file, path);
      expect(chainId).toBe(f.d.chainId);
      // as the Safe app batches: a DELEGATECALL to MultiSendCallOnly with the file's to/value/data packed
      const tx = safeTransactionFor(calls, await g.contract.nonce(), f.d.safe!.multiSendCallOnly, true);
      expect(tx).toMatchObject({ to: f.d.safe!.multiSendCallOnly, operation: DELEGATE_CALL, data: encodeMultiSend(calls) });
      const sigs = [];
      for (const o of owners) sigs.push(await g.sign(tx, o));
      return g.execute(tx, sigs, f.keeper); // any account may submit
    };

    await runFile(enc.files.safeSchedule);
    const scheduledAt = BigInt((await f.provider.getBlock("latest"))!.timestamp);
    expect(await f.c.timelock.getOperationState(enc.operationId)).toBe(OP.Waiting);
    expect(await f.c.timelock.getTimestamp(enc.operationId)).toBe(scheduledAt + BigInt(enc.delay));
    // the executor Safe cannot run it early: refused by the simulation as the Safe, nothing sent
    await expect(runFile(enc.files.safeExecute)).rejects.toThrow(/TimelockUnexpectedOperationState/);
    await f.warp(Number(enc.delay));
    await runFile(enc.files.safeExecute);
    expect(await f.c.timelock.getOperationState(enc.operationId)).toBe(OP.Done);
    const [seniorRate] = await f.c.pool.parameters();
    expect(seniorRate).toBe(40_000_000_000_000_000n);
  });

  it("a single-transaction file executes as the app sends it (a plain CALL to the timelock)", async () => {
    const env = { RPC_URL: f.anvil.url, STRATA_DEPLOYMENT: f.deploymentPath };
    const r = await cli(["gov", "encode", "proposals/local-senior-rate-4.json", "--out", join(tmp, "single"), "--json"], env);
    const enc = JSON.parse(r.stdout);
    const { calls } = transactionBuilderCalls(JSON.parse(readFileSync(enc.files.safeSchedule, "utf8")));
    const g = await safeOf("governanceSafe");
    const tx = safeTransactionFor(calls, await g.contract.nonce(), f.d.safe!.multiSendCallOnly);
    expect(tx).toMatchObject({ to: f.d.timelock, operation: CALL, data: enc.scheduleCalldata });
    await g.execute(tx, [await g.sign(tx, f.owner2), await g.sign(tx, f.owner3)], f.owner2);
    expect(await f.c.timelock.getOperationState(enc.operationId)).toBe(OP.Waiting);
  });
});

describe("Governance client through the Safe", () => {
  it("schedules, executes and cancels with owner signatures, the signature file passing between owners", async () => {
    const g = await gov();
    const p = await proposal("proposals/local-senior-rate-4.json");
    let sp = await g.safeSchedule(f.d.governanceSafe!, p.calls, p.description);
    expect(sp.tx).toMatchObject({ to: f.d.timelock, operation: CALL });
    // owner 1 signs and writes the file; owner 3 reads it back (hash and signatures checked) and adds to it
    const file = toSafeTxFile(sp.chainId, sp.safe, sp.tx, sp.description, (await g.safeSign(sp)).signatures);
    const back = fromSafeTxFile(JSON.parse(JSON.stringify(file)));
    sp = await g.safeSign({ ...sp, signatures: back.signatures }, f.owner3);
    expect(sp.signatures.map((s) => s.signer)).toEqual([f.multisig.address, f.owner3.address]);
    await g.safeSubmit(sp);
    expect(await f.c.timelock.getOperationState(sp.operationId)).toBe(OP.Waiting);

    // a second proposal, scheduled and then cancelled by the Safe
    const q = await proposal("proposals/local-list-collections.json");
    const sq = await g.safeSchedule(f.d.governanceSafe!, q.calls, q.description);
    await g.safeSubmit(await g.safeSign(await g.safeSign(sq), f.owner2));
    const cancel = await g.safeCancel(f.d.governanceSafe!, sq.operationId);
    await g.safeSubmit(await g.safeSign(await g.safeSign(cancel), f.owner2));
    expect(await f.c.timelock.getOperationState(sq.operationId)).toBe(OP.Unset);

    await f.warp(f.d.timelockDelay);
    // signed in descending owner order (#3 0x90F7… before #2 0x3C44…): execTransaction needs them sorted ascending
    const ex = await g.safeExecute(f.d.governanceSafe!, p.calls, p.description);
    const both = await g.safeSign(await g.safeSign(ex, f.owner3), f.owner2);
    expect(both.signatures.map((s) => s.signer)).toEqual([f.owner3.address, f.owner2.address]);
    await g.safeSubmit(both);
    expect(await f.c.timelock.getOperationState(sp.operationId)).toBe(OP.Done);
  });

  it("refuses a non-owner's signature, before and after signing, and changes nothing", async () => {
    const g = await gov();
    const p = await proposal("proposals/local-senior-rate-4.json");
    const sp = await g.safeSchedule(f.d.governanceSafe!, p.calls, p.description);
    const before = await chainState(sp.operationId);
    await expect(g.safeSign(sp, f.lender)).rejects.toThrow(new RegExp(`^${f.lender.address} is not an owner of Safe ${f.d.governanceSafe}`));
    // a signature made off-line by a non-owner, slipped into the list
    const stranger = Wallet.createRandom();
    const data = await stranger.signTypedData({ chainId: 31337n, verifyingContract: sp.safe }, (await import("../src/chain/safe.ts")).SAFE_TX_TYPES, sp.tx);
    const signed = await g.safeSign(sp);
    const err = await g.safeSubmit({ ...signed, signatures: [...signed.signatures, { signer: stranger.address, data }] }).catch((e) => e);
    expect(err).toBeInstanceOf(NotSafeOwnerError);
    expect(err.message).toMatch(/^signature by 0x[0-9a-fA-F]{40}, not an owner of Safe .*; nothing sent$/);
    expect(await chainState(sp.operationId)).toEqual(before);
  });

  it("refuses too few signatures, naming the count and the threshold, and changes nothing", async () => {
    const g = await gov();
    const p = await proposal("proposals/local-senior-rate-4.json");
    const sp = await g.safeSchedule(f.d.governanceSafe!, p.calls, p.description);
    const before = await chainState(sp.operationId);
    const one = await g.safeSign(sp);
    // the same owner twice is still one signature
    const twice = { ...one, signatures: [...one.signatures, ...one.signatures] };
    for (const x of [sp, one, twice]) {
      const err = await g.safeSubmit(x).catch((e) => e);
      expect(err).toBeInstanceOf(ThresholdNotMetError);
      expect(err.message).toMatch(/^threshold not met: [01] of 2 owner signatures for Safe 0x[0-9a-fA-F]{40}; more owners must sign/);
    }
    expect(await chainState(sp.operationId)).toEqual(before);
  });

  it("refuses a replayed Safe transaction (its nonce is used) and a stale signature file", async () => {
    const g = await gov();
    const p = await proposal("proposals/local-senior-rate-4.json");
    const sp = await g.safeSign(await g.safeSign(await g.safeSchedule(f.d.governanceSafe!, p.calls, p.description)), f.owner2);
    await g.safeSubmit(sp);
    const before = await chainState(sp.operationId);
    const err = await g.safeSubmit(sp).catch((e) => e);
    expect(err).toBeInstanceOf(SafeNonceUsedError);
    expect(err.message).toMatch(/^Safe nonce (\d+) is used: Safe 0x[0-9a-fA-F]{40} is at nonce \d+/);
    // a file whose transaction was altered after signing (here: the delay) is refused on reading
    const file = toSafeTxFile(sp.chainId, sp.safe, sp.tx, sp.description, sp.signatures);
    const altered = { ...file, tx: { ...file.tx, data: `${file.tx.data.slice(0, -1)}1` } };
    expect(() => fromSafeTxFile(altered, "sig.json")).toThrow(SafeFileError);
    expect(() => fromSafeTxFile(altered, "sig.json")).toThrow(/^sig\.json: safeTxHash 0x[0-9a-f]{64} does not match its transaction/);
    // stale: executing a proposal the Safe cancelled is refused before signing
    const cancel = await g.safeCancel(f.d.governanceSafe!, sp.operationId);
    await g.safeSubmit(await g.safeSign(await g.safeSign(cancel), f.owner3));
    await f.warp(f.d.timelockDelay);
    await expect(g.safeExecute(f.d.governanceSafe!, p.calls, p.description)).rejects.toThrow(/^operation 0x[0-9a-f]{64} is not scheduled$/);
    expect((await chainState(sp.operationId)).nonce).toBe(before.nonce + 1n);
  });

  it("refuses a batch that fails when simulated as the timelock, before any signature", async () => {
    const g = await gov();
    const p = await proposal("proposals/test/out-of-bounds.json");
    const nonce = (await chainState(ZeroOp)).nonce;
    const err = await g.safeSchedule(f.d.governanceSafe!, p.calls, p.description).catch((e) => e);
    expect(err).toBeInstanceOf(StrataContractError);
    expect(err.message).toMatch(/ParameterOutOfBounds\(0x[0-9a-f]+, 9500, 1, 9000\)/);
    expect((await chainState(ZeroOp)).nonce).toBe(nonce);
  });
});
const ZeroOp = keccakUtf8("none");

describe("the guardian Safe", () => {
  it("pauses borrowing and deposits through the Safe, and cannot unpause (refused as the Safe, state kept)", async () => {
    const guardian = await safeOf("guardianSafe");
    expect((await guardian.state()).threshold).toBe(1);
    const pool = new Interface(["function setBorrowsPaused(bool)", "function setDepositsPaused(bool)"]);
    await guardian.run(
      [
        { to: f.d.pool, value: 0n, data: pool.encodeFunctionData("setBorrowsPaused", [true]) },
        { to: f.d.pool, value: 0n, data: pool.encodeFunctionData("setDepositsPaused", [true]) },
      ],
      [f.owner2],
      { multiSendCallOnly: f.d.safe!.multiSendCallOnly },
    );
    expect(await f.c.pool.paused()).toEqual([true, true]);
    const nonce = await guardian.contract.nonce();
    const err = await guardian.run({ to: f.d.pool, value: 0n, data: pool.encodeFunctionData("setBorrowsPaused", [false]) }, [f.owner3]).catch((e) => e);
    expect(err).toBeInstanceOf(StrataContractError);
    expect(err.message).toMatch(new RegExp(`NotGovernance\\(${f.d.guardianSafe}\\)`, "i"));
    expect(await f.c.pool.paused()).toEqual([true, true]);
    expect(await guardian.contract.nonce()).toBe(nonce);
    // governance (the timelock, through the governance Safe) can unpause
    const g = await gov();
    const calls = [g.encode("pool", "setBorrowsPaused", [false])];
    const desc = "unpause borrowing";
    await g.safeSubmit(await g.safeSign(await g.safeSign(await g.safeSchedule(f.d.governanceSafe!, calls, desc)), f.owner2));
    await f.warp(f.d.timelockDelay);
    await g.safeSubmit(await g.safeSign(await g.safeSign(await g.safeExecute(f.d.governanceSafe!, calls, desc)), f.owner2));
    expect(await f.c.pool.paused()).toEqual([false, true]);
  });
});

describe("strata gov --safe", () => {
  const env = () => ({ RPC_URL: f.anvil.url, STRATA_DEPLOYMENT: f.deploymentPath, STRATA_PRIVATE_KEY: undefined });
  const run = (args: string[]) => cli(args, env());

  it("--sign-only by one owner, then another owner signs and executes; refusals are one line and send nothing", async () => {
    const sigs = join(tmp, "rate7.signatures.json");
    const base = ["gov", "propose", "proposals/local-senior-rate-4.json", "--safe", "governanceSafe", "--signatures", sigs, "--out", join(tmp, "cli")];
    const operationId = JSON.parse((await run(["gov", "encode", "proposals/local-senior-rate-4.json", "--out", join(tmp, "cli"), "--json"])).stdout).operationId;
    const before = await chainState(operationId);
    // the EOA alone holds no timelock role any more
    let r = await run(["--dev-account", "1", "gov", "propose", "proposals/local-senior-rate-4.json"]);
    expect({ code: r.code, line: errorLine(r) }).toMatchObject({ code: 1, line: expect.stringMatching(/lacks the timelock's PROPOSER_ROLE/) });
    // a non-owner cannot sign
    r = await run(["--dev-account", "5", ...base, "--sign-only"]);
    expect({ code: r.code, line: errorLine(r) }).toMatchObject({ code: 1, line: expect.stringMatching(/is not an owner of Safe/) });
    // owner 1 signs only: the file holds 1 of 2
    r = await run(["--dev-account", "1", ...base.slice(0, 2), "proposals/local-senior-rate-4.json", "--safe", "governanceSafe", "--out", join(tmp, "cli"), "--sign-only", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const defaultFile = JSON.parse(r.stdout).signatureFile as string;
    expect(JSON.parse(readFileSync(defaultFile, "utf8")).signatures).toHaveLength(1);
    r = await run(["--dev-account", "1", ...base, "--sign-only", "--json"]);
    expect(JSON.parse(r.stdout).signatures).toEqual([f.multisig.address]);
    // executing with 1 of 2 is refused
    r = await run(["--dev-account", "1", ...base]);
    expect({ code: r.code, line: errorLine(r) }).toMatchObject({ code: 1, line: expect.stringMatching(/threshold not met: 1 of 2 owner signatures/) });
    expect(await chainState(operationId)).toEqual(before);
    // owner 3 adds its signature and executes
    r = await run(["--dev-account", "3", ...base, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ operationId, signatures: [f.multisig.address, f.owner3.address] });
    expect(await f.c.timelock.getOperationState(operationId)).toBe(OP.Waiting);
    // the default file of the first --sign-only is now stale (its nonce is used)
    r = await run(["--dev-account", "2", "gov", "propose", "proposals/local-senior-rate-4.json", "--safe", "governanceSafe", "--signatures", defaultFile]);
    expect({ code: r.code, line: errorLine(r) }).toMatchObject({ code: 1, line: expect.stringMatching(/is stale: its Safe nonce \d+ is used/) });
    // execute: early is refused; after the delay two dev owners sign (--owners) and it runs
    r = await run(["--dev-account", "2", "gov", "execute", "proposals/local-senior-rate-4.json", "--safe", "governanceSafe", "--owners", "3"]);
    expect({ code: r.code, line: errorLine(r) }).toMatchObject({ code: 1, line: expect.stringMatching(/is not ready: executable from/) });
    await f.warp(f.d.timelockDelay);
    r = await run(["--dev-account", "2", "gov", "execute", "proposals/local-senior-rate-4.json", "--safe", "governanceSafe", "--owners", "3"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await f.c.timelock.getOperationState(operationId)).toBe(OP.Done);
  });

  it("cancel through the Safe; twice is refused", async () => {
    const propose = await run(["--dev-account", "1", "gov", "propose", "proposals/local-senior-rate-4.json", "--safe", "governanceSafe", "--owners", "2", "--out", join(tmp, "c2"), "--json"]);
    expect(propose.code, propose.stderr).toBe(0);
    const { operationId } = JSON.parse(propose.stdout);
    const cancel = ["--dev-account", "1", "gov", "cancel", operationId, "--safe", "governanceSafe", "--owners", "3"];
    expect((await run(cancel)).code).toBe(0);
    expect(await f.c.timelock.getOperationState(operationId)).toBe(OP.Unset);
    const r = await run(cancel);
    expect({ code: r.code, line: errorLine(r) }).toMatchObject({ code: 1, line: expect.stringMatching(/is not pending/) });
  });
});

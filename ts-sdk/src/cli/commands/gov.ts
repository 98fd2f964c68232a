// strata gov propose|execute|cancel|pending|encode: timelock proposals from files that name contracts by deployment
// key (ts-sdk/src/governance/proposal.ts), each batch simulated from the timelock's address before anything is scheduled.
// With `--safe <address|governanceSafe>` propose/execute/cancel are Safe transactions (the Safe holds the timelock's
// roles): built and checked by the Governance client, signed by the owners (the signer, and `--owners` dev accounts
// on 31337), collected in a signature file (`--sign-only` adds a signature and sends nothing; the next owner adds
// to the same file), executed once the threshold is met.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { type Signer, getAddress, isAddress } from "ethers";
import {
  type Deployment,
  Governance,
  NotSafeOwnerError,
  SafeAccount,
  SafeFileError,
  SafeNonceUsedError,
  type SafeSignature,
  type SafeTransaction,
  devAccount,
  fromSafeTxFile,
  safeTransactionFor,
  safeTxHash,
  toSafeTxFile,
  transactionBuilderCalls,
} from "../../index.ts";
import { type ResolvedProposal, deploymentAddress, operationIdOf, readProposalFile, resolveProposal, safeBatchFile, timelockCalldata } from "../../governance/proposal.ts";
import { type Context, UsageError, intArg, table, type Run, leaf } from "../context.ts";

interface Written {
  operationId: string;
  timelock: string;
  delay: bigint;
  scheduleCalldata: string;
  executeCalldata: string;
  files: { calldata: string; safeSchedule: string; safeExecute: string };
}

/** Writes the calldata and the two Safe Transaction Builder files next to the deployment (or into --out). */
async function writeArtifacts(ctx: Context, file: string, r: ResolvedProposal, delay: bigint, outDir?: string, safeAddress?: string): Promise<Written> {
  const d = await ctx.deployment();
  const name = basename(file).replace(/\.json$/, "");
  const dep = basename(ctx.deploymentPath).replace(/\.json$/, "");
  const dir = outDir ?? join(dirname(ctx.deploymentPath), "proposals");
  mkdirSync(dir, { recursive: true });
  const cd = timelockCalldata(r, delay);
  const operationId = operationIdOf(r);
  const base = join(dir, `${dep}.${name}`);
  const files = { calldata: `${base}.calldata.json`, safeSchedule: `${base}.safe-schedule.json`, safeExecute: `${base}.safe-execute.json` };
  const calls = r.calls.map((c) => ({ target: c.target, value: c.value.toString(), data: c.data, label: c.label }));
  writeFileSync(files.calldata, `${JSON.stringify({ description: r.description, chainId: d.chainId, timelock: d.timelock, operationId, delay: delay.toString(), calls, scheduleBatch: cd.schedule, executeBatch: cd.execute }, null, 2)}\n`);
  const from = safeAddress ?? d.governanceSafe;
  const safe = (data: string, what: string) => safeBatchFile({ chainId: d.chainId, timelock: d.timelock, data, name: `${what}: ${name}`, description: r.description, safe: from });
  writeFileSync(files.safeSchedule, `${JSON.stringify(safe(cd.schedule, "scheduleBatch"), null, 2)}\n`);
  writeFileSync(files.safeExecute, `${JSON.stringify(safe(cd.execute, "executeBatch"), null, 2)}\n`);
  return { operationId, timelock: d.timelock, delay, scheduleCalldata: cd.schedule, executeCalldata: cd.execute, files };
}

async function load(ctx: Context, file: string) {
  const d = await ctx.deployment();
  const provider = await ctx.provider();
  const r = await resolveProposal(readProposalFile(file), d, provider);
  return { d, provider, r };
}

/** `--safe`: an address or a deployment key ("governanceSafe"). */
function safeArg(d: Deployment, v: string): string {
  if (isAddress(v)) return getAddress(v);
  const a = deploymentAddress(d, v);
  if (!a) throw new UsageError(`--safe must be an address or a deployment key (governanceSafe), got "${v}"`);
  return a;
}

/** `--owners 1,2`: dev accounts (chain 31337) that sign as Safe owners. */
async function ownerSigners(ctx: Context, list?: string): Promise<Signer[]> {
  if (list === undefined) return [];
  const provider = await ctx.provider();
  return Promise.all(
    list.split(",").map((x) => {
      const n = Number(x.trim());
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--owners must be dev account indices like 1,2, got "${list}"`);
      return devAccount(n, provider);
    }),
  );
}

interface SafeOpts {
  safe?: string;
  signOnly?: boolean;
  signatures?: string;
  owners?: string;
}

/** Default signature file of a proposal's Safe transaction: next to the deployment, named after proposal and act. */
function signatureFile(ctx: Context, stem: string, action: string, o: SafeOpts): string {
  if (o.signatures) return o.signatures;
  const dep = basename(ctx.deploymentPath).replace(/\.json$/, "");
  return join(dirname(ctx.deploymentPath), "proposals", `${dep}.${stem}.safe-${action}.signatures.json`);
}

/**
 * The Safe path of propose/execute/cancel: `build(nonce)` makes the Safe transaction (the Governance client's checks);
 * an existing signature file fixes the nonce and must hold the same transaction (else it is stale); the signer (when
 * an owner) and the `--owners` sign; `--sign-only` writes the file; otherwise the transaction is executed (refused
 * with one line below the threshold, on a used nonce, a non-owner signature, or a failing timelock call).
 */
interface Signable {
  safe: string;
  chainId: number;
  tx: SafeTransaction;
  description: string;
  safeTxHash: string;
  signatures: SafeSignature[];
  operationId?: string;
}

async function viaSafe<P extends Signable, R>(ctx: Context, o: SafeOpts, file: string, build: (nonce?: bigint) => Promise<P>, submit: (p: P) => Promise<R>) {
  const provider = await ctx.provider();
  let prior: ReturnType<typeof fromSafeTxFile> | null = null;
  if (existsSync(file)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new SafeFileError(`cannot read signature file ${file}: ${(e as Error).message}`);
    }
    prior = fromSafeTxFile(raw, file);
    const safe = await SafeAccount.at(prior.safe, provider);
    const current = await safe.contract.nonce();
    if (prior.tx.nonce < current) {
      throw new SafeNonceUsedError(`${file} is stale: its Safe nonce ${prior.tx.nonce} is used (Safe ${prior.safe} is at ${current}); delete it and sign again`);
    }
  }
  let p = await build(prior?.tx.nonce);
  if (prior) {
    if (prior.safe !== p.safe || prior.chainId !== p.chainId) throw new SafeFileError(`${file} is for Safe ${prior.safe} on chain ${prior.chainId}, not ${p.safe} on ${p.chainId}`);
    const fromFile = toSafeTxFile(prior.chainId, prior.safe, prior.tx, prior.description).safeTxHash;
    if (fromFile !== p.safeTxHash) throw new SafeFileError(`${file} signs another transaction (safeTxHash ${fromFile}, this one ${p.safeTxHash}): the proposal changed, delete the file and sign again`);
    p = { ...p, signatures: prior.signatures };
  }
  const me = (await ctx.signer()) as Signer;
  const acct = await SafeAccount.at(p.safe, provider);
  const { owners, threshold } = await acct.state();
  const signers: Signer[] = [];
  if (owners.includes(getAddress(await me.getAddress())) || o.signOnly) signers.push(me); // sign-only by a non-owner: refused by safeSign
  signers.push(...(await ownerSigners(ctx, o.owners)));
  for (const s of signers) {
    const sig = await acct.sign(p.tx, s); // refused unless an owner
    p = { ...p, signatures: [...p.signatures.filter((x) => x.signer !== sig.signer), sig] };
  }
  const n = p.signatures.length;
  const meAddr = getAddress(await me.getAddress());
  if (!owners.includes(meAddr) && n < threshold) {
    throw new NotSafeOwnerError(`${meAddr} is not an owner of Safe ${p.safe} (owners: ${owners.join(", ")}) and the transaction has ${n} of ${threshold} signatures; nothing sent`);
  }
  if (o.signOnly) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(toSafeTxFile(p.chainId, p.safe, p.tx, p.description, p.signatures), null, 2)}\n`);
    ctx.print({ signatureFile: file, safe: p.safe, safeTxHash: p.safeTxHash, nonce: p.tx.nonce, operationId: p.operationId, signatures: p.signatures.map((x) => x.signer), threshold }, () =>
      `${p.description}\nSafe ${p.safe} transaction ${p.safeTxHash} (nonce ${p.tx.nonce})\n${n} of ${threshold} owner signatures (${p.signatures.map((x) => x.signer).join(", ")}): wrote ${file}\n${n >= threshold ? "threshold met: run the same command without --sign-only to execute" : "the next owner runs the same command (--sign-only to add a signature, or without it to sign and execute)"}`,
    );
    return null;
  }
  const res = await submit(p);
  if (existsSync(file)) rmSync(file); // its nonce is used now: the file can never execute again
  return { p, res, file };
}

function describe(r: ResolvedProposal): string {
  return table(["#", "call (resolved against this deployment)"], r.calls.map((c, i) => [String(i), c.label]));
}

export function registerGov(program: Command, run: Run): void {
  const gov = program.command("gov").description("governance through the timelock");

  gov
    .command("encode")
    .description("resolve a proposal against the deployment, simulate it as the timelock, write the calldata and Safe batch files (sends nothing)")
    .argument("<proposal>", "proposals/<name>.json")
    .option("--out <dir>", "where to write the calldata and Safe files (default: deployments/proposals/)")
    .option("--delay <seconds>", "scheduleBatch delay (default: the timelock's minimum)")
    .action(
      run(async (ctx: Context, file: string, o: { out?: string; delay?: string }) => {
        const { d, r } = await load(ctx, file);
        const g = await Governance.connect(await ctx.readOnlySigner(), d);
        await g.simulate(r.calls);
        const delay = o.delay !== undefined ? intArg(o.delay, "--delay") : await g.contracts.timelock.getMinDelay();
        const w = await writeArtifacts(ctx, file, r, delay, o.out);
        ctx.print({ description: r.description, calls: r.calls, ...w }, () =>
          `${describe(r)}\nsimulated as the timelock: every call succeeds\noperation ${w.operationId}\nscheduleBatch calldata (to ${w.timelock}, value 0):\n${w.scheduleCalldata}\nexecuteBatch calldata:\n${w.executeCalldata}\nwrote ${w.files.calldata}\n      ${w.files.safeSchedule} (Safe Transaction Builder)\n      ${w.files.safeExecute}`,
        );
      }),
    );

  gov
    .command("propose")
    .description("resolve, simulate the whole batch as the timelock (refused on any revert), then scheduleBatch")
    .argument("<proposal>", "proposals/<name>.json")
    .option("--out <dir>", "where to write the calldata and Safe files (default: deployments/proposals/)")
    .option("--delay <seconds>", "delay (default: the timelock's minimum)")
    .option("--safe <address>", "schedule through this Safe (an address, or governanceSafe): the owners sign, then it executes")
    .option("--sign-only", "with --safe: add the signer's signature to the signature file and send nothing")
    .option("--signatures <file>", "with --safe: the signature file (default: deployments/proposals/<deployment>.<proposal>.safe-schedule.signatures.json)")
    .option("--owners <indices>", "with --safe on chain 31337: dev accounts that sign as owners too, e.g. 1,2")
    .action(
      run(async (ctx: Context, file: string, o: { out?: string; delay?: string } & SafeOpts) => {
        const { d, r } = await load(ctx, file);
        const g = await Governance.connect(await ctx.signer(), d);
        await g.simulate(r.calls); // refuses before anything is sent, with the decoded revert
        const delay = o.delay !== undefined ? intArg(o.delay, "--delay") : await g.contracts.timelock.getMinDelay();
        if (o.safe !== undefined) {
          const safe = safeArg(d, o.safe);
          const w = await writeArtifacts(ctx, file, r, delay, o.out, safe);
          const stem = basename(file).replace(/\.json$/, "");
          const done = await viaSafe(ctx, o, signatureFile(ctx, stem, "schedule", o), (nonce) => g.safeSchedule(safe, r.calls, r.description, { delay, nonce }), (p) => g.safeSubmit(p, { onSent: ctx.onSent }));
          if (!done) return;
          const readyAt = await g.contracts.timelock.getTimestamp(done.res.operationId);
          ctx.print({ ...w, operationId: done.res.operationId, readyAt, hash: done.res.hash, safe, safeTxHash: done.res.safeTxHash, signatures: done.p.signatures.map((x) => x.signer) }, () =>
            `${describe(r)}\nSafe ${safe} scheduled operation ${done.res.operationId} (Safe tx ${done.res.safeTxHash}, signed by ${done.p.signatures.map((x) => x.signer).join(", ")}; tx ${done.res.hash})\nexecutable from ${new Date(Number(readyAt) * 1000).toISOString()}: strata gov execute ${file} --safe ${o.safe}`,
          );
          return;
        }
        const w = await writeArtifacts(ctx, file, r, delay, o.out);
        const res = await g.propose(r.calls, r.description, { delay, onSent: ctx.onSent });
        if (res.operationId !== w.operationId) throw new UsageError(`operation id mismatch: ${res.operationId} vs ${w.operationId}`);
        ctx.print({ ...w, operationId: res.operationId, readyAt: res.readyAt, hash: res.hash }, () =>
          `${describe(r)}\nscheduled operation ${res.operationId} (tx ${res.hash})\nexecutable from ${new Date(Number(res.readyAt) * 1000).toISOString()}: strata gov execute ${file}\nwrote ${w.files.calldata}, ${w.files.safeSchedule}, ${w.files.safeExecute}`,
        );
      }),
    );

  gov
    .command("execute")
    .description("execute a scheduled proposal once its delay has passed")
    .argument("<proposal>", "proposals/<name>.json")
    .option("--safe <address>", "execute through this Safe (an address, or governanceSafe)")
    .option("--sign-only", "with --safe: add the signer's signature to the signature file and send nothing")
    .option("--signatures <file>", "with --safe: the signature file (default: deployments/proposals/<deployment>.<proposal>.safe-execute.signatures.json)")
    .option("--owners <indices>", "with --safe on chain 31337: dev accounts that sign as owners too, e.g. 1,2")
    .action(
      run(async (ctx: Context, file: string, o: SafeOpts) => {
        const { d, r } = await load(ctx, file);
        const g = await Governance.connect(await ctx.signer(), d);
        if (o.safe !== undefined) {
          const safe = safeArg(d, o.safe);
          const stem = basename(file).replace(/\.json$/, "");
          const done = await viaSafe(ctx, o, signatureFile(ctx, stem, "execute", o), (nonce) => g.safeExecute(safe, r.calls, r.description, { nonce }), (p) => g.safeSubmit(p, { onSent: ctx.onSent }));
          if (!done) return;
          ctx.print({ operationId: done.res.operationId, hash: done.res.hash, safe, safeTxHash: done.res.safeTxHash, signatures: done.p.signatures.map((x) => x.signer) }, () =>
            `${describe(r)}\nSafe ${safe} executed operation ${done.res.operationId} (Safe tx ${done.res.safeTxHash}; tx ${done.res.hash})`,
          );
          return;
        }
        const res = await g.execute(r.calls, r.description, { onSent: ctx.onSent });
        ctx.print({ operationId: res.operationId, hash: res.hash }, () => `${describe(r)}\nexecuted operation ${res.operationId} (tx ${res.hash})`);
      }),
    );

  gov
    .command("cancel")
    .description("cancel a pending operation (CANCELLER_ROLE), by operation id or proposal file")
    .argument("<operation>", "operation id (0x…) or proposals/<name>.json")
    .option("--safe <address>", "cancel through this Safe (an address, or governanceSafe)")
    .option("--sign-only", "with --safe: add the signer's signature to the signature file and send nothing")
    .option("--signatures <file>", "with --safe: the signature file (default: deployments/proposals/<deployment>.<proposal or id>.safe-cancel.signatures.json)")
    .option("--owners <indices>", "with --safe on chain 31337: dev accounts that sign as owners too, e.g. 1,2")
    .action(
      run(async (ctx: Context, op: string, o: SafeOpts) => {
        const d = await ctx.deployment();
        const byId = /^0x[0-9a-fA-F]{64}$/.test(op);
        const id = byId ? op : operationIdOf((await load(ctx, op)).r);
        const g = await Governance.connect(await ctx.signer(), d);
        if (o.safe !== undefined) {
          const safe = safeArg(d, o.safe);
          const stem = byId ? id.slice(0, 18) : basename(op).replace(/\.json$/, "");
          const done = await viaSafe(ctx, o, signatureFile(ctx, stem, "cancel", o), (nonce) => g.safeCancel(safe, id, { nonce }), (p) => g.safeSubmit(p, { onSent: ctx.onSent }));
          if (!done) return;
          ctx.print({ operationId: id, hash: done.res.hash, safe, safeTxHash: done.res.safeTxHash }, () => `Safe ${safe} cancelled operation ${id} (Safe tx ${done.res.safeTxHash}; tx ${done.res.hash})`);
          return;
        }
        const res = await g.cancel(id, { onSent: ctx.onSent });
        ctx.print({ operationId: id, hash: res.hash }, () => `cancelled operation ${id} (tx ${res.hash})`);
      }),
    );

  gov
    .command("safe-tx")
    .description("any Safe transaction: a Transaction Builder file (one call, or a batch through MultiSendCallOnly) or --to/--data, signed by the owners, executed at the threshold")
    .argument("[file]", "a Safe Transaction Builder batch file (e.g. deployments/proposals/<…>.safe-schedule.json)")
    .requiredOption("--safe <address>", "the Safe (an address, or governanceSafe / guardianSafe)")
    .option("--to <address>", "without a file: the call's target")
    .option("--data <hex>", "without a file: the call's calldata", "0x")
    .option("--value <wei>", "without a file: the call's value in wei", "0")
    .option("--multisend <address>", "MultiSendCallOnly for a batch (default: the deployment's)")
    .option("--sign-only", "add the signer's signature to the signature file and send nothing")
    .option("--signatures <file>", "the signature file (default: deployments/proposals/<deployment>.<file or target>.safe-tx.signatures.json)")
    .option("--owners <indices>", "on chain 31337: dev accounts that sign as owners too, e.g. 1,2")
    .action(
      run(async (ctx: Context, file: string | undefined, o: SafeOpts & { safe: string; to?: string; data: string; value: string; multisend?: string }) => {
        const d = await ctx.deployment();
        const safe = safeArg(d, o.safe);
        let calls;
        if (file !== undefined) {
          if (o.to !== undefined) throw new UsageError("give a Transaction Builder file or --to/--data, not both");
          let raw: unknown;
          try {
            raw = JSON.parse(readFileSync(file, "utf8"));
          } catch (e) {
            throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
          }
          const t = transactionBuilderCalls(raw, file);
          if (t.chainId !== d.chainId) throw new SafeFileError(`${file} is for chain ${t.chainId}, the deployment is on ${d.chainId}`);
          calls = t.calls;
        } else {
          if (o.to === undefined || !isAddress(o.to)) throw new UsageError("give a Transaction Builder file, or --to <address> (with --data, --value)");
          if (!/^0x([0-9a-fA-F]{2})*$/.test(o.data)) throw new UsageError(`--data must be hex calldata, got "${o.data}"`);
          calls = [{ to: getAddress(o.to), value: intArg(o.value, "--value"), data: o.data }];
        }
        const multiSend = o.multisend ?? d.safe?.multiSendCallOnly;
        const acct = await SafeAccount.at(safe, await ctx.provider());
        const stem = file !== undefined ? basename(file).replace(/\.json$/, "") : `${getAddress(calls[0].to).slice(0, 10)}-${calls[0].data.slice(0, 10)}`;
        const what = file !== undefined ? `Transaction Builder batch ${basename(file)} (${calls.length} call${calls.length > 1 ? "s" : ""})` : `call ${calls[0].to} ${calls[0].data.slice(0, 10)}`;
        const done = await viaSafe(
          ctx,
          o,
          signatureFile(ctx, stem, "tx", o),
          async (nonce) => {
            const tx = safeTransactionFor(calls, nonce ?? (await acct.contract.nonce()), multiSend);
            return { safe, chainId: d.chainId, tx, description: what, safeTxHash: safeTxHash(d.chainId, safe, tx), signatures: [] as SafeSignature[] };
          },
          async (p) => acct.execute(p.tx, p.signatures, await ctx.signer(), { onSent: ctx.onSent, action: what }),
        );
        if (!done) return;
        ctx.print({ safe, safeTxHash: done.res.safeTxHash, hash: done.res.hash, signatures: done.p.signatures.map((x) => x.signer) }, () =>
          `Safe ${safe} executed ${what} (Safe tx ${done.res.safeTxHash}, signed by ${done.p.signatures.map((x) => x.signer).join(", ")}; tx ${done.res.hash})`,
        );
      }),
    );

  leaf(gov, run, "pending", "operations scheduled and not executed or cancelled, with state and ready time (from chain)", async (ctx) => {
    const d = await ctx.deployment();
    const g = await Governance.connect(await ctx.readOnlySigner(), d);
    const ops = await g.pending();
    ctx.print(ops, () =>
      ops.length === 0
        ? "no pending operation"
        : table(
            ["operation", "state", "ready at", "calls"],
            ops.map((o) => [o.id, o.state, new Date(Number(o.readyAt) * 1000).toISOString(), String(o.calls.length)]),
          ),
    );
  });
}

// strata gov propose|execute|cancel|pending|encode: timelock proposals from files that name contracts by deployment
// key (ts-sdk/src/proposal.ts), each batch simulated from the timelock's address before anything is scheduled.
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { VoidSigner, ZeroAddress } from "ethers";
import { Governance } from "../index.ts";
import { type ResolvedProposal, operationIdOf, readProposalFile, resolveProposal, safeBatchFile, timelockCalldata } from "../proposal.ts";
import { type Context, UsageError, intArg, table } from "./context.ts";
import type { Run } from "./main.ts";

interface Written {
  operationId: string;
  timelock: string;
  delay: bigint;
  scheduleCalldata: string;
  executeCalldata: string;
  files: { calldata: string; safeSchedule: string; safeExecute: string };
}

/** Writes the calldata and the two Safe Transaction Builder files next to the deployment (or into --out). */
async function writeArtifacts(ctx: Context, file: string, r: ResolvedProposal, delay: bigint, outDir?: string): Promise<Written> {
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
  const safe = (data: string, what: string) => safeBatchFile({ chainId: d.chainId, timelock: d.timelock, data, name: `${what}: ${name}`, description: r.description });
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
        const { d, provider, r } = await load(ctx, file);
        const g = await Governance.connect(new VoidSigner(ZeroAddress, provider), d);
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
    .action(
      run(async (ctx: Context, file: string, o: { out?: string; delay?: string }) => {
        const { d, r } = await load(ctx, file);
        const g = await Governance.connect(await ctx.signer(), d);
        await g.simulate(r.calls); // refuses before anything is sent, with the decoded revert
        const delay = o.delay !== undefined ? intArg(o.delay, "--delay") : await g.contracts.timelock.getMinDelay();
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
    .action(
      run(async (ctx: Context, file: string) => {
        const { d, r } = await load(ctx, file);
        const g = await Governance.connect(await ctx.signer(), d);
        const res = await g.execute(r.calls, r.description, { onSent: ctx.onSent });
        ctx.print({ operationId: res.operationId, hash: res.hash }, () => `${describe(r)}\nexecuted operation ${res.operationId} (tx ${res.hash})`);
      }),
    );

  gov
    .command("cancel")
    .description("cancel a pending operation (CANCELLER_ROLE), by operation id or proposal file")
    .argument("<operation>", "operation id (0x…) or proposals/<name>.json")
    .action(
      run(async (ctx: Context, op: string) => {
        const d = await ctx.deployment();
        const id = /^0x[0-9a-fA-F]{64}$/.test(op) ? op : operationIdOf((await load(ctx, op)).r);
        const g = await Governance.connect(await ctx.signer(), d);
        const res = await g.cancel(id, { onSent: ctx.onSent });
        ctx.print({ operationId: id, hash: res.hash }, () => `cancelled operation ${id} (tx ${res.hash})`);
      }),
    );

  gov
    .command("pending")
    .description("operations scheduled and not executed or cancelled, with state and ready time (from chain)")
    .action(
      run(async (ctx: Context) => {
        const d = await ctx.deployment();
        const g = await Governance.connect(new VoidSigner(ZeroAddress, await ctx.provider()), d);
        const ops = await g.pending();
        ctx.print(ops, () =>
          ops.length === 0
            ? "no pending operation"
            : table(
                ["operation", "state", "ready at", "calls"],
                ops.map((o) => [o.id, o.state, new Date(Number(o.readyAt) * 1000).toISOString(), String(o.calls.length)]),
              ),
        );
      }),
    );
}

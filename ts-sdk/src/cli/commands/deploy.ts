// strata deploy (script/Deploy.s.sol through the SDK's deployWithForge) and strata demo (the simulated year).
import type { Command } from "@commander-js/extra-typings";
import { deployWithForge } from "../../node.ts";
import { type Context, UsageError, kvTable, type Run } from "../context.ts";

export function registerDeploy(program: Command, run: Run): void {
  program
    .command("deploy")
    .description("deploy Strata with script/Deploy.s.sol from config/<network>.json; writes deployments/<name>.json")
    .option("--network <name>", "config/<name>.json", "local")
    .option("--name <name>", "deployment name (default: the network)")
    .action(
      run(async (ctx: Context, o: { network: string; name?: string }) => {
        if (!/^[A-Za-z0-9_-]+$/.test(o.network)) throw new UsageError(`--network must be a config name, got "${o.network}"`);
        const name = o.name ?? o.network;
        if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UsageError(`--name must be a file name, got "${name}"`);
        const url = ctx.rpcUrl();
        await ctx.provider(); // one-line error on a bad URL before forge starts
        const key = await ctx.privateKey();
        if (!ctx.json) ctx.progress(`deploying with forge script (config/${o.network}.json) to ${url}...`);
        const d = await deployWithForge(url, key, o.network, name);
        ctx.print({ file: `deployments/${name}.json`, ...d }, () =>
          kvTable([
            ["file", `deployments/${name}.json`],
            ["chain", String(d.chainId)],
            ["timelock", d.timelock],
            ["pool", d.pool],
            ["senior vault", d.seniorVault],
            ["junior vault", d.juniorVault],
            ["registry", d.registry],
            ["oracle", d.oracle],
            ["liquidator", d.liquidator],
            ["lens", d.lens],
            ["asset", d.asset],
            ["collections", d.collections.join(", ") || "-"],
          ]),
        );
      }),
    );
}

export function registerDemo(program: Command, run: Run): void {
  program
    .command("demo")
    .description("npm start: anvil, a full deployment, a simulated year (lenders, borrowers, a crash, the keeper bot); a table, demo-report.json and charts")
    .option("--keep", "leave anvil running with deployments/local.json (for the CLI and the web app)")
    .option("--weeks <n>", "weeks to simulate", "52")
    .option("--out <dir>", "where demo-report.json and demo-chart.svg go", ".")
    .action(
      run(async (ctx: Context, o: { keep?: boolean; weeks: string; out: string }) => {
        const weeks = Number(o.weeks);
        if (!Number.isInteger(weeks) || weeks < 36 || weeks > 104) throw new UsageError(`--weeks must be an integer in 36..104 (the crash is in week 30), got "${o.weeks}"`);
        const { runYear } = await import("../../demo/year.ts"); // echarts and the demo load only for `demo`
        await runYear({ keep: o.keep === true, weeks, outDir: o.out, json: ctx.json });
      }),
    );
}

// strata: the protocol's command line. Every command is a thin layer over the SDK (role clients, fetchers, entities,
// the one error decoder): no contract call or protocol rule of its own. Exit codes: 0 ok, 1 a failed transaction or
// check, 2 usage. Every error is one line (the SDK's typed message); --verbose adds the stack.
import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import { InvalidArgumentError, StrataError } from "../index.ts";
import { registerBorrow } from "./commands/borrow.ts";
import { Context, type GlobalOptions, type Run, UsageError } from "./context.ts";
import { registerDemo, registerDeploy } from "./commands/deploy.ts";
import { registerDev } from "./commands/dev.ts";
import { registerGov } from "./commands/gov.ts";
import { registerHistory } from "./commands/history.ts";
import { registerKeeper } from "./commands/keeper.ts";
import { registerLend } from "./commands/lend.ts";
import { registerAuction } from "./commands/auction.ts";
import { registerOracle } from "./commands/oracle.ts";
import { registerPool } from "./commands/pool.ts";
import { registerQueue } from "./commands/queue.ts";
import { registerStress } from "./commands/stress.ts";


export function buildProgram(): Command {
  const program = new Command()
    .name("strata")
    .description("Strata: pooled NFT-backed lending with senior/junior tranches (lend, borrow, keep, govern)")
    .addOption(new Option("--rpc <url>", "JSON-RPC URL (default: RPC_URL, or the rpcUrl the deployment file records)"))
    .addOption(new Option("--deployment <file>", "deployment file (default: STRATA_DEPLOYMENT or deployments/local.json)"))
    .addOption(new Option("--dev-account <n>", "sign with anvil dev account n (chain 31337 only)"))
    .addOption(new Option("--keystore <file>", "sign with an encrypted JSON keystore (password: STRATA_KEYSTORE_PASSWORD or prompt)"))
    .option("--json", "print results as JSON")
    .option("--verbose", "print stacks with errors")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride();
  program.addHelpText("after", "\nSigner for sending commands: --dev-account N, --keystore <file>, or STRATA_PRIVATE_KEY.\nExit codes: 0 ok, 1 failed transaction or check, 2 usage.");

  const run: Run =
    (fn) =>
    async (...args) => {
      const cmd = args[args.length - 1] as Command;
      const ctx = new Context(cmd.optsWithGlobals() as GlobalOptions);
      try {
        await fn(ctx, ...args);
      } finally {
        ctx.destroy();
      }
    };

  registerStress(registerPool(program, run), run);
  registerLend(program, run);
  registerBorrow(program, run);
  registerKeeper(program, run);
  registerAuction(program, run);
  registerQueue(program, run);
  registerOracle(program, run);
  registerGov(program, run);
  registerHistory(program, run);
  registerDeploy(program, run);
  registerDemo(program, run);
  registerDev(program, run);
  for (const c of program.commands) {
    c.exitOverride();
    for (const s of c.commands) s.exitOverride();
  }
  return program;
}

/** The exit code of an error: 2 for usage, 1 for anything else. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) return e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help" ? 0 : 2;
  if (e instanceof UsageError || e instanceof InvalidArgumentError) return 2;
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const verbose = argv.includes("--verbose");
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    const code = exitCodeOf(e);
    if (e instanceof CommanderError) return code; // commander printed its one-line message already
    const err = e as Error;
    const message = e instanceof StrataError ? err.message : oneLine(err);
    process.stderr.write(`strata: ${message}\n`);
    if (verbose && err?.stack) process.stderr.write(`${err.stack}\n`);
    return code;
  }
}

/** A foreign error (ethers, node) reduced to one line: its short message, without ethers' JSON payload. */
function oneLine(e: Error): string {
  const short = (e as { shortMessage?: string }).shortMessage ?? e?.message ?? String(e);
  return short.split("\n")[0].replace(/\s*\(\s*(action|code|info|request|error)=.*$/, "");
}

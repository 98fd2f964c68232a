// strata <command>: the protocol's command line (run through ts-sdk/bin/strata.mjs, on Node 22 type stripping).
//   strata demo                                             deploy to a throw-away anvil and run a short life cycle
//   strata status --rpc <URL> --deployment <deployments/x.json>   print a deployment's state
import { runDemo } from "./demo.ts";
import { readDeploymentFor } from "./node.ts";
import { StrataError } from "./errors.ts";
import { connectRpc } from "./signers.ts";
import { formatStatus, readStatus } from "./status.ts";

const USAGE = `usage:
  strata demo
      start anvil on a free port, deploy with script/Deploy.s.sol, list collections through the timelock,
      deposit, borrow, let time pass, repay, print the status, stop anvil
  strata status --rpc <URL> --deployment <deployments/<name>.json>
      print addresses, NAV, tranche values, share prices and recent loans of a deployment`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "demo":
      await runDemo();
      return 0;
    case "status": {
      const rpc = flag(args, "--rpc") ?? process.env.RPC_URL;
      const deployment = flag(args, "--deployment");
      if (!rpc || !deployment) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
      }
      const provider = await connectRpc(rpc);
      try {
        const d = await readDeploymentFor(deployment, provider);
        process.stdout.write(`${formatStatus(d, await readStatus(d, provider))}\n`);
      } finally {
        provider.destroy();
      }
      return 0;
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`strata: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as Error;
    process.stderr.write(`strata: ${e instanceof StrataError ? e.message : (e.stack ?? String(e))}\n`);
    process.exit(1);
  },
);

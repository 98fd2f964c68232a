// One anvil + one forge-script deployment per test file, governed into a usable state (the example proposal through
// the timelock: two collections listed, a reporter appointed), prices pushed; `snapshot()`/`revert()` around cases.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { type Contract, JsonRpcProvider, Wallet, ZeroHash, hexlify, parseUnits } from "ethers";
import { ANVIL_KEYS, type Anvil, startAnvil } from "../src/dev/anvil.ts";
import { type StrataContracts, connectContracts, devCollectionAt, devStablecoinAt } from "../src/chain/contracts.ts";
import type { Deployment } from "../src/chain/deployment.ts";
import { REPO_ROOT } from "../src/dev/artifacts.ts";
import { ForgeError, deployWithForge } from "../src/dev/forge.ts";
import { readProposal } from "../src/node.ts";
import { SafeAccount } from "../src/chain/safe.ts";
import { send } from "../src/chain/tx.ts";

export interface Fixture {
  anvil: Anvil;
  provider: JsonRpcProvider;
  d: Deployment;
  deploymentPath: string;
  c: StrataContracts;
  /** anvil #1: an owner of the governance Safe (2 of #1, #2, #3), which holds the timelock's roles. */
  multisig: Wallet;
  /** The other owners of the governance Safe: anvil #2 and #3. */
  owner2: Wallet;
  owner3: Wallet;
  reporter: Wallet;
  lender: Wallet;
  lender2: Wallet;
  borrower: Wallet;
  keeper: Wallet;
  /** Amount in asset units: `usd(100)` = 100 tokens. */
  usd: (x: number | string) => bigint;
  warp: (seconds: number) => Promise<void>;
  now: () => Promise<bigint>;
  snapshot: () => Promise<string>;
  /** Schedules `calls` as one timelock batch through the governance Safe, waits the delay, executes it. */
  govern: (calls: { target: string; data: string }[]) => Promise<void>;
  revert: (id: string) => Promise<void>;
  mintAsset: (to: Wallet, amount: bigint) => Promise<void>;
  mintNft: (collection: string, to: Wallet, tokenId: bigint) => Promise<void>;
  stop: () => Promise<void>;
}

export async function setupFixture(opts: { anvilArgs?: string[] } = {}): Promise<Fixture> {
  // a set-up that stalls says where, every 30 s, on stderr (a hook timeout alone names nothing)
  const t0 = Date.now();
  let step = "starting anvil";
  const watchdog = setInterval(() => process.stderr.write(`setupFixture: still ${step} after ${Math.round((Date.now() - t0) / 1000)} s\n`), 30_000);
  watchdog.unref();
  try {
    return await setup(opts, (s) => (step = s));
  } finally {
    clearInterval(watchdog);
  }
}

/** How long one forge-script deployment may take before it is retried once (it takes about 1.5 s). */
const DEPLOY_TIMEOUT_MS = 45_000;

/**
 * anvil, then script/Deploy.s.sol on it as deployment `name`. A deployment seen stalling once under CI load is
 * retried once on a fresh node, after printing what forge said (a second stall fails with forge's output).
 */
export async function deployFresh(name: string, anvilArgs: string[] = [], at: (step: string) => void = () => {}): Promise<{ anvil: Anvil; d: Deployment }> {
  let anvil = await startAnvil(anvilArgs);
  try {
    at(`deploying with forge script on ${anvil.url}`);
    return { anvil, d: await deployWithForge(anvil.url, ANVIL_KEYS[0], "local", name, DEPLOY_TIMEOUT_MS) };
  } catch (e) {
    await anvil.stop();
    if (!(e instanceof ForgeError)) throw e;
    process.stderr.write(`deployFresh: ${e.message}\ndeployFresh: retrying the deployment on a fresh anvil\n`);
  }
  anvil = await startAnvil(anvilArgs);
  try {
    at(`deploying again with forge script on ${anvil.url}`);
    return { anvil, d: await deployWithForge(anvil.url, ANVIL_KEYS[0], "local", name, DEPLOY_TIMEOUT_MS) };
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

async function setup(opts: { anvilArgs?: string[] }, at: (step: string) => void): Promise<Fixture> {
  const name = `test-sdk-${randomBytes(4).toString("hex")}`;
  const deploymentPath = join(REPO_ROOT, "deployments", `${name}.json`);
  let anvil: Anvil | undefined;
  try {
    const fresh = await deployFresh(name, opts.anvilArgs ?? [], at);
    anvil = fresh.anvil;
    const node = fresh.anvil;
    const d = fresh.d;
    at("listing the collections through the governance Safe and the timelock");
    const provider = new JsonRpcProvider(node.url, 31337, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1 });
    const w = ANVIL_KEYS.map((k) => new Wallet(k, provider));
    const [, multisig, owner2, owner3, reporter, lender, lender2, borrower, keeper] = w;
    const c = connectContracts(d, provider);
    const batch = readProposal("proposals/test/raw-local-list-collections.json", d, REPO_ROOT);
    const delay = await c.timelock.getMinDelay();
    const args = [batch.targets, batch.values, batch.payloads, batch.predecessor, batch.salt] as const;
    // the governance Safe (the timelock's only proposer and executor): owners #1 and #2 sign, #1 submits
    const safe = await SafeAccount.at(d.governanceSafe!, provider);
    const tl = c.timelock.interface;
    await safe.run({ to: d.timelock, value: 0n, data: tl.encodeFunctionData("scheduleBatch", [...args, delay]) }, [multisig, owner2]);
    const warp = async (seconds: number) => {
      await provider.send("evm_increaseTime", [seconds]);
      await provider.send("evm_mine", []);
    };
    await warp(Number(delay));
    await safe.run({ to: d.timelock, value: 0n, data: tl.encodeFunctionData("executeBatch", [...args]) }, [multisig, owner2]);
    at("pushing the first prices");
    const decimals = Number(await c.asset.decimals());
    const usd = (x: number | string) => parseUnits(String(x), decimals);
    const oracle = c.oracle.connect(reporter);
    await send(oracle, "pushPrice", [d.collections[0], usd(100_000)]);
    await send(oracle, "pushPrice", [d.collections[1], usd(40_000)]);
    const dev = devStablecoinAt(d.asset, provider);
    return {
      anvil: node,
      provider,
      d,
      deploymentPath,
      c,
      multisig,
      owner2,
      owner3,
      reporter,
      lender,
      lender2,
      borrower,
      keeper,
      usd,
      warp,
      now: async () => BigInt((await provider.getBlock("latest"))!.timestamp),
      snapshot: async () => (await provider.send("evm_snapshot", [])) as string,
      govern: async (calls) => {
        const salt = hexlify(randomBytes(32));
        const batch = [calls.map((x) => x.target), calls.map(() => 0n), calls.map((x) => x.data), ZeroHash, salt] as const;
        const delay = await c.timelock.getMinDelay();
        const tlIface = c.timelock.interface;
        await safe.run({ to: d.timelock, value: 0n, data: tlIface.encodeFunctionData("scheduleBatch", [...batch, delay]) }, [multisig, owner2]);
        await warp(Number(delay));
        await safe.run({ to: d.timelock, value: 0n, data: tlIface.encodeFunctionData("executeBatch", [...batch]) }, [multisig, owner2]);
      },
      revert: async (id: string) => {
        await provider.send("evm_revert", [id]);
        // anvil keeps the time offset of reverted warps: pin the clock back to the restored chain
        const t = (await provider.getBlock("latest"))!.timestamp;
        await provider.send("evm_setTime", [t + 1]);
        await provider.send("evm_mine", []);
      },
      mintAsset: async (to, amount) => {
        await send(dev.connect(to) as unknown as Contract, "mint", [to.address, amount]);
      },
      mintNft: async (collection, to, tokenId) => {
        await send(devCollectionAt(collection, to) as unknown as Contract, "mint", [to.address, tokenId]);
      },
      stop: async () => {
        provider.destroy();
        await node.stop();
        rmSync(deploymentPath, { force: true });
      },
    };
  } catch (e) {
    await anvil?.stop();
    rmSync(deploymentPath, { force: true });
    throw e;
  }
}

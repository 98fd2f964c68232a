// `strata demo`: a short, self-contained life cycle on a throw-away anvil node.
// 1. anvil on a free port; 2. `forge script script/Deploy.s.sol --broadcast` with anvil's first key (config/local.json:
// dev stablecoin, two dev collections, timelock governed by anvil account #1); 3. the committed example proposal
// (proposals/local-list-collections.json) goes through the timelock: schedule, evm_increaseTime, execute; 4. prices,
// deposits in both tranches, loans, time, repayments; 5. the status table; anvil is stopped whatever happens.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { Contract, JsonRpcProvider, MaxUint256, Wallet, ZeroAddress, ZeroHash, parseUnits } from "ethers";
import { ANVIL_KEYS, type Anvil, forgeBinary, startAnvil } from "./anvil.ts";
import { REPO_ROOT, loadArtifact } from "./artifacts.ts";
import { type Deployment, bind, readDeployment, readProposal } from "./deployment.ts";
import { StrataError } from "./errors.ts";
import { borrowCall } from "./loans.ts";
import { formatStatus, readStatus } from "./status.ts";
import { exec } from "./tx.ts";

export class DemoError extends StrataError {}

export const DEMO_DEPLOYMENT = "local-demo";
export const EXAMPLE_PROPOSAL = "proposals/local-list-collections.json";
const DAY = 86_400;

/** Runs `forge script script/Deploy.s.sol --broadcast` against `rpcUrl`; returns the deployment it wrote. */
export async function deployWithForge(rpcUrl: string, privateKey: string, network: string, name: string): Promise<Deployment> {
  const args = ["script", "script/Deploy.s.sol", "--rpc-url", rpcUrl, "--private-key", privateKey, "--broadcast"];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(forgeBinary(), args, {
      cwd: REPO_ROOT,
      env: { ...process.env, NETWORK: network, DEPLOYMENT: name, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new DemoError(`forge script failed (exit ${code}):\n${out.split("\n").slice(-30).join("\n")}`)),
    );
  });
  if (!/ONCHAIN EXECUTION COMPLETE & SUCCESSFUL/.test(output)) throw new DemoError(`forge script did not broadcast:\n${output}`);
  return readDeployment(join(REPO_ROOT, "deployments", `${name}.json`));
}

export async function runDemo(log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
  const t0 = Date.now();
  const step = (msg: string) => log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
  let anvil: Anvil | undefined;
  try {
    anvil = await startAnvil();
    step(`anvil listening on ${anvil.url} (pid ${anvil.pid})`);
    const d = await deployWithForge(anvil.url, ANVIL_KEYS[0], "local", DEMO_DEPLOYMENT);
    step(`deployed with forge script (deployer ${d.deployer}, holds no role) -> deployments/${DEMO_DEPLOYMENT}.json`);

    const provider = new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
    const [, multisig, guardian, , reporter, juniorLender, seniorLender, borrower] = ANVIL_KEYS.map((k) => new Wallet(k, provider));
    void guardian;
    const c = bind(d, provider);
    const warp = async (seconds: number) => {
      await provider.send("evm_increaseTime", [seconds]);
      await provider.send("evm_mine", []);
    };

    // --- governance: the example proposal through the timelock
    const batch = readProposal(EXAMPLE_PROPOSAL, d);
    const timelock = c.timelock.connect(multisig) as Contract;
    const delay = (await timelock.getMinDelay()) as bigint;
    const args = [batch.targets, batch.values, batch.payloads, batch.predecessor, batch.salt] as const;
    await exec(timelock, "scheduleBatch", [...args, delay]);
    const opId = (await timelock.hashOperationBatch(...args)) as string;
    step(`proposal scheduled by the multisig: "${batch.description.slice(0, 60)}…" (op ${opId.slice(0, 10)}…)`);
    await warp(Number(delay));
    await exec(timelock, "executeBatch", [...args]);
    const [collA, collB] = d.collections;
    const [, listedA] = await c.registry.collection(collA);
    const [, listedB] = await c.registry.collection(collB);
    if (!listedA || !listedB) throw new DemoError("the example proposal did not list the dev collections: is deployments/local-demo.json from a fresh anvil?");
    step(`executed after ${delay} s: 2 collections listed, reporter appointed, senior rate 6 %`);

    // --- prices, lenders, borrowers
    const units = Number(await c.asset.decimals());
    const usd = (x: number) => parseUnits(String(x), units);
    const oracle = c.oracle.connect(reporter) as Contract;
    await exec(oracle, "pushPrice", [collA, usd(100_000)]);
    await exec(oracle, "pushPrice", [collB, usd(40_000)]);
    step("reporter pushed floor prices: 100,000 and 40,000");

    const deposit = async (w: Wallet, vault: Contract, amount: bigint) => {
      await exec(c.asset.connect(w) as Contract, "mint", [w.address, amount]);
      await exec(c.asset.connect(w) as Contract, "approve", [await vault.getAddress(), amount]);
      await exec(vault.connect(w) as Contract, "deposit", [amount, w.address]);
    };
    await deposit(juniorLender, c.junior, usd(300_000));
    await deposit(seniorLender, c.senior, usd(700_000));
    step("deposits: 300,000 junior, 700,000 senior");

    const pool = c.pool.connect(borrower) as Contract;
    const nftAbi = loadArtifact("DevCollection").abi as never;
    const loans: bigint[] = [];
    const borrow = async (collection: string, tokenId: number, principal: bigint, days: number, delegate?: string) => {
      const nft = new Contract(collection, nftAbi, borrower);
      await exec(nft, "mint", [borrower.address, tokenId]);
      await exec(nft, "approve", [d.pool, tokenId]);
      const id = (await c.pool.nextLoanId()) as bigint;
      const { method, args } = borrowCall({
        collection,
        tokenId: BigInt(tokenId),
        principal,
        duration: BigInt(days * DAY),
        maxApr: MaxUint256,
        delegate,
      });
      await exec(pool, method, args);
      loans.push(id);
    };
    // The first loan keeps the NFT's utility: the borrower's hot wallet is its delegate.xyz delegate (SPEC §3.7).
    const hot = new Wallet(ANVIL_KEYS[3]).address;
    const delegations = new Contract(d.delegateRegistry ?? ZeroAddress, loadArtifact("IDelegateRegistry").abi as never, provider);
    const delegated = async () =>
      (await delegations.checkDelegateForERC721(hot, d.pool, collA, 1, ZeroHash)) as boolean;
    await borrow(collA, 1, usd(40_000), 30, d.delegateRegistry ? hot : undefined);
    await borrow(collA, 2, usd(25_000), 60);
    await borrow(collB, 1, usd(12_000), 20);
    await borrow(collB, 2, usd(8_000), 14);
    step("4 loans originated (40,000 / 25,000 / 12,000 / 8,000)");
    if (d.delegateRegistry) step(`loan #1's NFT delegated to ${hot} (delegate.xyz check: ${await delegated()})`);

    await warp(15 * DAY);
    step("15 days pass");
    await exec(c.asset.connect(borrower) as Contract, "mint", [borrower.address, usd(200_000)]);
    await exec(c.asset.connect(borrower) as Contract, "approve", [d.pool, MaxUint256]);
    const full = async (id: bigint) => {
      const owed = (await c.lens.debt(id)) as bigint;
      await exec(pool, "repay", [id, owed + owed / 1000n]); // only the debt at execution is taken
    };
    await full(loans[0]);
    await full(loans[3]);
    const l1 = await c.pool.loan(loans[1]);
    const interest = ((await c.lens.debt(loans[1])) as bigint) - (l1.principal as bigint);
    await exec(pool, "repay", [loans[1], interest + usd(5_000)]);
    step("repayments: loans #1 and #4 in full, #2 interest + 5,000 principal");
    if (d.delegateRegistry) step(`loan #1 repaid: its delegation revoked (delegate.xyz check: ${await delegated()})`);

    log("");
    log(formatStatus(d, await readStatus(d, provider)));
    log("");
    step("done");
    provider.destroy();
  } finally {
    await anvil?.stop();
  }
}

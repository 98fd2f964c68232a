// The SDK's oracle update (ts-sdk/src/math/oracle.ts) equals AppraisalOracle's to the wei, proved on a real anvil node:
// the implementation is deployed behind an ERC1967Proxy from forge's artifacts, and a sequence of pushes with time
// warps is replayed in the SDK from the same block timestamps.
import { Contract, ContractFactory, Interface, JsonRpcProvider, NonceManager, Wallet, getAddress } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadArtifact } from "../src/dev/artifacts.ts";
import * as o from "../src/math/oracle.ts";
import { exec, mined } from "../src/chain/tx.ts";
import { type Anvil, startAnvil } from "./anvil.ts";

const ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const COLLECTION = getAddress("0x00000000000000000000000000000000000c0113");
const E18 = 10n ** 18n;

let anvil: Anvil;
let provider: JsonRpcProvider;
let oracle: Contract;

async function deployProxied(wallet: NonceManager): Promise<Contract> {
  const implArt = loadArtifact("AppraisalOracle");
  const proxyArt = loadArtifact("ERC1967Proxy");
  const impl = await (await new ContractFactory(implArt.abi as never, implArt.bytecode, wallet).deploy()).waitForDeployment();
  const iface = new Interface(implArt.abi as never);
  const init = iface.encodeFunctionData("initialize", [await wallet.getAddress(), "0x0000000000000000000000000000000000000000"]);
  const proxy = await (
    await new ContractFactory(proxyArt.abi as never, proxyArt.bytecode, wallet).deploy(await impl.getAddress(), init)
  ).waitForDeployment();
  return new Contract(await proxy.getAddress(), implArt.abi as never, wallet);
}

async function warp(seconds: number): Promise<void> {
  if (seconds === 0) return;
  await provider.send("evm_increaseTime", [seconds]);
  await provider.send("evm_mine", []);
}

async function chainRecord(): Promise<o.OracleCollection> {
  const r = await oracle.collectionInfo(COLLECTION);
  return { value: r.value, updatedAt: r.updatedAt, window: r.window, maxDeviationBps: r.maxDeviationBps, maxAge: r.maxAge };
}

/** Sends a push and returns the timestamp of the block that included it. */
async function push(price: bigint): Promise<bigint> {
  // A push of an unchanged value at an unchanged timestamp writes nothing: `exec` adds a gas margin over the estimate.
  const receipt = await exec(oracle, "pushPrice", [COLLECTION, price]);
  const block = await provider.getBlock(receipt.blockNumber);
  if (!block) throw new Error("block not found");
  return BigInt(block.timestamp);
}

async function now(): Promise<bigint> {
  const block = await provider.getBlock("latest");
  if (!block) throw new Error("block not found");
  return BigInt(block.timestamp);
}

beforeAll(async () => {
  anvil = await startAnvil();
  // cacheTimeout -1: no response caching, so "latest" is always the block just mined after a time warp
  provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  // NonceManager: nonces are tracked locally, never read back from a (possibly cached) pending-nonce query
  const wallet = new NonceManager(new Wallet(ANVIL_KEY_0, provider));
  oracle = await deployProxied(wallet);
  await mined(await oracle.setReporter(await wallet.getAddress(), true));
  await mined(await oracle.configureCollection(COLLECTION, 3600, 5000, 86_400));
});
afterAll(async () => anvil?.stop());

describe("AppraisalOracle port", () => {
  it("replays a sequence of pushes with time warps to the wei", async () => {
    let sdk = await chainRecord();
    expect(sdk).toEqual({ value: 0n, updatedAt: 0n, window: 3600n, maxDeviationBps: 5000n, maxAge: 86_400n });
    const steps: [number, bigint][] = [
      [0, 1000n * E18 + 1n], // first push: set directly
      [600, 1200n * E18 + 7n],
      [1, 950n * E18 + 3n],
      [1799, 1300n * E18 - 11n],
      [0, 1111n * E18],
      [333, 999n * E18 + 999n],
      [7200, 777n * E18 + 5n], // beyond the window: takes the price
      [59, 1000n * E18],
    ];
    let moved = 0;
    for (const [dt, price] of steps) {
      await warp(dt);
      const t = await push(price);
      const before = sdk.value;
      sdk = o.applyPush(sdk, price, t);
      const chain = await chainRecord();
      expect(chain).toEqual(sdk);
      if (sdk.value !== before && sdk.value !== price) moved++; // a genuine partial EMA step
    }
    expect(moved).toBeGreaterThanOrEqual(4);
  });

  it("predicts a deviation revert exactly", async () => {
    const sdk = await chainRecord();
    const t = (await now()) + 1n;
    const maxOk = sdk.value + (sdk.value * 5000n) / 10_000n;
    expect(() => o.applyPush(sdk, maxOk + 1n, t)).toThrow(o.PriceDeviationTooHighError);
    const err = await oracle.pushPrice.staticCall(COLLECTION, maxOk + 1n).catch((e: unknown) => e);
    const revert = (err as { revert?: { name: string; args: unknown[] } }).revert;
    expect(revert?.name).toBe("PriceDeviationTooHigh");
    expect(revert?.args).toEqual([COLLECTION, maxOk + 1n, sdk.value, 5000n]);
    // the bound itself is accepted by both
    expect(o.applyPush(sdk, maxOk, t).value).toBeGreaterThan(0n);
    await oracle.pushPrice.staticCall(COLLECTION, maxOk);
  });

  it("emaUpdate equals the contract's on a grid of inputs", async () => {
    const values = [1n, 2n, 999n, 10n ** 6n + 1n, 1234n * E18 + 567n, (1n << 128n) - 1n];
    const windows = [0n, 1n, 7n, 3600n, 604_800n];
    const elapsed = [0n, 1n, 6n, 1800n, 604_799n, 10n ** 9n];
    const cases: [bigint, bigint, bigint, bigint][] = [];
    for (const value of values) {
      for (const price of [1n, value / 2n + 1n, value, value + value / 3n]) {
        for (const w of windows) for (const e of elapsed) cases.push([value, price, e, w]);
      }
    }
    const onChain: bigint[] = await Promise.all(cases.map(([v, p, e, w]) => oracle.emaUpdate(v, p, e, w)));
    let compared = 0;
    cases.forEach(([v, p, e, w], i) => {
      expect(onChain[i], `emaUpdate(${v}, ${p}, ${e}, ${w})`).toBe(o.emaUpdate(v, p, e, w));
      compared++;
    });
    expect(compared).toBe(6 * 4 * 5 * 6);
  });

  it("floorPrice freshness matches, including the maxAge boundary", async () => {
    const pushedAt = await push((await chainRecord()).value);
    const rec = await chainRecord();
    // read the view at an exact mined block, so block.timestamp is that block's
    const at = async (): Promise<{ t: bigint; chain: { price: bigint; updatedAt: bigint; fresh: boolean } }> => {
      const block = await provider.getBlock("latest");
      if (!block) throw new Error("block not found");
      const r = await oracle.floorPrice(COLLECTION, { blockTag: block.number });
      return { t: BigInt(block.timestamp), chain: { price: r[0], updatedAt: r[1], fresh: r[2] } };
    };
    await warp(3600);
    const a = await at();
    expect(a.chain).toEqual(o.floorPrice(rec, a.t));
    expect(a.chain.fresh).toBe(true);
    // mine the next block exactly at the boundary, then one second past it
    await provider.send("evm_mine", [Number(pushedAt) + 86_400]);
    const b = await at();
    expect(b.t).toBe(pushedAt + 86_400n);
    expect(b.chain).toEqual(o.floorPrice(rec, b.t));
    expect(b.chain.fresh).toBe(true);
    await provider.send("evm_mine", [Number(pushedAt) + 86_401]);
    const c = await at();
    expect(c.chain).toEqual(o.floorPrice(rec, c.t));
    expect(c.chain.fresh).toBe(false);
  });

  it("rejects zero, oversized and unconfigured pushes with typed errors", () => {
    const rec: o.OracleCollection = { value: 5n, updatedAt: 1n, window: 10n, maxDeviationBps: 100n, maxAge: 60n };
    expect(() => o.applyPush(rec, 0n, 2n)).toThrow(o.InvalidPriceError);
    expect(() => o.applyPush(rec, o.MAX_PRICE + 1n, 2n)).toThrow(o.InvalidPriceError);
    expect(() => o.applyPush({ ...rec, maxAge: 0n }, 5n, 2n)).toThrow(o.UnknownCollectionError);
    expect(o.withinDeviation(10_000n, 10_100n, 100n)).toBe(true);
    expect(o.withinDeviation(10_000n, 10_101n, 100n)).toBe(false);
    expect(o.withinDeviation(10_000n, 9_900n, 100n)).toBe(true);
    expect(o.withinDeviation(10_000n, 9_899n, 100n)).toBe(false);
  });
});

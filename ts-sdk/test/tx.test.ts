// `send` (ts-sdk/src/chain/tx.ts) against a real anvil: the JSON-RPC requests one write costs (its round-trip budget), a
// transaction the node has not mined yet (automine off), a replaced one, a revert decoded with nothing sent, and the
// fallback path of a signer that is not a local key (anvil's unlocked account through a JsonRpcSigner).
import type { Contract, JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devStablecoinAt } from "../src/chain/contracts.ts";
import { StrataContractError, TransactionFailedError } from "../src/errors.ts";
import { send } from "../src/chain/tx.ts";
import { type Fixture, setupFixture } from "./fixture.ts";

let f: Fixture;

/** Every HTTP round trip `provider` makes while `fn` runs, as the list of its JSON-RPC methods. */
async function roundTrips(provider: JsonRpcProvider, fn: () => Promise<unknown>): Promise<string[][]> {
  const trips: string[][] = [];
  const p = provider as unknown as { _send: (payload: unknown) => Promise<unknown> };
  const original = p._send;
  p._send = function (this: unknown, payload: unknown) {
    trips.push((Array.isArray(payload) ? payload : [payload]).map((x) => (x as { method: string }).method).sort());
    return original.call(this, payload);
  };
  try {
    await fn();
  } finally {
    p._send = original;
  }
  return trips;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  f = await setupFixture();
}, 120_000);

afterAll(async () => {
  await f?.stop();
});

describe("send", () => {
  it("a local key's write is three round trips: {simulation, estimate, nonce, fees} -> raw transaction -> receipt", async () => {
    const token = devStablecoinAt(f.d.asset, f.lender) as unknown as Contract;
    let result: Awaited<ReturnType<typeof send>> | undefined;
    let sent = "";
    const trips = await roundTrips(f.provider, async () => {
      result = await send(token, "mint", [f.lender.address, f.usd(5)], { onSent: (h) => (sent = h) });
    });
    expect(trips).toEqual([
      ["eth_call", "eth_estimateGas", "eth_gasPrice", "eth_getBlockByNumber", "eth_getTransactionCount", "eth_maxPriorityFeePerGas"],
      ["eth_sendRawTransaction"],
      ["eth_getTransactionReceipt"],
    ]);
    expect(result!.hash).toBe(sent);
    expect(result!.receipt.hash).toBe(result!.hash);
    expect(result!.receipt.from).toBe(f.lender.address);
    expect(result!.events.map((e) => e.name)).toEqual(["Transfer"]);
    expect(result!.events[0].args.value).toBe(f.usd(5));
  });

  it("waits for a transaction the node has not mined yet, then returns its receipt and events", async () => {
    const token = devStablecoinAt(f.d.asset, f.lender) as unknown as Contract;
    await f.provider.send("evm_setAutomine", [false]);
    try {
      let sent = "";
      const pending = send(token, "mint", [f.lender.address, f.usd(7)], { onSent: (h) => (sent = h) });
      for (let i = 0; i < 100 && !sent; i++) await sleep(20);
      expect(sent).toMatch(/^0x[0-9a-f]{64}$/);
      await sleep(150); // a few polls with no receipt
      expect(await f.provider.getTransactionReceipt(sent)).toBeNull();
      await f.provider.send("evm_mine", []);
      const r = await pending;
      expect(r.hash).toBe(sent);
      expect(r.receipt.status).toBe(1);
      expect(r.events[0].args.value).toBe(f.usd(7));
    } finally {
      await f.provider.send("evm_setAutomine", [true]);
    }
  });

  it("a transaction replaced in the mempool (its nonce used by another) fails with TransactionFailedError", async () => {
    const token = devStablecoinAt(f.d.asset, f.lender2) as unknown as Contract;
    await f.provider.send("evm_setAutomine", [false]);
    try {
      let sent = "";
      const pending = send(token, "mint", [f.lender2.address, f.usd(1)], { onSent: (h) => (sent = h) });
      pending.catch(() => undefined);
      for (let i = 0; i < 100 && !sent; i++) await sleep(20);
      const tx = await f.provider.getTransaction(sent);
      // the same nonce, a higher fee: anvil replaces the pending mint with a plain transfer
      await f.lender2.sendTransaction({
        to: f.lender2.address,
        value: 0n,
        nonce: tx!.nonce,
        maxFeePerGas: tx!.maxFeePerGas! * 2n,
        maxPriorityFeePerGas: tx!.maxPriorityFeePerGas! * 2n,
        gasLimit: 21_000n,
      });
      await f.provider.send("evm_mine", []);
      await expect(pending).rejects.toBeInstanceOf(TransactionFailedError);
      await expect(pending).rejects.toThrow(new RegExp(`${sent} was replaced or dropped \\(nonce ${tx!.nonce} of ${f.lender2.address} is used\\)`));
    } finally {
      await f.provider.send("evm_setAutomine", [true]);
    }
  });

  it("a revert is the decoded custom error, and nothing is sent", async () => {
    const oracle = f.c.oracle.connect(f.keeper) as unknown as Contract;
    const nonce = await f.provider.getTransactionCount(f.keeper.address);
    const e = await send(oracle, "pushPrice", [f.d.collections[0], f.usd(90_000)]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StrataContractError);
    expect((e as StrataContractError).errorName).toBe("NotReporter");
    expect((e as StrataContractError).args).toEqual([f.keeper.address]);
    expect(await f.provider.getTransactionCount(f.keeper.address)).toBe(nonce);
  });

  it("a signer that is not a local key (anvil's unlocked account over JSON-RPC) goes through ethers' send", async () => {
    const signer = await f.provider.getSigner(f.borrower.address);
    const token = devStablecoinAt(f.d.asset, signer) as unknown as Contract;
    const r = await send(token, "mint", [f.borrower.address, f.usd(3)]);
    expect(r.receipt.status).toBe(1);
    expect(r.receipt.from).toBe(f.borrower.address);
    expect(r.events.map((e) => e.name)).toEqual(["Transfer"]);
    const e = await send(f.c.oracle.connect(signer) as unknown as Contract, "pushPrice", [f.d.collections[0], f.usd(90_000)]).catch((x: unknown) => x);
    expect((e as StrataContractError).errorName).toBe("NotReporter");
  });
});

// borrowCall picks the pool's borrow overload by its full signature: with a delegate the seven-argument one, without
// (or with the zero address) the plain one; both signatures exist in the pool's ABI.
import { Interface, MaxUint256, ZeroAddress, getAddress, type InterfaceAbi } from "ethers";
import { describe, expect, it } from "vitest";
import { loadArtifact } from "../src/dev/artifacts.ts";
import { BORROW, BORROW_WITH_DELEGATE, BorrowRequestError, borrowCall } from "../src/chain/borrow-call.ts";

const COLLECTION = getAddress("0x00000000000000000000000000000000000000c0");
const HOT = getAddress("0x00000000000000000000000000000000000000aa");
const base = { collection: COLLECTION, tokenId: 7n, principal: 1000n, duration: 86_400n };

describe("borrowCall", () => {
  it("without a delegate: the six-argument borrow, default maxApr and rarity", () => {
    const { method, args } = borrowCall(base);
    expect(method).toBe(BORROW);
    expect(args).toEqual([COLLECTION, 7n, 1000n, 86_400n, MaxUint256, { multiplierBps: 0n, proof: [] }]);
    expect(borrowCall({ ...base, delegate: ZeroAddress }).method).toBe(BORROW);
  });

  it("with a delegate: the seven-argument borrow, delegate last", () => {
    const { method, args } = borrowCall({ ...base, delegate: HOT, maxApr: 5n });
    expect(method).toBe(BORROW_WITH_DELEGATE);
    expect(args.at(-1)).toBe(HOT);
    expect(args[4]).toBe(5n);
  });

  it("rejects a zero principal and a malformed delegate", () => {
    expect(() => borrowCall({ ...base, principal: 0n })).toThrow(BorrowRequestError);
    expect(() => borrowCall({ ...base, delegate: "0x1234" })).toThrow();
  });

  it("both signatures are functions of the pool, and encode the request", () => {
    const pool = new Interface(loadArtifact("StrataPool").abi as InterfaceAbi);
    for (const req of [base, { ...base, delegate: HOT }]) {
      const { method, args } = borrowCall(req);
      const data = pool.encodeFunctionData(method, args);
      expect(pool.parseTransaction({ data })?.signature).toBe(method);
    }
  });
});

// Rarity trees built by the SDK verify on chain through RarityProof (via test/harness/RarityHarness.sol on anvil).
import { Contract, ContractFactory, JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadArtifact } from "../src/dev/artifacts.ts";
import { StrataError } from "../src/errors.ts";
import {
  DEFAULT_MULTIPLIER_BPS,
  RarityTokenNotFoundError,
  RarityTree,
  RarityTreeError,
  buildRarityTree,
  type RarityEntry,
} from "../src/math/rarity.ts";
import { type Anvil, startAnvil } from "./anvil.ts";

const ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

let anvil: Anvil;
let harness: Contract;

// 37 tokens (an unbalanced tree), multipliers 1x..3x, including a huge token id.
const ENTRIES: RarityEntry[] = Array.from({ length: 36 }, (_, i) => ({
  tokenId: BigInt(i * 17 + 3),
  multiplierBps: 10_000n + BigInt((i * 1_237) % 20_001),
}));
ENTRIES.push({ tokenId: (1n << 256n) - 1n, multiplierBps: 30_000n });

beforeAll(async () => {
  anvil = await startAnvil();
  const wallet = new Wallet(ANVIL_KEY_0, new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true }));
  const art = loadArtifact("RarityHarness");
  const deployed = await (await new ContractFactory(art.abi as never, art.bytecode, wallet).deploy()).waitForDeployment();
  harness = new Contract(await deployed.getAddress(), art.abi as never, wallet);
});
afterAll(async () => anvil?.stop());

describe("rarity trees", () => {
  it("every proof verifies on chain, and a wrong multiplier or token does not", async () => {
    const tree = buildRarityTree(ENTRIES);
    expect(tree.size).toBe(ENTRIES.length);
    const checks = await Promise.all(
      ENTRIES.map(async ({ tokenId, multiplierBps }) => {
        const p = tree.proofFor(tokenId);
        expect(p.multiplierBps).toBe(multiplierBps);
        return Promise.all([
          harness.verify(tree.root, tokenId, p.multiplierBps, p.proof),
          harness.verify(tree.root, tokenId, p.multiplierBps + 1n, p.proof),
          harness.verify(tree.root, tokenId === 0n ? 1n : tokenId - 1n, p.multiplierBps, p.proof),
        ]);
      }),
    );
    expect(checks.map(([ok]) => ok)).toEqual(ENTRIES.map(() => true));
    expect(checks.map(([, wrongMul]) => wrongMul)).toEqual(ENTRIES.map(() => false));
    expect(checks.map(([, , wrongToken]) => wrongToken)).toEqual(ENTRIES.map(() => false));
  });

  it("the leaf encoding equals RarityProof.leaf (single-leaf tree root)", async () => {
    const tree = buildRarityTree([{ tokenId: 42n, multiplierBps: 12_500n }]);
    expect(tree.root).toBe(await harness.leaf(42n, 12_500n));
    expect(tree.proofFor(42n).proof).toEqual([]);
    expect(await harness.verify(tree.root, 42n, 12_500n, [])).toBe(true);
  });

  it("matches the fixed vector used by the forge test", () => {
    const tree = buildRarityTree(
      [
        [1n, 10_000n],
        [2n, 15_000n],
        [3n, 30_000n],
        [42n, 12_500n],
        [7777n, 20_000n],
      ].map(([tokenId, multiplierBps]) => ({ tokenId, multiplierBps })),
    );
    expect(tree.root).toBe("0x62d4916c6fb54d6589ca2643f4a2a0c58b998aa002016bd24e9044fd6352787d");
  });

  it("a token not in the tree throws a typed error; proofOrDefault falls back to 1x", async () => {
    const tree = buildRarityTree(ENTRIES);
    expect(() => tree.proofFor(4n)).toThrow(RarityTokenNotFoundError);
    try {
      tree.proofFor(4n);
    } catch (e) {
      expect(e).toBeInstanceOf(StrataError);
      expect((e as RarityTokenNotFoundError).tokenId).toBe(4n);
      expect((e as Error).message).toMatch(/token 4 is not in the rarity tree 0x[0-9a-f]{64}/);
    }
    expect(tree.proofOrDefault(4n)).toEqual({ multiplierBps: DEFAULT_MULTIPLIER_BPS, proof: [] });
    expect(tree.proofOrDefault(3n)).toEqual(tree.proofFor(3n));
    expect(await harness.defaultMultiplierBps()).toBe(DEFAULT_MULTIPLIER_BPS);
  });

  it("round-trips through dump/load as JSON", async () => {
    const tree = buildRarityTree(ENTRIES);
    const loaded = RarityTree.load(JSON.parse(JSON.stringify(tree.dump())));
    expect(loaded.root).toBe(tree.root);
    const p = loaded.proofFor(20n);
    expect(p).toEqual(tree.proofFor(20n));
    expect(await harness.verify(loaded.root, 20n, p.multiplierBps, p.proof)).toBe(true);
  });

  it("rejects empty, duplicate and out-of-range entries", () => {
    expect(() => buildRarityTree([])).toThrow(RarityTreeError);
    expect(() =>
      buildRarityTree([
        { tokenId: 1n, multiplierBps: 10_000n },
        { tokenId: 1n, multiplierBps: 20_000n },
      ]),
    ).toThrow(/token 1 appears twice/);
    expect(() => buildRarityTree([{ tokenId: -1n, multiplierBps: 10_000n }])).toThrow(RarityTreeError);
    expect(() => buildRarityTree([{ tokenId: 1n, multiplierBps: 1n << 256n }])).toThrow(RarityTreeError);
  });
});

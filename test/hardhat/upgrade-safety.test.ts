// Upgrade safety of every upgradeable Strata implementation, checked by @openzeppelin/hardhat-upgrades (SPEC §8).
// No `unsafeAllow` list anywhere: the only delegatecall (OpenZeppelin's MulticallUpgradeable, used by StrataPool) is
// already annotated upstream with `@custom:oz-upgrades-unsafe-allow-reachable delegatecall`, and every constructor
// (only `_disableInitializers()`) carries the narrow `@custom:oz-upgrades-unsafe-allow constructor`.
// One documented relaxation: `unsafeAllowLinkedLibraries`, for the contracts that link an external library (the pool
// and its fixtures link `LoanLogic` and `PoolAdmin`). The check cannot see a linked library's code; both are stateless,
// hold no delegatecall or selfdestruct, and run only on the pool's own ERC-7201 struct, whose layout is checked below
// and in storage-layout.test.ts. The last test shows the relaxation is needed, and only for the linking.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import hre from "hardhat";
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import { UPGRADEABLE } from "../../tools/storage-layout.ts";

type Conn = Awaited<ReturnType<typeof hre.network.create<"generic">>>;
type Api = Awaited<ReturnType<typeof upgrades>>;

let conn: Conn;
let api: Api;

before(async () => {
  conn = await hre.network.create<"generic">();
  api = await upgrades(hre, conn);
});

// Any address links a library for validation (nothing is deployed); the artifact lists what must be linked.
const PLACEHOLDER = "0x000000000000000000000000000000000000dEaD";
const linked = async (name: string): Promise<Record<string, string>> => {
  const { linkReferences } = await hre.artifacts.readArtifact(name);
  const libraries: Record<string, string> = {};
  for (const [source, libs] of Object.entries(linkReferences)) {
    for (const lib of Object.keys(libs)) libraries[`${source}:${lib}`] = PLACEHOLDER;
  }
  return libraries;
};
const factory = async (name: string) => conn.ethers.getContractFactory(name, { libraries: await linked(name) });
// The pool's constructor takes its wiring (immutables, SPEC §8.6: delegate registry, asset, registry, vaults,
// liquidator); its layout fixtures take the same argument, so one set of options fits every pair. Validation deploys
// nothing: any address will do.
const WIRING = [[PLACEHOLDER, PLACEHOLDER, PLACEHOLDER, PLACEHOLDER, PLACEHOLDER, PLACEHOLDER]];
const opts = { kind: "uups", unsafeAllowLinkedLibraries: true, constructorArgs: WIRING } as const;
const noArgs = { kind: "uups", unsafeAllowLinkedLibraries: true } as const;
const withoutLinking = { kind: "uups", constructorArgs: WIRING } as const;
// The vaults take (pool, tranche, asset), the liquidator (pool, asset, registry): immutables too.
const vaultOpts = { ...noArgs, constructorArgs: [PLACEHOLDER, 1, PLACEHOLDER] } as const;
const liquidatorOpts = { ...noArgs, constructorArgs: [PLACEHOLDER, PLACEHOLDER, PLACEHOLDER] } as const;
// The registry takes the pool it writes the collections' configuration to (issue #30).
const registryOpts = { ...noArgs, constructorArgs: [PLACEHOLDER] } as const;
const OPTIONS: Record<string, typeof noArgs> = {
  StrataPool: opts,
  TrancheVault: vaultOpts,
  DutchAuctionLiquidator: liquidatorOpts,
  CollectionRegistry: registryOpts,
};


describe("validateImplementation (kind: uups)", () => {
  for (const name of Object.keys(UPGRADEABLE)) {
    it(`${name} is upgrade-safe`, async () => {
      await api.validateImplementation(await factory(name), OPTIONS[name] ?? noArgs);
    });
  }

  it("the check can fail: a contract with a constructor that sets state is rejected", async () => {
    await assert.rejects(api.validateImplementation(await factory("UnsafeConstructorFixture"), noArgs), /constructor/i);
  });
});

describe("validateUpgrade StrataPool -> V2 fixtures", () => {
  it("accepts StrataPoolV2 (adds a function, inherits the layout)", async () => {
    await api.validateUpgrade(await factory("StrataPool"), await factory("StrataPoolV2"), opts);
  });

  it("accepts a field appended at the end of the ERC-7201 struct", async () => {
    await api.validateUpgrade(await factory("StrataPool"), await factory("StrataPoolV2AppendedField"), opts);
  });

  it("rejects a field inserted before the existing fields of the ERC-7201 struct", async () => {
    await assert.rejects(
      api.validateUpgrade(await factory("StrataPool"), await factory("StrataPoolV2BadLayout"), opts),
      /New storage layout is incompatible[\s\S]*insertedBeforeEverything/,
    );
  });
});

describe("linked libraries", () => {
  it("the pool links LoanLogic and PoolAdmin, and without unsafeAllowLinkedLibraries it is rejected for that reason only", async () => {
    const libraries = await linked("StrataPool");
    assert.deepEqual(Object.keys(libraries).sort(), ["project/src/pool/logic/LoanLogic.sol:LoanLogic", "project/src/pool/logic/PoolAdmin.sol:PoolAdmin"]);
    await assert.rejects(api.validateImplementation(await factory("StrataPool"), withoutLinking), /Linking external libraries like `(LoanLogic|PoolAdmin)`/);
  });
});

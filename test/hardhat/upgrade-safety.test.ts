// Upgrade safety of every upgradeable Strata implementation, checked by @openzeppelin/hardhat-upgrades (SPEC §8).
// No `unsafeAllow` anywhere: the only delegatecall (OpenZeppelin's MulticallUpgradeable, used by StrataPool) is
// already annotated upstream with `@custom:oz-upgrades-unsafe-allow-reachable delegatecall`, and every constructor
// (only `_disableInitializers()`) carries the narrow `@custom:oz-upgrades-unsafe-allow constructor`.
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

const factory = (name: string) => conn.ethers.getContractFactory(name);

describe("validateImplementation (kind: uups)", () => {
  for (const name of Object.keys(UPGRADEABLE)) {
    it(`${name} is upgrade-safe`, async () => {
      await api.validateImplementation(await factory(name), { kind: "uups" });
    });
  }

  it("the check can fail: a contract with a constructor that sets state is rejected", async () => {
    await assert.rejects(api.validateImplementation(await factory("UnsafeConstructorFixture"), { kind: "uups" }), /constructor/i);
  });
});

describe("validateUpgrade StrataPool -> V2 fixtures", () => {
  it("accepts StrataPoolV2 (adds a function, inherits the layout)", async () => {
    await api.validateUpgrade(await factory("StrataPool"), await factory("StrataPoolV2"), { kind: "uups" });
  });

  it("accepts a field appended at the end of the ERC-7201 struct", async () => {
    await api.validateUpgrade(await factory("StrataPool"), await factory("StrataPoolV2AppendedField"), { kind: "uups" });
  });

  it("rejects a field inserted before the existing fields of the ERC-7201 struct", async () => {
    await assert.rejects(
      api.validateUpgrade(await factory("StrataPool"), await factory("StrataPoolV2BadLayout"), { kind: "uups" }),
      /New storage layout is incompatible[\s\S]*insertedBeforeEverything/,
    );
  });
});

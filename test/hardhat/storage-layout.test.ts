// The current source's storage layouts against the committed layouts of the previous release (storage-layout/),
// with OpenZeppelin's own comparison (the one hardhat-upgrades runs against a network manifest). ERC-7201
// namespaces are compared field by field. Refresh the committed files only at release time: storage-layout/README.md.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import hre from "hardhat";
import core from "@openzeppelin/upgrades-core";
import { UPGRADEABLE, committedLayout, layoutOf, readValidations } from "../../tools/storage-layout.ts";

const opts = core.withValidationDefaults({ kind: "uups" });
const data = () => readValidations(hre.config.paths.cache);
const FIXTURES = "project/test/hardhat/fixtures";

describe("storage layout vs the previous release (storage-layout/*.json)", () => {
  for (const [name, source] of Object.entries(UPGRADEABLE)) {
    it(`${name}: current layout is compatible with the committed one`, () => {
      const committed = committedLayout(name);
      assert.equal(committed.source, source);
      const own = Object.keys(committed.layout.namespaces ?? {}).filter((ns) => ns.startsWith("erc7201:strata."));
      assert.ok(own.length >= 2, `${name}: committed layout has its own and Governed's namespaces`);
      for (const ns of own) assert.ok(committed.layout.namespaces![ns].length > 0, `${ns} is not empty`);
      core.assertStorageUpgradeSafe(committed.layout, layoutOf(`${source}:${name}`, data()), opts);
    });
  }

  it("rejects the pool fixture with a field inserted first in strata.storage.Pool", () => {
    const bad = layoutOf(`${FIXTURES}/StrataPoolV2BadLayout.sol:StrataPoolV2BadLayout`, data());
    assert.throws(
      () => core.assertStorageUpgradeSafe(committedLayout("StrataPool").layout, bad, opts),
      (e: Error) => /incompatible/i.test(e.message) && /insertedBeforeEverything/.test(e.message),
    );
  });

  it("accepts the pool fixtures that append a field or only add functions", () => {
    const base = committedLayout("StrataPool").layout;
    core.assertStorageUpgradeSafe(base, layoutOf(`${FIXTURES}/StrataPoolV2AppendedField.sol:StrataPoolV2AppendedField`, data()), opts);
    core.assertStorageUpgradeSafe(base, layoutOf(`${FIXTURES}/StrataPoolV2.sol:StrataPoolV2`, data()), opts);
  });

  it("rejects a layout whose namespace lost a field (committed file tampered in memory)", () => {
    const committed = committedLayout("CollectionRegistry").layout;
    const current = layoutOf(`${UPGRADEABLE.CollectionRegistry}:CollectionRegistry`, data());
    const shrunk = structuredClone(current);
    const ns = "erc7201:strata.storage.CollectionRegistry";
    shrunk.namespaces![ns] = [];
    assert.throws(() => core.assertStorageUpgradeSafe(committed, shrunk, opts), /incompatible|Deleted/i);
  });
});

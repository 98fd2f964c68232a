// Storage layouts of the upgradeable contracts, as OpenZeppelin's upgrade checker sees them (ERC-7201 namespaces
// included: solc's own `storageLayout` output, and so forge's, leaves namespaced structs out).
//
//   npm run storage-layout          # hardhat build, then write storage-layout/<Contract>.json (release time)
//   node tools/storage-layout.ts    # same, without building (reads cache/validations.json)
//
// The committed files are the layouts of the LAST RELEASE; test/hardhat/storage-layout.test.ts checks the current
// source against them with @openzeppelin/upgrades-core. Refresh them only when tagging a release (see
// storage-layout/README.md), never to make a failing check pass.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { StorageLayout, ValidationDataCurrent, ValidationRunData } from "@openzeppelin/upgrades-core";
import core from "@openzeppelin/upgrades-core";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const LAYOUT_DIR = join(ROOT, "storage-layout");

/** Every upgradeable contract of the protocol and its source (as Hardhat names it). */
export const UPGRADEABLE: Record<string, string> = {
  StrataPool: "project/src/pool/StrataPool.sol",
  TrancheVault: "project/src/vaults/TrancheVault.sol",
  CollectionRegistry: "project/src/pool/CollectionRegistry.sol",
  AppraisalOracle: "project/src/oracle/AppraisalOracle.sol",
  ChainlinkFloorAdapter: "project/src/oracle/ChainlinkFloorAdapter.sol",
  DutchAuctionLiquidator: "project/src/liquidation/DutchAuctionLiquidator.sol",
};

export interface CommittedLayout {
  contract: string;
  source: string;
  release: string;
  solcVersion: string;
  layout: StorageLayout;
}

/** Reads the validation data @openzeppelin/hardhat-upgrades writes at every `hardhat build`. */
export function readValidations(cacheDir = join(ROOT, "cache")): ValidationDataCurrent {
  return JSON.parse(readFileSync(join(cacheDir, "validations.json"), "utf8")) as ValidationDataCurrent;
}

/** The storage layout of `fullName` ("project/src/…/X.sol:X") in the newest compilation that has it. */
export function layoutOf(fullName: string, data: ValidationDataCurrent = readValidations()): StorageLayout {
  const run: ValidationRunData | undefined = data.log.find((r) => fullName in r);
  if (!run) throw new Error(`${fullName} is not in the Hardhat validation cache: run \`npx hardhat build\``);
  return core.getStorageLayout(data, core.getContractVersion(run, fullName));
}

/** Reads the committed layout of `contract`. */
export function committedLayout(contract: string): CommittedLayout {
  return JSON.parse(readFileSync(join(LAYOUT_DIR, `${contract}.json`), "utf8")) as CommittedLayout;
}

function writeAll(): void {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  const data = readValidations();
  mkdirSync(LAYOUT_DIR, { recursive: true });
  for (const [contract, source] of Object.entries(UPGRADEABLE)) {
    const fullName = `${source}:${contract}`;
    const run = data.log.find((r) => fullName in r);
    const out: CommittedLayout = {
      contract,
      source,
      release: pkg.version,
      solcVersion: run?.[fullName]?.solcVersion ?? "unknown",
      layout: layoutOf(fullName, data),
    };
    writeFileSync(join(LAYOUT_DIR, `${contract}.json`), `${JSON.stringify(out, null, 2)}\n`);
    const namespaces = Object.keys(out.layout.namespaces ?? {}).join(", ");
    process.stdout.write(`storage-layout/${contract}.json  (release ${pkg.version}; namespaces: ${namespaces})\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) writeAll();

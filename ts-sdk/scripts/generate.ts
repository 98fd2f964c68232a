// Generates the SDK's contract bindings from forge's build artifacts (out/<File>.sol/<Contract>.json) into
// ts-sdk/src/generated/, which is committed: the package ships its bindings, so `npm install` then `strata --help`
// works and the packed SDK runs with ethers only (no forge, no generation step). `npm run gen:sdk` rewrites them
// after a contract change; `--check` (run by `npm run test:types`, part of `npm test`) generates into a temporary
// folder and fails unless the committed files equal it, so shipped and compiled ABIs cannot drift apart.
//   abis.ts      every bound contract's ABI as a `const` literal (what the SDK binds at run time, also in the package)
//   errors.ts    one combined ABI of every custom error any Strata contract (and the OpenZeppelin / solmate code it
//                runs) can revert with, deduplicated by selector; events likewise, for log parsing
//   layout.ts    the pool's ERC-7201 storage layout (slot, offset, bytes of each field) from solc's storageLayout
//   typechain/   TypeChain ethers-v6 types of each contract (imported as types only; ts-sdk/scripts/typechain-types.ts)
// `--runtime` writes all but the types (the TypeChain packages are development dependencies).
// Nothing here is written by hand.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { keccak256, toUtf8Bytes } from "ethers";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const OUT = join(ROOT, "out");
const SHIPPED = join(ROOT, "ts-sdk", "src", "generated");
/** `--runtime`: the bindings the SDK runs on (abis.ts, errors.ts, layout.ts), without the TypeChain types. */
const RUNTIME = process.argv.includes("--runtime");
/** `--check`: generate into a temporary folder and fail unless it equals the committed bindings (npm test). */
const CHECK = process.argv.includes("--check");
const DEST = CHECK ? mkdtempSync(join(tmpdir(), "strata-gen-")) : SHIPPED;

/** Contracts the SDK binds: [exported name, artifact file, contract]. */
const BOUND: [string, string, string][] = [
  ["StrataPool", "StrataPool.sol", "StrataPool"],
  ["TrancheVault", "TrancheVault.sol", "TrancheVault"],
  ["CollectionRegistry", "CollectionRegistry.sol", "CollectionRegistry"],
  ["AppraisalOracle", "AppraisalOracle.sol", "AppraisalOracle"],
  ["DutchAuctionLiquidator", "DutchAuctionLiquidator.sol", "DutchAuctionLiquidator"],
  ["StrataLens", "StrataLens.sol", "StrataLens"],
  ["ChainlinkFloorAdapter", "ChainlinkFloorAdapter.sol", "ChainlinkFloorAdapter"],
  ["TimelockController", "TimelockController.sol", "TimelockController"],
  ["IFloorOracle", "IFloorOracle.sol", "IFloorOracle"],
  ["IERC20Metadata", "IERC20Metadata.sol", "IERC20Metadata"],
  ["ERC721", "ERC721.sol", "ERC721"],
  ["IMulticall3", "IMulticall3.sol", "IMulticall3"],
  ["DevStablecoin", "DevStablecoin.sol", "DevStablecoin"],
  ["DevCollection", "DevCollection.sol", "DevCollection"],
  ["StorageReader", "StorageReader.sol", "StorageReader"],
  ["IDelegateRegistry", "IDelegateRegistry.sol", "IDelegateRegistry"],
  ["TimelockBatchSimulator", "TimelockBatchSimulator.sol", "TimelockBatchSimulator"],
];

/** Further artifacts whose errors can surface through a Strata call (inherited or library code). */
const ERROR_SOURCES: [string, string][] = [
  ["ERC4626Upgradeable.sol", "ERC4626Upgradeable"],
  ["draft-IERC6093.sol", "IERC20Errors"],
  ["draft-IERC6093.sol", "IERC721Errors"],
  ["SafeCast.sol", "SafeCast"],
  ["Math.sol", "Math"],
  ["Errors.sol", "Errors"],
  ["AccessControl.sol", "AccessControl"],
  ["UUPSUpgradeable.sol", "UUPSUpgradeable"],
  ["ERC1967Utils.sol", "ERC1967Utils"],
  ["Initializable.sol", "Initializable"],
  ["ReentrancyGuardTransient.sol", "ReentrancyGuardTransient"],
];

interface AbiItem {
  type: string;
  name?: string;
  inputs?: { type: string; components?: unknown[] }[];
  [k: string]: unknown;
}

interface ArtifactJson {
  abi: AbiItem[];
}

function artifact(file: string, contract: string): ArtifactJson {
  const path = join(OUT, file, `${contract}.json`);
  if (!existsSync(path)) {
    throw new Error(`gen:sdk: no artifact ${path}; run \`forge build --skip test\` first`);
  }
  return JSON.parse(readFileSync(path, "utf8")) as ArtifactJson;
}

/** Canonical type of an ABI parameter (tuples expanded), for the selector key. */
function canonical(p: { type: string; components?: unknown[] }): string {
  if (!p.type.startsWith("tuple")) return p.type;
  const inner = (p.components as { type: string; components?: unknown[] }[]).map(canonical).join(",");
  return `(${inner})${p.type.slice("tuple".length)}`;
}
const signature = (e: AbiItem) => `${e.name}(${(e.inputs ?? []).map(canonical).join(",")})`;

/** keccak256(abi.encode(uint256(keccak256(id)) - 1)) & ~bytes32(uint256(0xff)) (ERC-7201). */
function erc7201(id: string): string {
  const inner = BigInt(keccak256(toUtf8Bytes(id))) - 1n;
  const outer = BigInt(keccak256(`0x${inner.toString(16).padStart(64, "0")}`)) & ~0xffn;
  return `0x${outer.toString(16).padStart(64, "0")}`;
}

async function main(): Promise<void> {
  const bound = BOUND.map(([name, file, contract]) => ({ name, abi: artifact(file, contract).abi }));
  const errors = new Map<string, AbiItem>();
  const events = new Map<string, AbiItem>();
  const collect = (abi: AbiItem[]) => {
    for (const item of abi) {
      if (item.type === "error" && !errors.has(signature(item))) errors.set(signature(item), item);
      if (item.type === "event" && !events.has(signature(item))) events.set(signature(item), item);
    }
  };
  for (const b of bound) collect(b.abi);
  for (const [file, contract] of ERROR_SOURCES) collect(artifact(file, contract).abi);
  // Every name must be unambiguous for a reader: two errors of one name with different arguments are kept (their
  // selectors differ), and the decoder reports the full signature.
  const sortedErrors = [...errors.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, e]) => e);
  const sortedEvents = [...events.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, e]) => e);

  const hash = createHash("sha256");
  for (const b of bound) hash.update(JSON.stringify(b.abi));
  const header = (what: string) =>
    `// GENERATED by ts-sdk/scripts/generate.ts from forge's out/ artifacts (${what}). Do not edit; run \`npm run gen:sdk\`.\n`;

  // a runtime generation keeps the TypeChain types of an earlier full one (types only: nothing runs them)
  for (const f of RUNTIME ? ["abis.ts", "errors.ts", "layout.ts"] : ["."]) rmSync(join(DEST, f), { recursive: true, force: true });
  mkdirSync(DEST, { recursive: true });

  // abis.ts
  let abis = header("contract ABIs");
  for (const b of bound) abis += `export const ${b.name}Abi = ${JSON.stringify(b.abi)} as const;\n`;
  const reader = JSON.parse(readFileSync(join(OUT, "StorageReader.sol", "StorageReader.json"), "utf8")) as { deployedBytecode: { object: string } };
  abis += `/** Runtime code of script/sdk/StorageReader.sol (placed at a contract's address by an eth_call state override). */\n`;
  abis += `export const StorageReaderRuntime = ${JSON.stringify(reader.deployedBytecode.object)};\n`;
  const simulator = JSON.parse(readFileSync(join(OUT, "TimelockBatchSimulator.sol", "TimelockBatchSimulator.json"), "utf8")) as { deployedBytecode: { object: string } };
  abis += `/** Runtime code of script/sdk/TimelockBatchSimulator.sol (placed at the timelock's address by an eth_call state override). */\n`;
  abis += `export const TimelockBatchSimulatorRuntime = ${JSON.stringify(simulator.deployedBytecode.object)};\n`;
  abis += `\n/** sha256 of the bound ABIs, to tell two generations apart. */\nexport const ABI_HASH = "${hash.digest("hex")}";\n`;
  writeFileSync(join(DEST, "abis.ts"), abis);

  // errors.ts
  writeFileSync(
    join(DEST, "errors.ts"),
    `${header("every custom error and event")}` +
      `/** Every custom error of the Strata contracts and the OpenZeppelin/solmate code they run, one per selector. */\n` +
      `export const STRATA_ERRORS_ABI = ${JSON.stringify(sortedErrors)} as const;\n` +
      `/** Every event of the Strata contracts, one per topic. */\n` +
      `export const STRATA_EVENTS_ABI = ${JSON.stringify(sortedEvents)} as const;\n`,
  );

  // layout.ts: the pool's namespaced storage struct. Solc's storageLayout leaves ERC-7201 namespaces out; the
  // committed release layout (storage-layout/StrataPool.json, OpenZeppelin's format) has them, and upgrades only ever
  // append to the struct (checked by npm run test:upgrades), so every field listed there keeps its place.
  const release = JSON.parse(readFileSync(join(ROOT, "storage-layout", "StrataPool.json"), "utf8")) as {
    layout: { namespaces: Record<string, { label: string; slot: string; offset: number; type: string }[]>; types: Record<string, { numberOfBytes: string }> };
  };
  const ns = "strata.storage.Pool";
  const members = release.layout.namespaces[`erc7201:${ns}`];
  if (!members) throw new Error(`gen:sdk: storage-layout/StrataPool.json has no erc7201:${ns} namespace`);
  const base = erc7201(ns);
  const source = readFileSync(join(ROOT, "src", "pool", "StrataPool.sol"), "utf8");
  if (!source.toLowerCase().includes(base.toLowerCase())) {
    throw new Error(`gen:sdk: src/pool/StrataPool.sol does not use the ERC-7201 slot ${base} of ${ns}`);
  }
  const fields: Record<string, { slot: number; offset: number; bytes: number }> = {};
  for (const m of members) {
    fields[m.label] = { slot: Number(m.slot), offset: m.offset, bytes: Number(release.layout.types[m.type].numberOfBytes) };
  }
  const struct = (label: string) => {
    const key = Object.keys(release.layout.types).find((k) => new RegExp(`^t_struct\\(${label}\\)\\d+_storage$`).test(k));
    if (!key) throw new Error(`gen:sdk: storage-layout/StrataPool.json has no struct ${label}`);
    const t = release.layout.types[key] as unknown as { members: { label: string; slot: string; offset: number; type: string }[] };
    const out: Record<string, { slot: number; offset: number; bytes: number }> = {};
    for (const m of t.members) out[m.label] = { slot: Number(m.slot), offset: m.offset, bytes: Number(release.layout.types[m.type].numberOfBytes) };
    return out;
  };
  writeFileSync(
    join(DEST, "layout.ts"),
    `${header("storage-layout/StrataPool.json")}` +
      `/** StrataPool.StoredLoan (the value of PoolStorage.loans): field -> slot, byte offset, bytes. */\n` +
      `export const STORED_LOAN_FIELDS = ${JSON.stringify(struct("StoredLoan"))} as const;\n` +
      `/** StrataPool.LoanTerms (the value of PoolStorage.terms). */\n` +
      `export const LOAN_TERMS_FIELDS = ${JSON.stringify(struct("LoanTerms"))} as const;\n` +
      `/** ERC-7201 base slot of StrataPool's PoolStorage (erc7201:${ns}). */\n` +
      `export const POOL_STORAGE_BASE = ${JSON.stringify(base)};\n` +
      `/** Each PoolStorage field: slot relative to the base, byte offset in the slot, size in bytes. */\n` +
      `export const POOL_STORAGE_FIELDS = ${JSON.stringify(fields, null, 2)} as const;\n`,
  );

  const summary = `gen:sdk: ${bound.length} contracts, ${sortedErrors.length} errors, ${sortedEvents.length} events`;
  if (RUNTIME && !CHECK) {
    process.stdout.write(`${summary} -> ts-sdk/src/generated (runtime bindings; TypeChain types: npm run gen:sdk)\n`);
    return;
  }
  // typechain/: types only, for tsc and editors (the TypeChain packages are development dependencies)
  const { writeTypechainTypes } = await import("./typechain-types.ts");
  const generated = await writeTypechainTypes(bound, join(DEST, "typechain"), ROOT);
  if (CHECK) return check(summary);
  process.stdout.write(`${summary}, ${generated} typechain files -> ts-sdk/src/generated\n`);
}

/** Every file below `dir`, as paths relative to it. */
function files(dir: string, sub = ""): string[] {
  if (!existsSync(join(dir, sub))) return [];
  return readdirSync(join(dir, sub)).flatMap((n) => (statSync(join(dir, sub, n)).isDirectory() ? files(dir, join(sub, n)) : [join(sub, n)]));
}

/** `--check`: the committed bindings must be exactly what the current contracts generate. */
function check(summary: string): void {
  const want = files(DEST).sort();
  const have = new Set(files(SHIPPED));
  const stale = want.filter((f) => !have.has(f) || readFileSync(join(DEST, f), "utf8") !== readFileSync(join(SHIPPED, f), "utf8"));
  const extra = [...have].filter((f) => !want.includes(f));
  rmSync(DEST, { recursive: true, force: true });
  if (stale.length + extra.length > 0) {
    const list = [...stale, ...extra.map((f) => `${f} (no longer generated)`)];
    throw new Error(`gen:sdk --check: the shipped bindings in ts-sdk/src/generated differ from the contracts' build: ${list.join(", ")}; run \`npm run gen:sdk\` and commit them`);
  }
  process.stdout.write(`${summary}: the shipped bindings in ts-sdk/src/generated equal the compiled ABIs (${want.length} files)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

// Hardhat 3 is used for upgrade-safety validation (@openzeppelin/hardhat-upgrades) only; forge builds and tests.
// Compiler settings come from foundry.toml so both tools analyse `src/` identically. One difference, on purpose: forge
// generates `src/`'s code through the IR pipeline (tools/compile-pipeline.cjs, applied by tools/solc.cjs), Hardhat
// through the legacy one. What Hardhat checks (storage layouts, constructors, delegatecalls, selfdestructs, linked
// libraries) comes from the AST and the storage layout, which the code generator does not change, and Hardhat's
// bytecode is never deployed; the IR pipeline would add minutes to every `npm run test:upgrades`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatNodeTestRunner from "@nomicfoundation/hardhat-node-test-runner";
import hardhatUpgrades from "@openzeppelin/hardhat-upgrades";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);
const foundryToml = readFileSync(new URL("./foundry.toml", import.meta.url), "utf8");
const defaultProfile = foundryToml.split(/^\[/m).find((s) => s.startsWith("profile.default]")) ?? "";
const setting = (key: string): string => {
  const m = defaultProfile.match(new RegExp(`^${key}\\s*=\\s*"?([^"\\n]+)"?`, "m"));
  if (!m) throw new Error(`foundry.toml [profile.default] has no ${key}`);
  return m[1].trim();
};
const solcVersion: string = require("solc/package.json").version;
const remappings = readFileSync(new URL("./remappings.txt", import.meta.url), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("forge-std/"));

export default defineConfig({
  plugins: [hardhatEthers, hardhatNodeTestRunner, hardhatUpgrades],
  solidity: {
    version: solcVersion,
    path: require.resolve("solc/soljson.js"),
    settings: {
      evmVersion: setting("evm_version"),
      optimizer: { enabled: setting("optimizer") === "true", runs: Number(setting("optimizer_runs")) },
      metadata: { bytecodeHash: setting("bytecode_hash") },
      remappings,
      outputSelection: { "*": { "*": ["storageLayout"] } },
    },
  },
  paths: {
    sources: ["src", "test/hardhat/fixtures"],
    tests: { solidity: "test/hardhat/no-solidity-tests", nodejs: "test/hardhat" },
    cache: "cache",
    artifacts: "artifacts",
  },
});

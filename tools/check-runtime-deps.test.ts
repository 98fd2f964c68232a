// Tests of tools/check-runtime-deps.ts: a tree whose runtime code imports a devDependency (TypeScript, Solidity
// through a remapping, a binary in a runtime script, a package loaded by name) fails with one line per package and
// exit code 1; the same tree with those packages in "dependencies" passes; type-only imports, builtins, tests and
// generated bindings are not counted.
//
//   node --test tools/check-runtime-deps.test.ts     # npm run test:runtime-deps runs it after the check itself
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { checkTree, jsImports, packageOf, solImports } from "./check-runtime-deps.ts";

const CHECKER = fileURLToPath(new URL("./check-runtime-deps.ts", import.meta.url));
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "runtime-deps-"));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const SOURCES: Record<string, string> = {
  "ts-sdk/src/index.ts": 'export * from "./a.ts";\nimport type { Foo } from "typeonly";\nimport { readFileSync } from "node:fs";\nimport path from "path";\n',
  "ts-sdk/src/a.ts": 'import { Table } from "cli-table3";\n// import "commented-out";\nexport const x = await import("echarts/core");\n',
  "ts-sdk/src/generated/abis.ts": 'import "generated-only";\n',
  "ts-sdk/test/a.test.ts": 'import { it } from "vitest";\n',
  "ts-sdk/scripts/generate.ts": 'if (!runtime) await import("./typechain-types.ts");\n',
  "ts-sdk/scripts/typechain-types.ts": 'import { runTypeChain } from "typechain";\n',
  "ts-sdk/src/dev/anvil.ts": "const pkg = `@foundry-rs/${tool}-linux-amd64`;\n",
  "tools/foundry.cjs": "const pkg = `@foundry-rs/${tool}-${suffix}`;\n",
  "src/Pool.sol": 'import {ERC20} from "solmate/tokens/ERC20.sol";\nimport "./Lib.sol";\n',
  "src/Lib.sol": 'import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";\n',
  "remappings.txt": "solmate/=node_modules/solmate/src/\n@openzeppelin/contracts/=node_modules/@openzeppelin/contracts/\n",
};
const NEEDED = ["cli-table3", "echarts", "solmate", "@openzeppelin/contracts", "@foundry-rs/forge", "@foundry-rs/anvil", "vite"];
const SCRIPTS = { start: "npm run build:contracts && node x.ts", "build:contracts": "forge build src", "build:app": "vite build app", app: "node app/server.ts" };
const pkg = (deps: string[], dev: string[]) =>
  JSON.stringify({ scripts: SCRIPTS, dependencies: Object.fromEntries(deps.map((d) => [d, "1.0.0"])), devDependencies: Object.fromEntries(dev.map((d) => [d, "1.0.0"])) });

describe("check-runtime-deps", () => {
  it("reports each runtime package that is a devDependency only, once, where it is first needed; exit 1", () => {
    const root = tree({ ...SOURCES, "package.json": pkg(["@openzeppelin/contracts"], ["cli-table3", "echarts", "solmate", "vitest", "vite"]) });
    const problems = checkTree(root);
    const missing = problems.map((p) => p.message.match(/needs "([^"]+)"/)?.[1]).sort();
    assert.deepEqual(missing, ["@foundry-rs/anvil", "@foundry-rs/forge", "cli-table3", "echarts", "solmate", "vite"]);
    assert.match(problems.find((p) => p.message.includes('"solmate"'))!.file, /^src\/(Pool|Lib)\.sol$/);
    assert.match(problems.find((p) => p.message.includes('"echarts"'))!.message, /a devDependency only/);
    assert.match(problems.find((p) => p.message.includes('"@foundry-rs/forge"'))!.message, /not in package\.json/);
    const cli = spawnSync(process.execPath, [CHECKER, "--root", root], { encoding: "utf8" });
    assert.equal(cli.status, 1);
    assert.equal(cli.stderr.trim().split("\n").length, 6);
  });

  it("passes when they are dependencies; type-only imports, builtins, tests, generated code and development-only imports do not count", () => {
    const root = tree({ ...SOURCES, "package.json": pkg(NEEDED, ["vitest", "typeonly", "generated-only", "typechain"]) });
    assert.deepEqual(checkTree(root), []);
    assert.equal(spawnSync(process.execPath, [CHECKER, "--root", root]).status, 0);
  });

  it("flags a stale LOADED_BY_NAME entry and a Solidity import no remapping covers", () => {
    const root = tree({ ...SOURCES, "ts-sdk/src/dev/anvil.ts": "// the binary is found some other way now\n", "src/Lib.sol": 'import "forge-std/Test.sol";\n', "package.json": pkg(NEEDED, []) });
    const messages = checkTree(root).map((p) => p.message);
    assert.ok(messages.some((m) => /LOADED_BY_NAME says this file loads "@foundry-rs\/anvil"/.test(m)));
    assert.ok(messages.some((m) => /import "forge-std\/Test.sol" matches no remapping/.test(m)));
  });

  it("parses specifiers", () => {
    assert.equal(packageOf("@openzeppelin/contracts/token/ERC20.sol"), "@openzeppelin/contracts");
    assert.equal(packageOf("echarts/core"), "echarts");
    assert.deepEqual(jsImports('import a from "x";\nimport type { B } from "y";\nexport { c } from "z";\nconst d = require("w");\n'), ["x", "z", "w"]);
    assert.deepEqual(solImports('import {A} from "a/A.sol";\nimport "./B.sol";\n// import "c.sol";\n'), ["a/A.sol", "./B.sol"]);
  });
});

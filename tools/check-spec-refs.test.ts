// Tests of tools/check-spec-refs.ts: a tree with deliberately broken references fails with the file and line of each
// one (and the exit code 1), a clean tree passes, and dependency/build directories are not scanned.
//
//   node --test tools/check-spec-refs.test.ts     # npm run test:spec-refs runs it after the check itself
//
// The section sign and the outside path are written as escapes / built from parts, so that this file's own text
// passes the check it tests.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { anchors, checkTree, formatProblem, parseSpec, slug } from "./check-spec-refs.ts";

const S = "\u00a7";
const OUTSIDE = ".." + "/shared";
const CHECKER = fileURLToPath(new URL("./check-spec-refs.ts", import.meta.url));
const REPO = resolve(dirname(CHECKER), "..");

const SPEC = [
  "# Test spec",
  "",
  "## How to cite",
  "",
  "## 1. Actors",
  "### 1.1 Lenders",
  "### 1.2 `Borrowers` and *keepers*",
  "## 2. Units",
  "```",
  "## 9. not a heading inside a code block",
  "```",
  "## 3 Loans",
  "",
].join("\n");

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A fresh tree under the OS temp directory holding `files` (path → content). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "spec-refs-"));
  temps.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function run(root: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CHECKER, "--root", root], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GOOD: Record<string, string> = {
  "docs/SPEC.md": SPEC,
  "README.md":
    "# T\n\nRules: [the spec](docs/SPEC.md), [lenders](docs/SPEC.md#11-lenders), " +
    `[${S}1.2](docs/SPEC.md#12-borrowers-and-keepers).\n`,
  "docs/NOTES.md": `Loans: SPEC ${S}3, see [below](#notes) and [the spec](SPEC.md#3-loans).\n\n## Notes\n`,
  "src/Pool.sol": `// SPDX\n/// @notice Lends (SPEC ${S}1.1, ${S}3/${S}2, SPEC ${S}1\u2013${S}3).\ncontract Pool {}\n`,
  "test/Pool.t.sol": `// SPEC ${S} 2: spaced sign\n`,
  "script/lib/Deployer.sol": `// SPEC ${S}1.2\n`,
  "ts-sdk/src/a.ts": `// SPEC ${S}2.\nexport const a = 1;\n`,
  "tools/x.ts": "// a file that cites nothing\n",
  "snapshots/bin.dat": `\u0000${S}99 binary files are skipped\n`,
};

describe("check-spec-refs", () => {
  it("passes a tree whose every reference resolves", () => {
    const root = tree(GOOD);
    assert.deepEqual(checkTree(root), []);
    const r = run(root);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /resolves to one of the 5 sections of docs\/SPEC\.md/);
    assert.equal(r.stderr, "");
  });

  it("fails with file:line for each broken reference, and exit code 1", () => {
    const root = tree({
      ...GOOD,
      "test/Broken.t.sol": `// ok\n// ok: SPEC ${S}1\n/// @notice SPEC ${S}7 does not exist\n`,
      "ts-sdk/src/b.ts": `// SPEC ${S}1\n// SPEC ${S}1.9 and ${S}2.1 neither\n`,
      "docs/BAD.md": [
        `The rules were in ${OUTSIDE}/SPEC.md.`,
        "[gone](missing.md) and [escape](../../elsewhere.md)",
        "[anchor](SPEC.md#no-such-heading) [https](https://example.com) `[code](nowhere.md)`",
        "```",
        "[in a fence](nowhere.md)",
        "```",
      ].join("\n"),
      "script/lib/Bad.sol": `// SPEC ${S}12\n`,
      // Skipped directories: dependencies, build output, caches; `lib/` only at the root.
      "node_modules/pkg/README.md": `SPEC ${S}99 ${OUTSIDE}\n`,
      "out/Pool.sol/Pool.json": `{"devdoc": "SPEC ${S}99"}\n`,
      "cache_forge/x.json": `SPEC ${S}99\n`,
      "lib/forge-std/Test.sol": `// SPEC ${S}99\n`,
      "ts-sdk/dist/index.js": `// SPEC ${S}99\n`,
      ".git": `gitdir: ${OUTSIDE}/.git/worktrees/x\n`,
      "tools/selftest/fixture/out/a.json": `SPEC ${S}99\n`,
    });
    const expected = [
      `docs/BAD.md:1: refers to "${OUTSIDE}", outside the repository: the rules are docs/SPEC.md`,
      `docs/BAD.md:2: link "missing.md": docs/missing.md does not exist`,
      `docs/BAD.md:2: link "../../elsewhere.md" leaves the repository`,
      `docs/BAD.md:3: link "SPEC.md#no-such-heading": docs/SPEC.md has no heading with anchor #no-such-heading`,
      `script/lib/Bad.sol:1: ${S}12 is not a section of docs/SPEC.md`,
      `test/Broken.t.sol:3: ${S}7 is not a section of docs/SPEC.md`,
      `ts-sdk/src/b.ts:2: ${S}1.9 is not a section of docs/SPEC.md`,
      `ts-sdk/src/b.ts:2: ${S}2.1 is not a section of docs/SPEC.md`,
    ];
    assert.deepEqual(checkTree(root).map(formatProblem), expected);
    const r = run(root);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    const lines = r.stderr.trimEnd().split("\n");
    assert.deepEqual(lines.slice(0, -1), expected);
    assert.match(lines[lines.length - 1], /8 dangling reference\(s\)/);
  });

  it("fails when docs/SPEC.md is missing", () => {
    const root = tree({ "src/A.sol": `// SPEC ${S}1\n` });
    const r = run(root);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^docs\/SPEC\.md:1: missing/);
  });

  it("reports duplicate, out-of-order and orphan section numbers of the spec itself", () => {
    const spec = ["## 1. A", "### 1.2 skipped 1.1", "## 1. again", "## 3. skipped 2", "#### 4.1 orphan"].join("\n");
    const { sections, problems } = parseSpec(spec);
    assert.deepEqual([...sections.keys()], ["1", "1.2", "3", "4.1"]);
    assert.deepEqual(problems.map(formatProblem), [
      `docs/SPEC.md:2: section ${S}1.2 is out of order: expected ${S}1.1`,
      `docs/SPEC.md:3: section ${S}1 is declared twice (first at line 1)`,
      `docs/SPEC.md:4: section ${S}3 is out of order: expected ${S}2`,
      `docs/SPEC.md:5: section ${S}4.1 has no parent section ${S}4 before it`,
    ]);
    const root = tree({ "docs/SPEC.md": spec });
    assert.equal(run(root).status, 1);
  });

  it("derives GitHub heading anchors", () => {
    assert.equal(slug("3.6 Rate integrity"), "36-rate-integrity");
    assert.equal(slug(`NAV (SPEC ${S}4)`), "nav-spec-4");
    assert.equal(slug("Rarity (`RarityProof`)"), "rarity-rarityproof");
    assert.equal(slug("One FIFO line per vault, not a shared line"), "one-fifo-line-per-vault-not-a-shared-line");
    assert.deepEqual([...anchors("# A\n## A\n```\n# A\n```\n## B")], ["a", "a-1", "b"]);
  });

  it("passes on this repository", () => {
    const problems = checkTree(REPO);
    assert.deepEqual(problems.map(formatProblem), []);
    const { sections } = parseSpec(GOOD["docs/SPEC.md"]);
    assert.deepEqual([...sections.keys()], ["1", "1.1", "1.2", "2", "3"]);
  });
});

// The package ships its bindings (issue #29): ts-sdk/src/generated is committed, so a fresh clone's `npm install`
// then `strata --help` works before anything is generated, and nothing the SDK or CLI imports is git-ignored. That
// the shipped ABIs equal the compiled ones is checked by `generate.ts --check` (npm run test:types); here it must
// also fail on a stale file.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/dev/artifacts.ts";
import { STRATA_ERRORS_ABI, STRATA_EVENTS_ABI } from "../src/generated/errors.ts";

const NODE = join(REPO_ROOT, "node_modules", ".bin", "node");
const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" });

describe("shipped bindings", () => {
  it("are committed, and no file under ts-sdk/src or app/src is git-ignored", () => {
    const tracked = git("ls-files", "ts-sdk/src/generated").split("\n").filter(Boolean);
    expect(tracked).toEqual(expect.arrayContaining(["ts-sdk/src/generated/abis.ts", "ts-sdk/src/generated/errors.ts", "ts-sdk/src/generated/layout.ts"]));
    expect(tracked.some((p) => p.startsWith("ts-sdk/src/generated/typechain/"))).toBe(true);
    expect(git("ls-files", "--others", "--ignored", "--exclude-standard", "ts-sdk/src", "app/src").trim()).toBe("");
  });

  it("strata --help runs from the shipped bindings alone (exit 0, the command list)", () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, "ts-sdk", "bin", "strata.mjs"), "--help"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: strata");
    expect(r.stdout).toMatch(/lend[\s\S]*borrow[\s\S]*keeper/);
  });

  it("generate.ts --check fails on a stale shipped file, naming it, and passes on the committed ones", () => {
    const file = join(REPO_ROOT, "ts-sdk", "src", "generated", "layout.ts");
    const kept = readFileSync(file, "utf8");
    try {
      appendFileSync(file, "// edited by hand\n");
      const stale = spawnSync(NODE, [join(REPO_ROOT, "ts-sdk", "scripts", "generate.ts"), "--check"], { cwd: REPO_ROOT, encoding: "utf8" });
      expect(stale.status).toBe(1);
      expect(stale.stderr).toContain("layout.ts");
      expect(stale.stderr).toContain("npm run gen:sdk");
    } finally {
      writeFileSync(file, kept);
    }
    const ok = spawnSync(NODE, [join(REPO_ROOT, "ts-sdk", "scripts", "generate.ts"), "--check"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
  }, 120_000);

  it("no two errors or events share a name with different arguments (a decoder and an indexer read names)", () => {
    const clashes = (abi: readonly { name?: string; inputs?: readonly { type: string }[] }[]) => {
      const byName = new Map<string, Set<string>>();
      for (const x of abi) {
        const sig = `${x.name}(${(x.inputs ?? []).map((i) => i.type).join(",")})`;
        byName.set(x.name!, (byName.get(x.name!) ?? new Set()).add(sig));
      }
      return [...byName.values()].filter((s) => s.size > 1).map((s) => [...s].sort().join(" / "));
    };
    expect(clashes(STRATA_ERRORS_ABI as never)).toEqual([]);
    expect(clashes(STRATA_EVENTS_ABI as never)).toEqual([]);
  });
});

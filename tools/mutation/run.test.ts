// The mutation runner on a tiny fixture: a fake source file and a fake "suite" (a shell command), no forge. Proves that
// the mutated file is restored after a killed mutant, a surviving one, an interrupt (SIGINT, SIGTERM) and, via the
// leftover backup, after the runner itself was SIGKILLed.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import {
  backupPath,
  commandSuite,
  firstFailure,
  globToRegExp,
  locate,
  matchFiles,
  restoreLeftover,
  runCampaign,
  score,
  type Catalogue,
} from "./run.ts";

const RUNNER = join(import.meta.dirname, "run.ts");
const ORIGINAL = "contract Fake {\n    function f(uint256 a) external pure returns (bool) {\n        return a > 1;\n    }\n}\n";

// Fails (like forge) when the file holds `a >= 1`; the `a > 2` mutant survives. `$MUTATION_TESTS` is echoed.
const FAKE_SUITE =
  `node -e 'const s=require("fs").readFileSync("src/Fake.sol","utf8");` +
  `console.log("stage:"+process.env.MUTATION_TESTS);` +
  `if(s.includes("a >= 1")){console.log("Ran 1 test for test/Fake.t.sol:FakeTest");` +
  `console.log("[FAIL: assertion failed: 1 != 0] test_boundary() (gas: 123)");process.exit(1)}'`;

const catalogue: Catalogue = {
  areas: { fake: ["test/Fake.t.sol"] },
  mutants: [
    { id: "killed", file: "src/*.sol", find: "a > 1", replace: "a >= 1", kind: "comparison", area: "fake" },
    { id: "survives", file: "src/*.sol", find: "a > 1", replace: "a > 2", kind: "off-by-one" },
    { id: "stale", file: "src/*.sol", find: "a < 1", replace: "a <= 1", kind: "comparison" },
    { id: "equiv", file: "src/*.sol", find: "a > 1", replace: "1 < a", kind: "swap", equivalent: "same predicate" },
  ],
};

let root: string;
const fake = () => readFileSync(join(root, "src", "Fake.sol"), "utf8");

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "mutation-"));
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src", "Fake.sol"), ORIGINAL);
  writeFileSync(join(root, "catalogue.json"), JSON.stringify(catalogue));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Starts the runner as a process (as `npm run test:mutation` would) with `suiteCmd` as the suite. */
function startRunner(suiteCmd: string, extra: string[] = []) {
  const child = spawn(
    process.execPath,
    [RUNNER, "--root", root, "--catalogue", join(root, "catalogue.json"), "--suite-cmd", suiteCmd, ...extra],
    { stdio: "pipe" },
  );
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on("close", (code, signal) => r({ code, signal })),
  );
  return { child, exited, output: () => out };
}

async function until(cond: () => boolean, ms = 15_000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("mutation runner", () => {
  it("kills, survives, skips stale and equivalent mutants, and restores the file after each", async () => {
    const seen: string[] = [];
    const suite = commandSuite(root, FAKE_SUITE, 30);
    const results = await runCampaign({
      root,
      catalogue,
      staged: true,
      suite: async (tests, control) => {
        const o = await suite(tests, control);
        seen.push(`${tests ? "stage1" : "stage2"}:${fake().includes("a > 1") ? "original" : "mutated"}`);
        return o;
      },
    });
    const by = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(by.killed.status).toBe("killed");
    expect(by.killed.detail).toBe("test/Fake.t.sol:FakeTest.test_boundary");
    expect(by.killed.stage).toBe(1);
    expect(by.survives.status).toBe("survived");
    expect(by.survives.stage).toBe(2);
    expect(by.stale.status).toBe("stale");
    expect(by.stale.detail).toBe("snippet not found");
    expect(by.equiv.status).toBe("equivalent");
    expect(seen).toEqual(["stage1:mutated", "stage2:mutated"]); // the suite saw each mutant applied ...
    expect(fake()).toBe(ORIGINAL); // ... and the file is back
    expect(existsSync(backupPath(root))).toBe(false);
    expect(score(results)).toEqual({ killed: 1, survived: 1, scored: 2, percent: 50 });
  });

  it("with exactWithout (--staged --score-without), a stage-1 kill by those tests only also runs the whole suite", async () => {
    const suite = commandSuite(root, FAKE_SUITE, 30);
    const run = async (exactWithout: string) => {
      const stages: string[] = [];
      const results = await runCampaign({
        root,
        catalogue,
        staged: true,
        only: ["killed"],
        exactWithout,
        suite: async (tests, control) => {
          stages.push(tests ? "stage1" : "stage2");
          return suite(tests, control);
        },
      });
      return { stages, result: results[0] };
    };
    const excluded = await run("test/*.t.sol"); // the only failing test is under the excluded glob
    expect(excluded.stages).toEqual(["stage1", "stage2"]);
    expect(excluded.result.stage).toBe(2);
    expect(excluded.result.status).toBe("killed");
    const other = await run("test/mutation/*"); // a test outside it failed: stage 1 decides
    expect(other.stages).toEqual(["stage1"]);
    expect(other.result.stage).toBe(1);
    expect(fake()).toBe(ORIGINAL);
  });

  it("restores the file when the suite throws", async () => {
    await expect(
      runCampaign({
        root,
        catalogue,
        only: ["killed"],
        suite: async () => {
          expect(fake()).toContain("a >= 1");
          throw new Error("suite crashed");
        },
      }),
    ).rejects.toThrow("suite crashed");
    expect(fake()).toBe(ORIGINAL);
    expect(existsSync(backupPath(root))).toBe(false);
  });

  it("runs from the command line, with --only and --json", async () => {
    const r = startRunner(FAKE_SUITE, ["--only", "killed,survives", "--json", "--staged"]);
    expect((await r.exited).code).toBe(0);
    const report = JSON.parse(r.output().slice(r.output().indexOf("{\n")));
    expect(report.results.map((x: { id: string; status: string }) => `${x.id}:${x.status}`)).toEqual([
      "killed:killed",
      "survives:survived",
    ]);
    expect(report.score.percent).toBe(50);
    expect(fake()).toBe(ORIGINAL);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`restores the file and stops the suite on ${signal}`, async () => {
      const pidFile = join(root, "suite.pid");
      const r = startRunner(`echo $$ > ${pidFile}; exec sleep 60`, ["--only", "killed", "--no-baseline"]);
      await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "");
      expect(fake()).toContain("a >= 1"); // mid-run: the mutant is applied
      expect(existsSync(backupPath(root))).toBe(true);
      const suitePid = Number(readFileSync(pidFile, "utf8"));
      r.child.kill(signal);
      const { code } = await r.exited;
      expect(code).toBe(signal === "SIGINT" ? 130 : 143);
      expect(fake()).toBe(ORIGINAL);
      expect(existsSync(backupPath(root))).toBe(false);
      await until(() => !pidAlive(suitePid)); // the suite's process group was stopped too
    });
  }

  it("restores a file left mutated by a SIGKILLed run (--restore, and at the start of the next run)", async () => {
    for (const next of ["--restore", "campaign"]) {
      const pidFile = join(root, `suite-${next}.pid`);
      const r = startRunner(`echo $$ > ${pidFile}; exec sleep 60`, ["--only", "killed", "--no-baseline"]);
      await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "");
      r.child.kill("SIGKILL");
      expect((await r.exited).signal).toBe("SIGKILL");
      process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL"); // the orphaned fake suite
      expect(fake()).toContain("a >= 1"); // nothing could restore it ...
      expect(existsSync(backupPath(root))).toBe(true); // ... but the backup is there
      if (next === "--restore") {
        const again = startRunner(FAKE_SUITE, ["--restore"]);
        expect((await again.exited).code).toBe(0);
        expect(again.output()).toContain("restored src/Fake.sol");
      } else {
        const again = startRunner(FAKE_SUITE, ["--only", "survives"]);
        expect((await again.exited).code).toBe(0);
        expect(again.output()).toContain("restored src/Fake.sol");
        expect(again.output()).toContain("survives: survived");
      }
      expect(fake()).toBe(ORIGINAL);
      expect(existsSync(backupPath(root))).toBe(false);
    }
  });

  it("refuses to mutate anything while the unmutated suite is red", async () => {
    const r = startRunner(`echo "Ran 1 test for test/A.t.sol:A"; echo "[FAIL: x] test_a() (gas: 1)"; exit 1`);
    expect((await r.exited).code).toBe(1);
    expect(r.output()).toContain("the unmutated suite is not green (killed: test/A.t.sol:A.test_a)");
    expect(fake()).toBe(ORIGINAL);
  });

  it("scores without a folder of tests, from every failure of each mutant", () => {
    const base = { kind: "k", file: "f", seconds: 0, detail: "" };
    const results = [
      { ...base, id: "a", status: "killed" as const, failures: ["test/mutation/X.t.sol:X.t", "test/pool/P.t.sol:P.t"] },
      { ...base, id: "b", status: "killed" as const, failures: ["test/mutation/X.t.sol:X.t"] },
      { ...base, id: "c", status: "survived" as const },
      { ...base, id: "d", status: "equivalent" as const },
    ];
    expect(score(results)).toEqual({ killed: 2, survived: 1, scored: 3, percent: 66.7 });
    expect(score(results, "test/mutation/*")).toEqual({ killed: 1, survived: 2, scored: 3, percent: 33.3 });
  });

  it("refuses to touch a backup whose run is still alive", () => {
    mkdirSync(join(root, ".mutation"));
    const b = { pid: process.ppid, mutant: "x", file: "src/Fake.sol", sha256: "", original: ORIGINAL };
    writeFileSync(backupPath(root), JSON.stringify(b));
    expect(() => restoreLeftover(root)).toThrow(/in progress/);
  });

  it("locates snippets by glob, exactly once, or calls the mutant stale", () => {
    writeFileSync(join(root, "src", "Other.sol"), "contract Other { uint256 x = 1; } // a > 1\n");
    expect(matchFiles(root, "src/**/*.sol")).toEqual(["src/Fake.sol", "src/Other.sol"]);
    expect(locate(root, { id: "a", file: "src/*.sol", find: "a > 1", replace: "a >= 1", kind: "c" }).stale).toMatch(
      /ambiguous \(src\/Fake.sol x1, src\/Other.sol x1\)/,
    );
    expect(locate(root, { id: "b", file: "src/Fake.sol", find: "a > 1", replace: "a >= 1", kind: "c" })).toEqual({
      file: "src/Fake.sol",
    });
    expect(locate(root, { id: "c", file: "lib/*.sol", find: "a > 1", replace: "a >= 1", kind: "c" }).stale).toMatch(
      /no file matches/,
    );
    expect(globToRegExp("src/{pool,vaults}/**/*.sol").test("src/pool/lib/X.sol")).toBe(true);
    expect(globToRegExp("src/{pool,vaults}/**/*.sol").test("src/pool/X.sol")).toBe(true);
    expect(globToRegExp("src/*.sol").test("src/pool/X.sol")).toBe(false);
  });

  it("reads the first failing test out of forge's output", () => {
    const out = [
      "Ran 3 tests for test/pool/Repay.t.sol:RepayTest",
      "[PASS] test_a() (gas: 1)",
      "[FAIL: panic: arithmetic underflow or overflow (0x11); counterexample: calldata=0x args=[1, [2]]] " +
        "testFuzz_b(uint256) (runs: 3, μ: 1, ~: 1)",
      "Ran 1 test for test/x.t.sol:X",
      "[FAIL: nope] test_c() (gas: 1)",
    ].join("\n");
    expect(firstFailure(out)).toBe("test/pool/Repay.t.sol:RepayTest.testFuzz_b");
    expect(firstFailure("[PASS] test_a() (gas: 1)")).toBeUndefined();
  });
});

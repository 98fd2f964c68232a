// `npm start` itself, spawned as a user runs it (the script's every step: the forge build of sources and scripts, the
// SDK bindings, `strata demo`), with `--out` appended to its last command by npm. Nothing else runs the whole chain:
// a broken step (e.g. the bindings generator) would otherwise go unnoticed. Asserts the exit code, the year in
// demo-report.json (53 weekly samples, a realised loss, the keeper's liquidation and auction buy, the junior claim,
// the partial repayment and the extension), the ECharts SVG, the printed table, and that anvil is gone afterwards.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/dev/artifacts.ts";

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const TIMEOUT_MS = 240_000; // a cold forge build of sources and scripts is ~35 s on 2 cores; the year ~10 s

function npmStart(args: string[]): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    // npm test puts npm's own CLI in npm_execpath; run it with this node (a bare `npm` may not be on PATH)
    const npmCli = process.env.npm_execpath;
    const [cmd, argv] = npmCli && /\.c?js$/.test(npmCli) ? [process.execPath, [npmCli, "start", "--", ...args]] : ["npm", ["start", "--", ...args]];
    const child = spawn(cmd, argv, { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      // the whole group: npm, the CLI launcher, node, anvil
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** Whether process `pid` exists (signal 0 checks without sending). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

interface Report {
  weeks: number;
  chainId: number;
  final: { cumulativeLoss: number; seniorSharePrice: number; juniorSharePrice: number };
  samples: {
    week: number;
    seniorSharePrice: number;
    juniorSharePrice: number;
    cumulativeLoss: number;
    floorB: number;
    seniorApy: number;
    juniorApy: number;
  }[];
  events: { week: number; what: string }[];
}

describe("npm start", () => {
  let out: string;
  let run: Run;
  let report: Report;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "strata-npm-start-"));
    run = await npmStart(["--out", out]);
    const file = join(out, "demo-report.json");
    if (existsSync(file)) report = JSON.parse(readFileSync(file, "utf8")) as Report;
  }, TIMEOUT_MS + 10_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
    // a demo that failed to stop its node leaves it running: the test reports it (below), then stops it
    const pid = run?.stderr.match(/anvil on http:\/\/127\.0\.0\.1:\d+ \(pid (\d+)\)/)?.[1];
    if (pid && alive(Number(pid))) process.kill(Number(pid), "SIGKILL");
  });

  it("exits 0", () => {
    expect(run.signal, `killed after ${run.ms} ms\n${run.stderr.slice(-3000)}`).toBeNull();
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
  });

  it("governs through the 2-of-3 governance Safe: two Safe transactions (schedule, execute) through the timelock", () => {
    expect(run.stderr).toMatch(
      /governance: proposals\/local-list-collections\.json scheduled \(op 0x[0-9a-f]{8}…\) and executed after 3600 s by the 2-of-3 Safe 0x[0-9a-fA-F]{40} \(Safe txs 0x[0-9a-f]{8}…, 0x[0-9a-f]{8}…, signed by dev accounts 1 and 2\)/,
    );
  });

  it("writes demo-report.json: 53 weekly samples (weeks 0..52) and a realised loss", () => {
    expect(report, `no ${join(out, "demo-report.json")}\n${run.stderr.slice(-2000)}`).toBeDefined();
    expect(report.weeks).toBe(52);
    expect(report.chainId).toBe(31337);
    expect(report.samples.map((s) => s.week)).toEqual(Array.from({ length: 53 }, (_, i) => i));
    for (const s of report.samples) {
      expect(s.seniorSharePrice).toBeGreaterThan(0.5);
      expect(s.juniorSharePrice).toBeGreaterThan(0);
    }
    expect(report.final.cumulativeLoss).toBeGreaterThan(0);
    expect(report.samples[29].cumulativeLoss).toBe(0); // the loss comes with the crash (week 30), not before
    expect(report.samples[52].cumulativeLoss).toBe(report.final.cumulativeLoss);
    expect(Math.min(...report.samples.map((s) => s.floorB))).toBe(16_000); // 40,000 -> 16,000: the 60 % crash
    expect(report.final.seniorSharePrice).toBeGreaterThan(1); // the junior absorbed the loss
  });

  it("pays the junior for its risk: junior APY above senior APY in every week before the crash (SPEC §5.1, §9.8)", () => {
    expect(report).toBeDefined();
    const before = report.samples.filter((s) => s.week < 30);
    expect(before).toHaveLength(30);
    for (const s of before) expect(s.juniorApy, `week ${s.week}`).toBeGreaterThan(s.seniorApy);
  });

  it("records the keeper's liquidation and auction buy, the junior claim, a partial repayment and an extension", () => {
    const events = report.events.map((e) => e.what);
    const has = (re: RegExp) => expect(events.some((e) => re.test(e)), `no event matching ${re}:\n${events.join("\n")}`).toBe(true);
    has(/^keeper liquidate loan \d+: loan \d+ \((unhealthy|overdue), health [\d.]+, debt [\d,.]+ dUSD\) tx 0x[0-9a-f]{64}$/);
    has(/^keeper buy auction \d+: price [\d,.]+ dUSD <= [\d,.]+ dUSD \(90 % of appraisal [\d,.]+ dUSD\) tx 0x[0-9a-f]{64}$/);
    has(/^junior lender requests redemption of 20 % of its shares \(request \d+, notice period then queue\)$/);
    has(/^junior lender claims request \d+: [\d,.]+ dUSD$/);
    has(/^partial repayment of loan \d+: [\d,.]+ \(interest \+ 10,000 principal\)$/);
    has(/^loan \d+ extended by 60 days at [\d.]+ % APR$/);
    has(/^loan \d+ repaid in full and rolled into loan \d+ \(\d+ days\)$/);
    // the keeper served the junior queue before the claim
    has(/^keeper process junior queue: /);
    // and never failed an action: a queue in its notice period is waited for (Keeper.queueWait), not attempted
    expect(events.filter((e) => /^keeper error /.test(e))).toEqual([]);
  });

  it("writes demo-chart.svg rendered by ECharts (zrender's SVG), with the four series", () => {
    const svg = readFileSync(join(out, "demo-chart.svg"), "utf8");
    expect(svg.length).toBeGreaterThan(5_000);
    expect(svg).toMatch(/^<svg width="960" height="540" xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*baseProfile="full"/);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toMatch(/class="zr\d+-cls-\d+"/); // zrender's SSR class names: ECharts, not hand-drawn paths
    for (const name of ["senior share price", "junior share price", "utilization", "cumulative loss (k dUSD)"]) expect(svg).toContain(`>${name}</text>`);
    expect((svg.match(/<path /g) ?? []).length).toBeGreaterThan(20);
  });

  it("prints the table, the terminal chart and the events", () => {
    expect(run.stdout).toMatch(/week\s*│\s*date\s*│\s*senior price\s*│\s*junior price\s*│/);
    expect(run.stdout).toMatch(/│\s*52\s*│\s*\d{4}-\d{2}-\d{2}\s*│\s*1\.\d{4}\s*│\s*\d\.\d{4}\s*│/); // the last week's row
    expect(run.stdout).toContain("share price by week (blue: senior, red: junior)");
    expect(run.stdout).toContain("keeper and life-cycle events:");
    expect(run.stdout).toContain(`wrote ${join(out, "demo-report.json")} and ${join(out, "demo-chart.svg")}`);
  });

  it("stops anvil: its pid is gone and its port refuses connections", async () => {
    const m = run.stderr.match(/anvil on (http:\/\/127\.0\.0\.1:\d+) \(pid (\d+)\)/);
    expect(m, run.stderr.slice(0, 2000)).not.toBeNull();
    const [, url, pid] = m!;
    expect(run.stderr).toMatch(/done \(node CPU [\d.]+ s user\); stopping anvil/);
    expect(alive(Number(pid))).toBe(false);
    const refused = await fetch(url, { method: "POST", body: "{}", signal: AbortSignal.timeout(3000) }).then(
      () => null,
      (e: Error) => (e.cause as NodeJS.ErrnoException | undefined)?.code ?? e.message,
    );
    expect(refused).toBe("ECONNREFUSED");
  });
});

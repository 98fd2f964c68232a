// On-demand mutation testing of `src/` (issue #20). Not part of `npm test`: a full campaign recompiles the contracts
// and the tests that import them once per mutant (see docs/coverage.md for how long that takes).
//
//   npm run test:mutation                              # every mutant of tools/mutation/catalogue.json
//   npm run test:mutation -- --only pool-repay-full-ge,wf-split-min
//   npm run test:mutation -- --file 'src/vaults/*' --json
//   node tools/mutation/run.ts --restore               # only restore a file left mutated by a killed run
//
// A mutant is `{id, file, find, replace, kind, tests?, equivalent?}`: `file` is a glob over the repository, `find` an
// exact source snippet that must occur exactly once in the files it matches (so the catalogue survives code moving
// between files and lines; a snippet found nowhere, or more than once, makes the mutant "stale": neither killed nor
// survived, to be refreshed). Each mutant is applied, the forge suite runs with the invariant suites excluded and
// `--fail-fast`, and the file is restored. Stage 1 runs only the mutant's `tests` (or its area's) — a failure there
// is a kill by a test of the suite; a mutant that survives stage 1 runs the whole non-invariant suite (stage 2)
// before it is called a survivor (`--staged`; by default every mutant runs the whole suite).
//
// Every file is restored whatever happens: the original is written to `.mutation/backup.json` before the mutant is
// applied; a `finally`, the SIGINT/SIGTERM/SIGHUP handlers and an uncaught-exception handler put it back, and a run
// that was SIGKILLed leaves the backup behind, which the next run (or `--restore`) restores before anything else.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** One deliberate bug. */
export interface Mutant {
  id: string;
  /** Glob (relative to the root) of the files the snippet may live in, e.g. `src/pool/*.sol` or `src/**\/*.sol`. */
  file: string;
  /** Exact source text that must occur exactly once across the matching files. */
  find: string;
  replace: string;
  kind: string;
  /** Area (key of `Catalogue.areas`) whose tests run in stage 1 when `tests` is absent. */
  area?: string;
  /** Test-file globs for stage 1. */
  tests?: string[];
  /** Why the mutant cannot change behaviour; equivalent mutants are not run unless `--include-equivalent`. */
  equivalent?: string;
  note?: string;
}

export interface Catalogue {
  areas?: Record<string, string[]>;
  mutants: Mutant[];
}

export type Status = "killed" | "survived" | "stale" | "equivalent" | "invalid" | "timeout" | "error";

export interface Result {
  id: string;
  kind: string;
  file: string;
  status: Status;
  /** The first failing test (`path:Contract.test`), or why the mutant is stale / invalid. */
  detail: string;
  stage?: 1 | 2;
  /** Every failing test (only the first with `--fail-fast`). */
  failures?: string[];
  seconds: number;
  equivalent?: string;
}

export interface SuiteOutcome {
  /** Exit code of the suite command (null when it was killed by a signal). */
  code: number | null;
  output: string;
  timedOut: boolean;
}

/** Runs the test suite on the mutated tree. `tests` is the stage-1 selection (undefined: the whole suite). */
export type Suite = (tests: string[] | undefined, signal: RunControl) => Promise<SuiteOutcome>;

export interface RunControl {
  child?: ChildProcess;
}

export interface Options {
  root: string;
  catalogue: Catalogue;
  suite: Suite;
  only?: string[];
  fileGlob?: string;
  /** Run each mutant's `tests` (stage 1) before the whole suite (stage 2); default: the whole suite only. */
  staged?: boolean;
  /**
   * With `staged`: a stage-1 kill whose every failing test matches this glob (the `--score-without` tests) goes on to
   * stage 2 as well, so that the score without those tests stays exact.
   */
  exactWithout?: string;
  includeEquivalent?: boolean;
  /** Run in catalogue order (or `--only` order) instead of grouping by file. */
  keepOrder?: boolean;
  /** Where each mutant's suite output is written (`<id>.stage<n>.log`). */
  logDir?: string;
  /** Called with the results so far after every mutant (the CLI keeps `.mutation/results.json` current with it). */
  onResult?: (results: Result[]) => void;
  /** Run the unmutated suite first and stop unless it passes. */
  baseline?: boolean;
  log?: (line: string) => void;
}

// ------------------------------------------------------------------------------------------ globs and snippets

/** A glob (`*`, `**`, `?`, `{a,b}`) as an anchored regular expression over `/`-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") re += "(?:";
    else if (c === "}") re += ")";
    else if (c === ",") re += "|";
    else re += c.replace(/[.+^$()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string, root: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, root, out);
    else out.push(relative(root, full).split(sep).join("/"));
  }
}

/** Files under `root` matching `glob` (searched from the glob's literal directory prefix). */
export function matchFiles(root: string, glob: string): string[] {
  const literal = glob.split("/");
  const prefix: string[] = [];
  for (const part of literal.slice(0, -1)) {
    if (/[*?{]/.test(part)) break;
    prefix.push(part);
  }
  const base = join(root, ...prefix);
  if (!existsSync(base) || !statSync(base).isDirectory()) return [];
  const all: string[] = [];
  walk(base, root, all);
  const re = globToRegExp(glob);
  return all.filter((f) => re.test(f)).sort();
}

function countOccurrences(text: string, snippet: string): number {
  let n = 0;
  for (let i = text.indexOf(snippet); i !== -1; i = text.indexOf(snippet, i + 1)) n++;
  return n;
}

export interface Located {
  file?: string;
  stale?: string;
}

/** The one file holding `m.find` exactly once, or why the mutant is stale. */
export function locate(root: string, m: Mutant): Located {
  if (m.find === m.replace) return { stale: "find == replace" };
  const files = matchFiles(root, m.file);
  if (files.length === 0) return { stale: `no file matches ${m.file}` };
  const hits: { file: string; n: number }[] = [];
  for (const f of files) {
    const n = countOccurrences(readFileSync(join(root, f), "utf8"), m.find);
    if (n > 0) hits.push({ file: f, n });
  }
  const total = hits.reduce((s, h) => s + h.n, 0);
  if (total === 0) return { stale: "snippet not found" };
  if (total > 1) return { stale: `snippet ambiguous (${hits.map((h) => `${h.file} x${h.n}`).join(", ")})` };
  return { file: hits[0].file };
}

// ------------------------------------------------------------------------------------------ backup and restore

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

interface Backup {
  pid: number;
  mutant: string;
  file: string;
  sha256: string;
  original: string;
}

export const backupPath = (root: string) => join(root, ".mutation", "backup.json");

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Restores the file recorded in a leftover backup (a run killed with SIGKILL). Returns the restored path, or
 * undefined when there was nothing to restore. Refuses while the process that wrote the backup is alive.
 */
export function restoreLeftover(root: string, log: (s: string) => void = () => {}): string | undefined {
  const p = backupPath(root);
  if (!existsSync(p)) return undefined;
  const b = JSON.parse(readFileSync(p, "utf8")) as Backup;
  if (b.pid !== process.pid && pidAlive(b.pid)) {
    throw new Error(`a mutation run (pid ${b.pid}) is in progress on ${b.file}; not touching it`);
  }
  if (sha(b.original) !== b.sha256) throw new Error(`${p} is corrupt (hash mismatch); restore ${b.file} by hand`);
  const target = join(root, b.file);
  if (!existsSync(target) || readFileSync(target, "utf8") !== b.original) {
    writeFileSync(target, b.original);
    log(`restored ${b.file} (left mutated by mutant ${b.mutant} of a killed run, pid ${b.pid})`);
  }
  rmSync(p);
  return b.file;
}

/** Holds at most one applied mutant and guarantees its file goes back, on every exit path. */
class Applied {
  private current?: { root: string; file: string; original: string };

  apply(root: string, m: Mutant, file: string): void {
    const target = join(root, file);
    const original = readFileSync(target, "utf8");
    mkdirSync(dirname(backupPath(root)), { recursive: true });
    const b: Backup = { pid: process.pid, mutant: m.id, file, sha256: sha(original), original };
    const tmp = `${backupPath(root)}.tmp`;
    writeFileSync(tmp, JSON.stringify(b));
    renameSync(tmp, backupPath(root)); // the backup exists (atomically) before the file changes
    this.current = { root, file, original };
    writeFileSync(target, original.replace(m.find, () => m.replace));
  }

  /** Synchronous, so that it can run inside a signal or exit handler. */
  restore(): void {
    const c = this.current;
    if (!c) return;
    writeFileSync(join(c.root, c.file), c.original);
    rmSync(backupPath(c.root), { force: true });
    this.current = undefined;
  }
}

// ------------------------------------------------------------------------------------------ forge

/** Every failing test named in forge's output (`path:Contract.test`), in order of appearance, without repeats. */
export function failures(output: string): string[] {
  const found: string[] = [];
  let suite: string | undefined;
  for (const line of output.split("\n")) {
    const ran = /^(?:Ran \d+ tests? for|Encountered \d+ failing tests? in) (\S+)/.exec(line);
    if (ran) suite = ran[1];
    if (!line.startsWith("[FAIL")) continue;
    // `[FAIL: reason] name(args) (gas: ...)`; the reason may itself hold brackets, the name is after the last `] `.
    const name = /^\[FAIL.*\]\s+(\w+)\(/.exec(line)?.[1] ?? line.slice(0, 80);
    const id = suite ? `${suite}.${name}` : name;
    if (!found.includes(id)) found.push(id);
  }
  return found;
}

/** The first failing test named in forge's output, if any. */
export function firstFailure(output: string): string | undefined {
  return failures(output)[0];
}

/** `forge test` of the non-invariant suite in a separate, unoptimized build (see docs/coverage.md). */
export function forgeSuite(root: string, timeoutSeconds: number, fuzzRuns = 32, failFast = true): Suite {
  const forge = join(root, "node_modules", ".bin", "forge");
  return (tests, control) => {
    // Dynamic test linking: a test deploying a contract with `new` links its bytecode at run time, so a mutant
    // inside a function body recompiles the mutated file and its importers in src/ and script/, not the tests.
    const args = ["-n", "19", forge, "test", "--dynamic-test-linking"];
    if (failFast) args.push("--fail-fast");
    // Gas ceilings (`test/gas/*`, and `test_gas_*` beside the unit tests) only hold for the optimized build.
    args.push("--no-match-path", "{test/invariant/*,test/gas/*}", "--no-match-test", "^test_gas_");
    if (tests && tests.length > 0) args.push("--match-path", tests.length === 1 ? tests[0] : `{${tests.join(",")}}`);
    return runCommand("nice", args, root, timeoutSeconds, control, {
      FOUNDRY_PROFILE: "default",
      FOUNDRY_OUT: ".mutation/out",
      FOUNDRY_CACHE_PATH: ".mutation/cache",
      FOUNDRY_OPTIMIZER: "false",
      FOUNDRY_FUZZ_RUNS: String(fuzzRuns),
      FOUNDRY_DISABLE_CODE_SIZE_LIMIT: "true",
      FOUNDRY_GAS_SNAPSHOT_EMIT: "false",
      FOUNDRY_GAS_SNAPSHOT_CHECK: "false",
    });
  };
}

/** A shell command as the suite (the runner's own tests use a fake one); `$MUTATION_TESTS` holds stage-1 globs. */
export function commandSuite(root: string, command: string, timeoutSeconds: number): Suite {
  return (tests, control) =>
    runCommand("sh", ["-c", command], root, timeoutSeconds, control, { MUTATION_TESTS: (tests ?? []).join(",") });
}

function runCommand(
  cmd: string,
  args: string[],
  cwd: string,
  timeoutSeconds: number,
  control: RunControl,
  env: Record<string, string>,
): Promise<SuiteOutcome> {
  return new Promise((resolvePromise, reject) => {
    // Own process group, so that the whole tree (forge, solc) can be stopped on timeout or interrupt.
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: "pipe" });
    control.child = child;
    let output = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, "SIGKILL");
    }, timeoutSeconds * 1000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      control.child = undefined;
      resolvePromise({ code, output, timedOut });
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

// ------------------------------------------------------------------------------------------ the campaign

function classify(o: SuiteOutcome): { status: Status; detail: string; failures?: string[] } {
  if (o.timedOut) return { status: "timeout", detail: "suite timed out (counted as killed)" };
  if (o.code === 0) return { status: "survived", detail: "" };
  if (/Compiler run failed|Compilation failed|^Error \(\d+\)/m.test(o.output)) {
    const err = /^Error[^\n]*\n?[^\n]*/m.exec(o.output)?.[0] ?? "compile error";
    return { status: "invalid", detail: err.replace(/\s+/g, " ").slice(0, 120) };
  }
  const failed = failures(o.output);
  if (failed.length > 0) return { status: "killed", detail: failed[0], failures: failed };
  const last = o.output.trim().split("\n").slice(-1)[0] ?? "";
  return { status: "error", detail: `exit ${o.code}: ${last.slice(0, 120)}` };
}

/** Applies each selected mutant in turn, runs the suite, restores. Never leaves a file mutated. */
export async function runCampaign(opts: Options): Promise<Result[]> {
  const log = opts.log ?? (() => {});
  restoreLeftover(opts.root, log);
  const applied = new Applied();
  const control: RunControl = {};
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    stopping = true;
    if (control.child) killGroup(control.child, "SIGKILL");
    applied.restore();
    log(`\n${signal}: restored the mutated file; stopping`);
    process.exit(signal === "SIGINT" ? 130 : signal === "SIGHUP" ? 129 : 143);
  };
  const onCrash = (e: unknown) => {
    applied.restore();
    console.error(e);
    process.exit(1);
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, onSignal);
  process.on("uncaughtException", onCrash);
  process.on("exit", () => applied.restore());

  const only = opts.only ? new Set(opts.only) : undefined;
  if (only) {
    const unknown = [...only].filter((id) => !opts.catalogue.mutants.some((m) => m.id === id));
    if (unknown.length) throw new Error(`unknown mutant id(s): ${unknown.join(", ")}`);
  }
  const fileRe = opts.fileGlob ? globToRegExp(opts.fileGlob) : undefined;
  const withoutRe = opts.exactWithout ? globToRegExp(opts.exactWithout) : undefined;
  const planned: { m: Mutant; loc: Located }[] = [];
  for (const m of opts.catalogue.mutants) {
    if (only && !only.has(m.id)) continue;
    const loc = locate(opts.root, m);
    if (fileRe && !fileRe.test(loc.file ?? m.file) && !fileRe.test(m.file)) continue;
    planned.push({ m, loc });
  }
  // Same file back to back: the restored original of one mutant and the next mutant dirty the same dependents.
  if (!opts.keepOrder) planned.sort((a, b) => (a.loc.file ?? "~").localeCompare(b.loc.file ?? "~"));
  else if (only) planned.sort((a, b) => opts.only!.indexOf(a.m.id) - opts.only!.indexOf(b.m.id));

  const results: Result[] = [];
  if (opts.baseline && planned.some((p) => p.loc.file && (!p.m.equivalent || opts.includeEquivalent))) {
    // The unmutated suite must pass, or every mutant would look killed.
    const t0 = Date.now();
    const base = classify(await opts.suite(undefined, control));
    log(`baseline (unmutated suite): ${base.status === "survived" ? "green" : base.status}, ${(Date.now() - t0) / 1000} s`);
    if (base.status !== "survived") {
      throw new Error(`the unmutated suite is not green (${base.status}: ${base.detail}); fix it before mutating`);
    }
  }
  try {
    for (const [i, { m, loc }] of planned.entries()) {
      if (stopping) break;
      const base = { id: m.id, kind: m.kind, file: loc.file ?? m.file, equivalent: m.equivalent };
      if (!loc.file) {
        results.push({ ...base, status: "stale", detail: loc.stale ?? "", seconds: 0 });
        log(`[${i + 1}/${planned.length}] ${m.id}: stale (${loc.stale})`);
        continue;
      }
      if (m.equivalent && !opts.includeEquivalent) {
        results.push({ ...base, status: "equivalent", detail: m.equivalent, seconds: 0 });
        continue;
      }
      const t0 = Date.now();
      const stage1 = !opts.staged ? undefined : (m.tests ?? (m.area ? opts.catalogue.areas?.[m.area] : undefined));
      let outcome: { status: Status; detail: string; failures?: string[] };
      let stage: 1 | 2 = stage1 ? 1 : 2;
      const keep = (o: SuiteOutcome, n: number) => {
        if (!opts.logDir) return o;
        mkdirSync(opts.logDir, { recursive: true });
        writeFileSync(join(opts.logDir, `${m.id}.stage${n}.log`), o.output);
        return o;
      };
      applied.apply(opts.root, m, loc.file);
      try {
        outcome = classify(keep(await opts.suite(stage1, control), stage));
        const onlyWithout = (o: { status: Status; detail: string; failures?: string[] }) =>
          withoutRe !== undefined &&
          o.status === "killed" &&
          (o.failures ?? [o.detail]).every((f) => withoutRe.test(f.split(":")[0]));
        if (stage1 && (outcome.status === "survived" || onlyWithout(outcome))) {
          stage = 2;
          outcome = classify(keep(await opts.suite(undefined, control), 2));
        }
      } finally {
        applied.restore();
      }
      const seconds = Math.round((Date.now() - t0) / 100) / 10;
      results.push({ ...base, ...outcome, stage, seconds });
      opts.onResult?.(results);
      log(
        `[${i + 1}/${planned.length}] ${m.id}: ${outcome.status}${outcome.detail ? ` (${outcome.detail})` : ""}` +
          ` stage ${stage}, ${seconds} s`,
      );
    }
  } finally {
    applied.restore();
    for (const s of signals) process.off(s, onSignal);
    process.off("uncaughtException", onCrash);
  }
  return results;
}

export interface Score {
  killed: number;
  survived: number;
  scored: number;
  percent: number;
}

/**
 * Killed (timeouts included) over killed + survived; stale, equivalent, invalid and errored mutants are not scored.
 * With `without`, a mutant counts as killed only if a test NOT matching that glob failed (meaningful with every
 * failure recorded, i.e. without `--fail-fast`): the score the suite had before the tests under `without` existed.
 */
export function score(results: Result[], without?: string): Score {
  const re = without ? globToRegExp(without) : undefined;
  const killedBy = (r: Result) =>
    r.status === "timeout" ||
    (r.status === "killed" && (!re || (r.failures ?? [r.detail]).some((f) => !re.test(f.split(":")[0]))));
  const scoredResults = results.filter((r) => ["killed", "timeout", "survived"].includes(r.status));
  const killed = scoredResults.filter(killedBy).length;
  const scored = scoredResults.length;
  return {
    killed,
    survived: scored - killed,
    scored,
    percent: scored === 0 ? 100 : Math.round((killed / scored) * 1000) / 10,
  };
}

export function table(results: Result[], without?: string): string {
  const rows = results.map((r) => [r.id, r.kind, r.file.replace(/^src\//, ""), r.status, r.detail]);
  const head = ["mutant", "kind", "file", "status", "first killing test / reason"];
  const widths = head.map((h, c) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[c].length))));
  const fmt = (r: string[]) => r.map((v, c) => (c === 4 ? v : v.padEnd(widths[c]))).join("  ");
  const s = score(results);
  const counts = ["killed", "timeout", "survived", "equivalent", "stale", "invalid", "error"]
    .map((k) => `${k} ${results.filter((r) => r.status === k).length}`)
    .join(", ");
  return [
    fmt(head),
    fmt(widths.map((w) => "-".repeat(w))),
    ...rows.map(fmt),
    "",
    `${counts}`,
    `score: ${s.killed}/${s.scored} non-equivalent mutants killed = ${s.percent} %`,
    ...(without
      ? [
          (() => {
            const w = score(results, without);
            return `score without the tests under ${without}: ${w.killed}/${w.scored} = ${w.percent} %`;
          })(),
        ]
      : []),
  ].join("\n");
}

// ------------------------------------------------------------------------------------------ command line

function parseArgs(argv: string[]) {
  const a: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (!k.startsWith("--")) throw new Error(`unexpected argument ${k}`);
    const key = k.slice(2);
    if (["json", "staged", "include-equivalent", "restore", "list", "all-failures", "no-baseline", "keep-order"].includes(key)) a[key] = true;
    else if (["only", "file", "root", "catalogue", "suite-cmd", "timeout", "fuzz-runs", "score-without"].includes(key)) {
      if (argv[i + 1] === undefined) throw new Error(`${k} needs a value`);
      a[key] = argv[++i];
    } else throw new Error(`unknown option ${k}`);
  }
  return a;
}

export async function main(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  const root = resolve((a.root as string) ?? REPO);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  if (a.restore) {
    const f = restoreLeftover(root, log);
    if (!f) log("nothing to restore");
    return 0;
  }
  const cataloguePath = resolve((a.catalogue as string) ?? join(REPO, "tools", "mutation", "catalogue.json"));
  const catalogue = JSON.parse(readFileSync(cataloguePath, "utf8")) as Catalogue;
  const ids = new Set<string>();
  for (const m of catalogue.mutants) {
    if (ids.has(m.id)) throw new Error(`duplicate mutant id ${m.id}`);
    ids.add(m.id);
  }
  if (a.list) {
    for (const m of catalogue.mutants) {
      const loc = locate(root, m);
      process.stdout.write(`${m.id}\t${m.kind}\t${loc.file ?? `STALE: ${loc.stale}`}\n`);
    }
    return 0;
  }
  const timeout = Number(a.timeout ?? 1800);
  const suite = a["suite-cmd"] ? commandSuite(root, a["suite-cmd"] as string, timeout) : forgeSuite(root, timeout, Number(a["fuzz-runs"] ?? 32), !a["all-failures"]);
  const t0 = Date.now();
  const results = await runCampaign({
    root,
    catalogue,
    suite,
    only: a.only ? (a.only as string).split(",").filter(Boolean) : undefined,
    fileGlob: a.file as string | undefined,
    staged: Boolean(a.staged),
    exactWithout: a.staged ? (a["score-without"] as string | undefined) : undefined,
    includeEquivalent: Boolean(a["include-equivalent"]),
    baseline: !a["no-baseline"],
    keepOrder: Boolean(a["keep-order"]),
    logDir: join(root, ".mutation", "logs"),
    // Partial results survive an interrupted campaign.
    onResult: (partial) => {
      mkdirSync(join(root, ".mutation"), { recursive: true });
      writeFileSync(join(root, ".mutation", "results.json"), JSON.stringify({ partial }, null, 2));
    },
    log,
  });
  const seconds = Math.round((Date.now() - t0) / 1000);
  mkdirSync(join(root, ".mutation"), { recursive: true });
  const without = a["score-without"] as string | undefined;
  const report = {
    seconds,
    score: score(results),
    ...(without ? { scoreWithout: { glob: without, ...score(results, without) } } : {}),
    results,
  };
  writeFileSync(join(root, ".mutation", "results.json"), JSON.stringify(report, null, 2));
  if (a.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${table(results, without)}\nwall time: ${seconds} s\n`);
  return results.some((r) => r.status === "error") ? 2 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}

// `npm run bench:first-run`: what a newcomer waits for. Clones this repository's committed HEAD into a fresh
// temporary directory (nothing of this checkout's node_modules, out/ or cache comes along), then runs there, as the
// README says, `npm install` and `npm start`, and prints the wall time of each, with the start's parts read from
// its own output: the compile (forge's "Solc … finished in"), the SDK bindings, and the simulated year (the demo's
// last timestamp). npm's package cache (~/.npm) is used as any second clone on the machine would use it.
//
//   npm run bench:first-run                 # a table
//   npm run bench:first-run -- --json       # the figures as JSON on stdout
//   npm run bench:first-run -- --keep-dir   # leave the clone behind (its path is printed)
// Exit code 1 if a step fails (its last output lines are printed).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = new Set(process.argv.slice(2));
const json = args.has("--json");
const say = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);

interface Step {
  seconds: number;
  output: string;
}

/** Runs `npm <args>` in `cwd` with a clean npm environment (no npm_* variables of the npm that runs this file). */
function npm(cwd: string, npmArgs: string[]): Promise<Step> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_")));
  // the shell's PATH without this checkout's node_modules/.bin (npm run put it first): the clone must use its own
  env.PATH = (env.PATH ?? "")
    .split(":")
    .filter((p) => !p.startsWith(join(ROOT, "node_modules")))
    .join(":");
  const t0 = performance.now();
  return new Promise((res, rej) => {
    const child = spawn("npm", npmArgs, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr.on("data", (b: Buffer) => (output += b.toString()));
    child.on("error", rej);
    child.on("exit", (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code === 0) res({ seconds, output });
      else rej(new Error(`npm ${npmArgs.join(" ")} failed (exit ${code}) after ${seconds.toFixed(1)} s:\n${output.split("\n").slice(-25).join("\n")}`));
    });
  });
}

const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
const dir = mkdtempSync(join(tmpdir(), "strata-first-run-"));
const clone = join(dir, "strata");
try {
  const load = loadavg()[0];
  say(`git clone ${ROOT} (HEAD ${head}) -> ${clone}  [${cpus().length} cores, load ${load.toFixed(2)}]`);
  const c = spawnSync("git", ["clone", "--quiet", ROOT, clone], { encoding: "utf8" });
  if (c.status !== 0) throw new Error(`git clone failed: ${c.stderr}`);
  say("npm install …");
  const install = await npm(clone, ["install"]);
  say(`npm install: ${install.seconds.toFixed(1)} s`);
  say("npm start …");
  const start = await npm(clone, ["start"]);
  const compile = Number(start.output.match(/Solc [\d.]+ finished in ([\d.]+)s/)?.[1] ?? Number.NaN);
  const files = Number(start.output.match(/Compiling (\d+) files/)?.[1] ?? Number.NaN);
  const year = Number([...start.output.matchAll(/^\[\s*([\d.]+) s\]/gm)].pop()?.[1] ?? Number.NaN);
  const figures = {
    head,
    cores: cpus().length,
    loadBefore: load,
    installSeconds: install.seconds,
    startSeconds: start.seconds,
    compileSeconds: compile,
    compiledFiles: files,
    yearSeconds: year,
    otherStartSeconds: start.seconds - compile - year,
    totalSeconds: install.seconds + start.seconds,
  };
  if (json) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  else {
    const row = (name: string, s: number, note = "") => say(`  ${name.padEnd(34)} ${s.toFixed(1).padStart(6)} s  ${note}`);
    say("");
    row("npm install", figures.installSeconds, "(runtime only: .npmrc omits devDependencies)");
    row("npm start", figures.startSeconds);
    row("  compile", figures.compileSeconds, `(${files} files, solcjs)`);
    row("  simulated year", figures.yearSeconds, "(anvil, deploy, governance, 52 weeks, report)");
    row("  the rest", figures.otherStartSeconds, "(forge and node start-up, SDK bindings, charts)");
    row("first run in all", figures.totalSeconds);
  }
} catch (e) {
  say((e as Error).message);
  process.exitCode = 1;
} finally {
  if (args.has("--keep-dir")) say(`clone kept: ${clone}`);
  else rmSync(dir, { recursive: true, force: true });
}

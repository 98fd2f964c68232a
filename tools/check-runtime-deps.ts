// A plain `npm install` installs the runtime only (.npmrc omits devDependencies, so that a fresh clone's first
// `npm start` is fast). This check proves the runtime is enough: everything `npm start`, the `strata` CLI and
// `npm run app` load must be a `dependencies` (or `optionalDependencies`) entry of package.json, never a
// devDependency.
//
//   node tools/check-runtime-deps.ts              # check this repository (npm test runs it as test:runtime-deps)
//   node tools/check-runtime-deps.ts --root DIR   # check another tree (the checker's own test does)
//
// What is followed, from RUNTIME_ENTRIES:
// - TypeScript / JavaScript: every static `import … from`, side-effect `import "…"`, dynamic `import("…")` and
//   `require("…")`, following relative imports through the repository. `import type` is skipped (erased at run
//   time). Generated bindings (ts-sdk/src/generated, written by `gen:sdk`) are not followed: they import ethers only.
// - Solidity: the imports of src/ and of the scripts `npm start` compiles, through remappings.txt into a package.
// - Tools run by name: the binaries named in the runtime npm scripts (BIN_PACKAGES), and packages another package
//   loads by name (LOADED_BY_NAME, each checked to still be named in the file that loads it).
// - Not followed: imports made only on a development path (DEV_ONLY_IMPORTS, e.g. generate.ts's TypeChain step).
// Each problem is printed as `file: message`; the exit code is 1 if there is any.
import { builtinModules } from "node:module";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Files and directories the runtime starts from (directories: every source file under them). */
export const RUNTIME_ENTRIES: readonly string[] = [
  "ts-sdk/bin/strata.mjs",
  "ts-sdk/src/cli/strata.ts", // spawned by ts-sdk/bin/strata.mjs
  "ts-sdk/src/index.ts",
  "ts-sdk/scripts/generate.ts",
  "app/server.ts",
  "app/vite.config.ts",
  "app/src",
  "tools/solc.cjs",
  "tools/postinstall.cjs",
  "tools/foundry.cjs",
  "tools/require-dev.cjs",
  "src",
  "script/Deploy.s.sol",
  "script/sdk",
];

/** The npm scripts a runtime install must be able to run. */
export const RUNTIME_SCRIPTS: readonly string[] = ["start", "build:contracts", "build:app", "app"];

/** Binaries the runtime scripts or the SDK run, and the package that provides each. */
export const BIN_PACKAGES: Readonly<Record<string, string>> = { forge: "@foundry-rs/forge", anvil: "@foundry-rs/anvil", vite: "vite" };

/** Packages loaded by name rather than imported: [package, file that loads it, the text there that names it]. */
export const LOADED_BY_NAME: readonly (readonly [string, string, string])[] = [
  ["@foundry-rs/anvil", "ts-sdk/src/dev/anvil.ts", "@foundry-rs/${tool}-linux-amd64"], // anvil's platform binary package
  ["@foundry-rs/forge", "tools/foundry.cjs", "`@foundry-rs/${tool}-${suffix}`"], // forge's platform binary package
];

/** Imports a runtime file makes only on a development path: [file, specifier, when]. Not followed. */
export const DEV_ONLY_IMPORTS: readonly (readonly [string, string, string])[] = [
  ["ts-sdk/scripts/generate.ts", "./typechain-types.ts", "without --runtime: the TypeChain types, for tsc (npm run gen:sdk)"],
];

/** Import specifiers that are aliases of repository code, not packages (app/vite.config.ts `resolve.alias`). */
export const ALIASES: readonly string[] = ["@strata-protocol/sdk"];

const SKIP_FOLLOW = ["ts-sdk/src/generated/"];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|sol)$/;

export interface Problem {
  file: string;
  message: string;
}

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`). */
export function packageOf(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const isBuiltin = (spec: string) => spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0]);

/** The import specifiers of a TypeScript / JavaScript source (type-only imports excluded). */
export function jsImports(text: string): string[] {
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  for (const m of code.matchAll(/(?:^|[;\n])\s*(import|export)\s+(type\s+)?[^;"'`]*?\bfrom\s*["']([^"']+)["']/g)) if (!m[2]) out.push(m[3]);
  for (const m of code.matchAll(/(?:^|[;\n])\s*import\s*["']([^"']+)["']/g)) out.push(m[1]);
  for (const m of code.matchAll(/\b(?:import|require)\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]);
  return out;
}

/** The import paths of a Solidity source. */
export function solImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  return [...code.matchAll(/\bimport\s+(?:[^;]*?\bfrom\s+)?["']([^"']+)["']\s*;/g)].map((m) => m[1]);
}

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourcesUnder(p));
    else if (SOURCE.test(name)) out.push(p);
  }
  return out;
}

function resolveRelative(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, ...[".ts", ".tsx", ".js", ".mjs", ".cjs"].map((e) => base + e), join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Checks the tree at `root`; returns every problem found. */
export function checkTree(root: string): Problem[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    scripts?: Record<string, string>;
  };
  const runtime = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
  const problems: Problem[] = [];
  const rel = (p: string) => relative(root, p);
  const reported = new Set<string>(); // one problem per missing package, at the first place that needs it
  const need = (name: string, file: string, why: string) => {
    if (runtime.has(name) || reported.has(name)) return;
    reported.add(name);
    const where = pkg.devDependencies?.[name] ? "a devDependency only" : "not in package.json";
    problems.push({ file, message: `${why} needs "${name}", which is ${where}: a plain \`npm install\` leaves it out (move it to "dependencies")` });
  };

  const remappings = existsSync(join(root, "remappings.txt"))
    ? readFileSync(join(root, "remappings.txt"), "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l.includes("="))
        .map((l) => l.split("=") as [string, string])
    : [];
  const remapped = (spec: string): string | null => {
    const hit = remappings.find(([prefix]) => spec.startsWith(prefix));
    if (!hit) return null;
    const target = hit[1];
    if (target.startsWith("lib/forge-std")) return "@layerzerolabs/toolbox-foundry"; // linked by tools/postinstall.cjs
    const m = target.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)/);
    return m ? m[1] : null;
  };

  const queue: string[] = [];
  for (const entry of RUNTIME_ENTRIES) {
    const p = join(root, entry);
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) queue.push(...sourcesUnder(p));
    else queue.push(p);
  }
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    const sol = file.endsWith(".sol");
    for (const spec of sol ? solImports(text) : jsImports(text)) {
      if (DEV_ONLY_IMPORTS.some(([f, sp]) => f === rel(file) && sp === spec)) continue;
      if (spec.startsWith(".") || spec.startsWith("/")) {
        const target = sol ? resolve(dirname(file), spec) : resolveRelative(file, spec);
        if (target && existsSync(target) && !SKIP_FOLLOW.some((s) => rel(target).startsWith(s))) queue.push(target);
        continue;
      }
      if (sol) {
        const name = remapped(spec);
        if (name) need(name, rel(file), `import "${spec}"`);
        else problems.push({ file: rel(file), message: `import "${spec}" matches no remapping in remappings.txt` });
        continue;
      }
      if (isBuiltin(spec) || ALIASES.some((a) => spec === a || spec.startsWith(`${a}/`))) continue;
      need(packageOf(spec), rel(file), `import "${spec}"`);
    }
  }

  for (const name of RUNTIME_SCRIPTS) {
    const script = pkg.scripts?.[name];
    if (script === undefined) {
      problems.push({ file: "package.json", message: `the runtime script "${name}" is missing` });
      continue;
    }
    for (const [bin, provider] of Object.entries(BIN_PACKAGES)) {
      if (new RegExp(`(^|&&|;|\\|)\\s*${bin}\\b`).test(script)) need(provider, "package.json", `script "${name}" runs ${bin}: it`);
    }
  }
  for (const [name, file, needle] of LOADED_BY_NAME) {
    const p = join(root, file);
    const named = existsSync(p) && readFileSync(p, "utf8").includes(needle);
    if (!named) problems.push({ file, message: `LOADED_BY_NAME says this file loads "${name}", but it no longer names it: update tools/check-runtime-deps.ts` });
    else need(name, file, "loading by name");
  }
  return problems;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const i = process.argv.indexOf("--root");
  const root = i > 0 ? resolve(process.argv[i + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const problems = checkTree(root);
  for (const p of problems) process.stderr.write(`${p.file}: ${p.message}\n`);
  if (problems.length > 0) process.exit(1);
  process.stdout.write("runtime dependencies: everything npm start, the strata CLI and npm run app load is installed by a plain `npm install`\n");
}

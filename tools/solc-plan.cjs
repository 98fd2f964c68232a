// Work plan for tools/solc.cjs's parallel compilation: which worker generates code for which files.
//
// A solcjs worker's time is, roughly: loading the compiler and parsing every source (the same in every worker, since
// every worker receives every source), analysing the sources its files import (solc analyses only what the selected
// files need), and generating code for the contracts of its files *and for every contract their `new` expressions
// embed* (solc compiles an embedded contract in the worker that embeds it, whichever worker owns its file). So the
// plan estimates, from the source text and a table of measured sizes (no compiler run):
//   - a contract's code generation cost: its init code size, as measured by the last full build (tools/solc-costs.json),
//     less what it embeds; for a contract the table does not know, an estimate from the size of its and its bases'
//     source; zero for interfaces, abstract contracts and libraries without external functions;
//   - a worker's cost: ANALYSIS_PER_CHAR x (size of the sources its files import, transitively) + the generation cost
//     of every contract its files define or embed, each counted once;
// and assigns files, largest first, each to the worker where it costs (next to) nothing if there is one (all it
// needs is compiled there already, as for a contract embedded by a file there), else to the worker with the lowest
// resulting total. The estimate only balances the work: the output does not depend on the plan
// (tools/solc-split-check.cjs checks that).
"use strict";
const path = require("path");

/** `content` with comments (and, unless `keepStrings`, string literals) blanked out, offsets and newlines kept. */
function blank(content, keepStrings) {
  return content.replace(/\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?/g, (m) => {
    if (m[0] === '"' || m[0] === "'") return keepStrings ? m : m[0] + " ".repeat(Math.max(0, m.length - 2)) + m.slice(-1);
    return m.replace(/[^\n]/g, " ");
  });
}

/** The closing brace matching the `{` at `open` in blanked text (or the end of the text). */
function matchBrace(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return text.length;
}

/** Splits `A, B(x, y), C` at top-level commas and keeps each entry's (last) identifier. */
function baseNames(list) {
  const names = [];
  let depth = 0;
  let cur = "";
  for (const ch of list + ",") {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      const m = cur.trim().match(/^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)/);
      if (m) names.push(m[1].split(".").pop());
      cur = "";
    } else if (depth === 0 && ch !== ")") cur += ch;
  }
  return names;
}

/**
 * One source file: the files it imports (resolved like solc: relative to the file, else through the remappings),
 * and its contracts with their kind, bases, body size and the contract names their code embeds.
 */
function scanSource(file, content, remappings, known) {
  const text = blank(content, false);
  const withStrings = blank(content, true);
  const imports = [];
  for (const m of withStrings.matchAll(/\bimport\s+(?:[^;"']*?\bfrom\s+)?["']([^"']+)["'][^;]*;/g)) {
    let p = m[1];
    if (p.startsWith("./") || p.startsWith("../")) p = path.posix.normalize(path.posix.join(path.posix.dirname(file), p));
    else {
      let best = null;
      for (const r of remappings) {
        const eq = r.indexOf("=");
        const lhs = r.slice(0, eq); // `[context:]prefix`; the context is ignored (none is used here)
        const prefix = lhs.slice(lhs.indexOf(":") + 1);
        if (eq > 0 && p.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) {
          best = { prefix, target: r.slice(eq + 1) };
        }
      }
      if (best) p = best.target + p.slice(best.prefix.length);
    }
    if (known.has(p)) imports.push(p);
  }
  const contracts = [];
  for (const m of text.matchAll(/\b(abstract\s+)?(contract|library|interface)\s+([A-Za-z_$][\w$]*)([^{;]*)\{/g)) {
    const open = m.index + m[0].length - 1;
    const close = matchBrace(text, open);
    const body = text.slice(open, close + 1);
    const is = m[4].match(/\bis\b([\s\S]*)$/);
    const embeds = new Set();
    for (const e of body.matchAll(/\bnew\s+([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)\s*[({]/g)) embeds.add(e[1].split(".").pop());
    for (const e of body.matchAll(/\btype\s*\(\s*([A-Za-z_$][\w$]*)\s*\)\s*\.\s*(?:creationCode|runtimeCode)\b/g)) {
      embeds.add(e[1]);
    }
    // A library is deployed code only if it has external or public functions; otherwise it is inlined where used.
    const deployed = m[2] !== "library" || /\bfunction\s+[A-Za-z_$][\w$]*\s*\([^)]*\)[^{;]*\b(external|public)\b/.test(body);
    contracts.push({
      file,
      name: m[3],
      kind: m[2],
      abstract: Boolean(m[1]),
      bases: is ? baseNames(is[1]) : [],
      size: deployed ? body.length : 0,
      embeds: [...embeds],
    });
  }
  return { file, size: content.length, imports, contracts };
}

/**
 * Measured code generation costs: the init code size (bytes) of every contract of the last full build, from forge's
 * artifacts (`node tools/solc-plan.cjs --update [out]` rewrites it). An init code includes the init code of every
 * contract it embeds, which the plan subtracts (each embedded contract is counted once, on its own). A contract the
 * table does not know (new, or renamed) is estimated from its source: CHARS_PER_BYTE characters of its and its bases'
 * bodies per byte of code (the median ratio over the table's contracts; it is off by up to 4x either way, hence the
 * table). A stale table only unbalances the workers; it cannot change the output.
 */
const COSTS_FILE = path.join(__dirname, "solc-costs.json");
const CHARS_PER_BYTE = 2.6;
/** Analysing a source costs about as much, per character, as generating this many bytes of code. Measured with
 * solcjs on Node 22 (npm start's 94 files): analysing all 1.26 MB of source takes ~2.6 s of CPU and code generation
 * ~0.2 s per KB of init code (0.011 per character); 0.022, which also stands for the other per-file costs that follow
 * the analysed set, is the weight at which the two workers of that build finish within half a second of each other. */
const ANALYSIS_PER_CHAR = 0.022;

function loadCosts(file = COSTS_FILE) {
  try {
    return JSON.parse(require("fs").readFileSync(file, "utf8")).initCodeBytes || {};
  } catch {
    return {};
  }
}

/** Scans every source of a standard-JSON input and derives what each file costs a worker. */
function analyse(input, costs = loadCosts()) {
  const sources = input.sources || {};
  const known = new Set(Object.keys(sources));
  const remappings = input.settings?.remappings || [];
  const files = new Map();
  for (const [file, src] of Object.entries(sources)) files.set(file, scanSource(file, src.content || "", remappings, known));

  const closureCache = new Map();
  /** The file and every file it imports, transitively. */
  const closure = (file) => {
    if (closureCache.has(file)) return closureCache.get(file);
    const seen = new Set([file]);
    const stack = [file];
    while (stack.length) for (const i of files.get(stack.pop())?.imports || []) if (!seen.has(i)) seen.add(i), stack.push(i);
    closureCache.set(file, seen);
    return seen;
  };
  const byName = new Map();
  for (const f of files.values()) for (const c of f.contracts) byName.set(c.name, [...(byName.get(c.name) || []), c]);
  /** The declarations `name` can refer to from `file` (those in its import closure; all of them if none is). */
  const resolve = (name, file) => {
    const all = byName.get(name) || [];
    const visible = all.filter((c) => closure(file).has(c.file));
    return visible.length ? visible : all;
  };
  const key = (c) => `${c.file}:${c.name}`;
  const ancestorsCache = new Map();
  /** The contract and all its bases, transitively. */
  const ancestors = (c) => {
    if (ancestorsCache.has(key(c))) return ancestorsCache.get(key(c));
    const seen = new Map([[key(c), c]]);
    ancestorsCache.set(key(c), seen);
    for (const b of c.bases) for (const d of resolve(b, c.file)) for (const [k, a] of ancestors(d)) seen.set(k, a);
    return seen;
  };
  const deployable = (c) => c.kind === "library" || (c.kind === "contract" && !c.abstract);
  /** The deployable contracts `c`'s code embeds directly (its and its bases' `new` and `type(..).creationCode`). */
  const embedded = (c) => {
    const out = new Map();
    for (const a of ancestors(c).values()) {
      for (const e of a.embeds) for (const d of resolve(e, a.file)) if (deployable(d) && key(d) !== key(c)) out.set(key(d), d);
    }
    return [...out.values()];
  };
  const initCache = new Map();
  /** `c`'s init code size: measured, else estimated from its source (plus what it embeds, as a measurement would). */
  const initCode = (c) => {
    if (initCache.has(key(c))) return initCache.get(key(c));
    initCache.set(key(c), 0); // a cycle (impossible in Solidity) ends here
    let v = costs[key(c)];
    if (v === undefined) {
      v = [...ancestors(c).values()].reduce((s, a) => s + a.size, 0) / CHARS_PER_BYTE;
      for (const d of embedded(c)) v += initCode(d);
    }
    initCache.set(key(c), v);
    return v;
  };
  /** What generating `c`'s code costs, without the contracts it embeds (counted on their own). */
  const genCost = (c) => {
    if (!deployable(c)) return 0;
    const own = initCode(c) - embedded(c).reduce((s, d) => s + initCode(d), 0);
    return Math.max(own, 0.1 * initCode(c));
  };
  const needCache = new Map();
  /** The contracts whose code a worker generates when `file` is in its output selection, with their cost. */
  const needs = (file) => {
    if (needCache.has(file)) return needCache.get(file);
    const need = new Map();
    const stack = files.get(file).contracts.filter(deployable);
    while (stack.length) {
      const c = stack.pop();
      if (need.has(key(c))) continue;
      need.set(key(c), genCost(c));
      stack.push(...embedded(c));
    }
    needCache.set(file, need);
    return need;
  };
  return { files, closure, needs };
}

const analyses = new WeakMap();

/**
 * Splits `selected` (default: every file of `input`) into `n` groups of similar estimated worker cost, each a list of
 * source names; returns the groups with their estimates (in bytes of code generated).
 */
function plan(input, n, { selected, costs } = {}) {
  // The analysis of an input is reused across calls with the committed table (tools/solc.cjs plans twice).
  if (costs === undefined && !analyses.has(input)) analyses.set(input, analyse(input));
  const { files, closure, needs } = costs === undefined ? analyses.get(input) : analyse(input, costs);
  const groups = Array.from({ length: n }, () => ({ files: [], seen: new Set(), gen: new Set(), cost: 0 }));
  const marginal = (g, file) => {
    let add = 0;
    for (const f of closure(file)) if (!g.seen.has(f)) add += ANALYSIS_PER_CHAR * files.get(f).size;
    for (const [k, c] of needs(file)) if (!g.gen.has(k)) add += c;
    return add;
  };
  const standalone = (file) => marginal({ seen: new Set(), gen: new Set() }, file);
  const order = (selected || [...files.keys()]).map((f) => [f, standalone(f)]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [file, alone] of order) {
    let best = null;
    for (const g of groups) {
      const add = marginal(g, file);
      const total = g.cost + add;
      // Where everything the file needs is compiled already it costs (next to) nothing: taking it elsewhere would
      // compile the same contracts twice. Otherwise the lowest resulting total wins.
      if (add <= 0.05 * alone) {
        best = { g, total };
        break;
      }
      if (!best || total < best.total) best = { g, total };
    }
    const { g, total } = best;
    g.files.push(file);
    for (const f of closure(file)) g.seen.add(f);
    for (const k of needs(file).keys()) g.gen.add(k);
    g.cost = total;
  }
  return groups.map((g) => ({ files: g.files, cost: Math.round(g.cost) }));
}

/** Rewrites the cost table from forge's artifacts under `outDir` (after a full `forge build`). */
function updateCosts(outDir) {
  const fs = require("fs");
  const initCodeBytes = {};
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "build-info") walk(p);
      } else if (e.name.endsWith(".json")) {
        const a = JSON.parse(fs.readFileSync(p, "utf8"));
        const target = Object.entries(a.metadata?.settings?.compilationTarget || {})[0];
        const hex = (a.bytecode?.object || "").replace(/^0x/, "");
        if (target && hex.length > 0) initCodeBytes[`${target[0]}:${target[1]}`] = hex.length / 2;
      }
    }
  };
  walk(outDir);
  const sorted = Object.fromEntries(Object.entries(initCodeBytes).sort(([a], [b]) => (a < b ? -1 : 1)));
  const note =
    "Init code sizes from a full forge build, used by tools/solc-plan.cjs to balance tools/solc.cjs's workers. " +
    "Regenerate with `node tools/solc-plan.cjs --update` after a full `forge build`; a stale entry only unbalances them.";
  fs.writeFileSync(COSTS_FILE, `${JSON.stringify({ note, initCodeBytes: sorted }, null, 2)}\n`);
  return Object.keys(sorted).length;
}

module.exports = { plan, analyse, scanSource, loadCosts, updateCosts };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] !== "--update") {
    process.stderr.write("usage: node tools/solc-plan.cjs --update [outDir]   (rewrites tools/solc-costs.json)\n");
    process.exit(2);
  }
  const n = updateCosts(path.resolve(args[1] || "out"));
  process.stdout.write(`tools/solc-costs.json: ${n} contracts\n`);
}

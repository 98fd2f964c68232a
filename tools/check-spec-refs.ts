// The repository stands alone: every citation of the protocol specification resolves to a section of
// docs/SPEC.md, and nothing points outside the repository.
//
//   node tools/check-spec-refs.ts              # check this repository (npm test runs it as test:spec-refs)
//   node tools/check-spec-refs.ts --root DIR   # check another tree (the checker's own test does)
//
// Rules (docs/SPEC.md, "How to cite this document", says the same for authors):
// 1. A section is declared by a Markdown heading of docs/SPEC.md that starts with its number:
//    `## 3. Loans` declares §3 and `### 3.6 Rate integrity` declares §3.6 (the dot after a top-level number is
//    optional). Top-level sections run 1, 2, 3, … in order; subsections n.1, n.2, … follow their parent.
// 2. The section sign is reserved for the specification: every `§` followed by a number (`§5`, `§9.1`), in any
//    scanned file, cites docs/SPEC.md and must name a declared section. This covers `SPEC §3`, `§3/§7`,
//    `SPEC §3–§5` and bare `§9.1` alike. Another document's sections are cited in words
//    ("SECURITY.md, section 3").
// 3. No file refers to the old location of the rules, a `shared` directory beside the repository (OUTSIDE_PATH),
//    and no relative Markdown link leaves the repository or points at a missing file or heading.
// Every text file under the repository is scanned except dependency, build and generated directories
// (SKIP_DIRS anywhere in the tree, ROOT_ONLY_SKIP_DIRS at the root only: `script/lib/` is ours, `lib/` is forge's).
// Each problem is printed as `file:line: message`; the exit code is 1 if there is any.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const SPEC_PATH = "docs/SPEC.md";

/** Directory names skipped wherever they occur: dependencies, build output, caches, generated code. */
export const SKIP_DIRS: ReadonlySet<string> = new Set([
  ".git",
  "node_modules",
  "out",
  "cache",
  "cache_forge",
  "artifacts",
  "broadcast",
  "coverage",
  "dist",
  "typechain-types",
  ".hardhat",
  ".vite",
]);

/** Directory names skipped only at the root of the tree (forge's `lib/`; `script/lib/` is project code). */
export const ROOT_ONLY_SKIP_DIRS: ReadonlySet<string> = new Set(["lib"]);

// Built from parts so that this file does not trip its own check.
const OUTSIDE_PATH = ".." + "/shared";
const SECTION_SIGN = "\u00a7";
const REFERENCE = new RegExp(`${SECTION_SIGN}\\s?(\\d+(?:\\.\\d+)*)`, "g");
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const NUMBERED = /^(\d+(?:\.\d+)*)\.?(?:\s+|$)/;
const MARKDOWN_LINK = /\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** One dangling reference or structural error, located in a file of the tree. */
export interface Problem {
  file: string;
  line: number;
  message: string;
}

/** A section declared by a heading of the specification. */
export interface Section {
  number: string;
  title: string;
  line: number;
}

/** `§n`, for messages. */
function sec(number: string): string {
  return SECTION_SIGN + number;
}

/** `file:line: message`, the format editors and CI annotate. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

/** The sections of a specification text, and the structural errors of its numbering. */
export function parseSpec(
  text: string,
  file: string = SPEC_PATH,
): { sections: Map<string, Section>; problems: Problem[] } {
  const sections = new Map<string, Section>();
  const problems: Problem[] = [];
  const report = (line: number, message: string): number => problems.push({ file, line, message });
  const lastChild = new Map<string, number>();
  let fence = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (/^\s*(```|~~~)/.test(raw)) fence = !fence;
    if (fence) return;
    const h = HEADING.exec(raw);
    if (!h) return;
    const m = NUMBERED.exec(h[2]);
    if (!m) return;
    const number = m[1];
    const title = h[2].slice(m[0].length).trim();
    const previous = sections.get(number);
    if (previous) {
      report(line, `section ${sec(number)} is declared twice (first at line ${previous.line})`);
      return;
    }
    const parts = number.split(".");
    const parent = parts.slice(0, -1).join(".");
    if (parent && !sections.has(parent)) {
      report(line, `section ${sec(number)} has no parent section ${sec(parent)} before it`);
    }
    const expected = (lastChild.get(parent) ?? 0) + 1;
    const got = Number(parts[parts.length - 1]);
    if (got !== expected) {
      const want = parent ? `${parent}.${expected}` : String(expected);
      report(line, `section ${sec(number)} is out of order: expected ${sec(want)}`);
    }
    lastChild.set(parent, got);
    sections.set(number, { number, title, line });
  });
  return { sections, problems };
}

/** GitHub's heading anchor (github-slugger): lower case, punctuation dropped, each space a hyphen. */
export function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*]/g, "")
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
}

/** The anchors of a Markdown file's headings, with GitHub's `-1`, `-2` suffixes for repeats. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fence = false;
  for (const raw of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(raw)) fence = !fence;
    if (fence) continue;
    const h = HEADING.exec(raw);
    if (!h) continue;
    const base = slug(h[2]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/**
 * Every file of the tree that is checked, as paths relative to `root` with `/` separators, sorted. Symbolic links
 * are not followed; a worktree's `.git` file is skipped like the `.git` directory.
 */
export function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (SKIP_DIRS.has(entry.name) || (depth === 0 && ROOT_ONLY_SKIP_DIRS.has(entry.name))) continue;
        walk(join(dir, entry.name), depth + 1);
      } else if (entry.isFile() && entry.name !== ".git") {
        files.push(relative(root, join(dir, entry.name)).split(sep).join("/"));
      }
    }
  };
  walk(root, 0);
  return files.sort();
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8000).includes(0);
}

/** The problems of one file's text (`file` relative to `root`). */
export function checkText(
  root: string,
  file: string,
  text: string,
  sections: ReadonlyMap<string, Section>,
  anchorsOf: (file: string) => Set<string> | undefined,
): Problem[] {
  const problems: Problem[] = [];
  const report = (line: number, message: string): number => problems.push({ file, line, message });
  const isMarkdown = file.toLowerCase().endsWith(".md");
  let fence = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.includes(OUTSIDE_PATH)) {
      report(line, `refers to "${OUTSIDE_PATH}", outside the repository: the rules are ${SPEC_PATH}`);
    }
    for (const m of raw.matchAll(REFERENCE)) {
      if (!sections.has(m[1])) {
        report(line, `${sec(m[1])} is not a section of ${SPEC_PATH}`);
      }
    }
    if (!isMarkdown) return;
    if (/^\s*(```|~~~)/.test(raw)) fence = !fence;
    if (fence) return;
    const code = raw.replace(/`[^`]*`/g, (s) => " ".repeat(s.length));
    for (const m of code.matchAll(MARKDOWN_LINK)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
      const hash = target.indexOf("#");
      const pathPart = hash === -1 ? target : target.slice(0, hash);
      const anchor = hash === -1 ? "" : decode(target.slice(hash + 1));
      const resolved = pathPart === "" ? resolve(root, file) : resolve(root, dirname(file), decode(pathPart));
      const rel = relative(root, resolved).split(sep).join("/");
      if (rel.startsWith("../") || rel === "..") {
        report(line, `link "${target}" leaves the repository`);
        continue;
      }
      if (!existsSync(resolved)) {
        report(line, `link "${target}": ${rel} does not exist`);
        continue;
      }
      if (anchor && rel.toLowerCase().endsWith(".md") && statSync(resolved).isFile()) {
        const known = anchorsOf(rel);
        if (known && !known.has(anchor)) {
          report(line, `link "${target}": ${rel} has no heading with anchor #${anchor}`);
        }
      }
    }
  });
  return problems;
}

/** Checks the whole tree under `root`; an empty result means every reference resolves. */
export function checkTree(root: string): Problem[] {
  const specFile = join(root, SPEC_PATH);
  if (!existsSync(specFile)) {
    return [{ file: SPEC_PATH, line: 1, message: "missing: the specification every SPEC reference cites" }];
  }
  const spec = parseSpec(readFileSync(specFile, "utf8"));
  const problems: Problem[] = [...spec.problems];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (rel: string): Set<string> | undefined => {
    let a = anchorCache.get(rel);
    if (!a) {
      a = anchors(readFileSync(join(root, rel), "utf8"));
      anchorCache.set(rel, a);
    }
    return a;
  };
  for (const file of listFiles(root)) {
    const buf = readFileSync(join(root, file));
    if (isBinary(buf)) continue;
    problems.push(...checkText(root, file, buf.toString("utf8"), spec.sections, anchorsOf));
  }
  return problems;
}

function main(argv: string[]): number {
  const i = argv.indexOf("--root");
  const root = i === -1 ? resolve(dirname(fileURLToPath(import.meta.url)), "..") : resolve(argv[i + 1] ?? ".");
  const problems = checkTree(root);
  for (const p of problems) console.error(formatProblem(p));
  if (problems.length > 0) {
    console.error(
      `check-spec-refs: ${problems.length} dangling reference(s); sections are declared by the numbered headings of ` +
        SPEC_PATH,
    );
    return 1;
  }
  const count = parseSpec(readFileSync(join(root, SPEC_PATH), "utf8")).sections.size;
  console.log(
    `check-spec-refs: every ${SECTION_SIGN} reference resolves to one of the ${count} sections of ${SPEC_PATH}; ` +
      "nothing points outside the repository",
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}

// The SDK's typed API reference (TypeDoc, from the TSDoc in ts-sdk/src) must document every role client method for a
// user: a summary, every parameter, what it returns, and an example (issue #29). Run by `npm run test:api-docs` (part
// of `npm test`); `npm run docs:api` writes the HTML reference to ts-sdk/dist/api/. Exit 1 with one line per gap.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

interface Comment {
  summary?: { text: string }[];
  blockTags?: { tag: string; content: { text: string }[] }[];
}
interface Reflection {
  name: string;
  kind: number;
  flags?: { isPrivate?: boolean; isProtected?: boolean; isInherited?: boolean; isExternal?: boolean };
  comment?: Comment;
  children?: Reflection[];
  signatures?: (Reflection & { parameters?: Reflection[]; type?: { name?: string } })[];
}

/** The role clients whose every public method a user calls. */
export const CLIENTS = ["StrataClient", "Lender", "Borrower", "Keeper", "Reporter", "Governance"];
const CLASS = 128;
const METHOD = 2048;
const text = (c?: { text: string }[]) => (c ?? []).map((x) => x.text).join("").trim();

/** Every documentation gap of the clients in a TypeDoc JSON project, as "Class.method: what is missing". */
export function gaps(project: Reflection): string[] {
  const out: string[] = [];
  const classes: Reflection[] = [];
  const walk = (n: Reflection) => {
    for (const c of n.children ?? []) {
      if (c.kind === CLASS && CLIENTS.includes(c.name) && !classes.some((x) => x.name === c.name)) classes.push(c);
      else walk(c);
    }
  };
  walk(project);
  for (const name of CLIENTS) if (!classes.some((c) => c.name === name)) out.push(`${name}: not in the API reference`);
  for (const cls of classes) {
    for (const m of cls.children ?? []) {
      if (m.kind !== METHOD || m.flags?.isPrivate || m.flags?.isProtected || m.flags?.isInherited) continue;
      for (const s of m.signatures ?? []) {
        const where = `${cls.name}.${m.name}`;
        const tags = (s.comment?.blockTags ?? []).map((t) => t.tag);
        if (!text(s.comment?.summary)) out.push(`${where}: no summary`);
        for (const p of s.parameters ?? []) if (!text(p.comment?.summary)) out.push(`${where}: no @param ${p.name}`);
        if (!tags.includes("@returns")) out.push(`${where}: no @returns`);
        if (!tags.includes("@example")) out.push(`${where}: no @example`);
      }
    }
  }
  return out;
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), "strata-api-"));
  try {
    const json = join(dir, "api.json");
    const r = spawnSync(process.execPath, [join("node_modules", "typedoc", "bin", "typedoc"), "--json", json, "--logLevel", "Error"], { encoding: "utf8" });
    if (r.status !== 0) {
      process.stderr.write(`check-api-docs: typedoc failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
      process.exit(1);
    }
    const missing = gaps(JSON.parse(readFileSync(json, "utf8")) as Reflection);
    if (missing.length > 0) {
      process.stderr.write(`check-api-docs: ${missing.length} gaps in the client API reference:\n${missing.map((m) => `  ${m}`).join("\n")}\n`);
      process.exit(1);
    }
    process.stdout.write(`check-api-docs: every public method of ${CLIENTS.join(", ")} has a summary, its @param, @returns and an @example\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ""))) main();

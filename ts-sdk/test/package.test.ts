// The SDK as a package: built (JS + .d.ts), packed with `npm pack`, installed into a fresh project outside the
// repository (ethers as its peer dependency), typechecked there, and the README's lender, borrower, keeper and
// governance examples run there exactly as written, in order, against anvil with a forge deployment.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/dev/artifacts.ts";
import { type Fixture, setupFixture } from "./fixture.ts";

const NODE = join(REPO_ROOT, "node_modules", ".bin", "node");
const TSC = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
let f: Fixture;
let project: string;

/** The README's runnable examples: fenced blocks tagged ```ts example=<name>. */
export function readmeExamples(): { name: string; code: string }[] {
  const md = readFileSync(join(REPO_ROOT, "ts-sdk", "README.md"), "utf8");
  return [...md.matchAll(/```ts example=(\w+)\n([\s\S]*?)```/g)].map((m) => ({ name: m[1], code: m[2] }));
}

beforeAll(async () => {
  f = await setupFixture();
  project = mkdtempSync(join(tmpdir(), "strata-sdk-consumer-"));
  // build and pack
  execFileSync(NODE, [TSC, "-p", join(REPO_ROOT, "ts-sdk", "tsconfig.build.json")], { stdio: "pipe" });
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", project], { cwd: join(REPO_ROOT, "ts-sdk"), encoding: "utf8" }).trim().split("\n").pop()!;
  const ethersVersion = (JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", "ethers", "package.json"), "utf8")) as { version: string }).version;
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "strata-consumer", private: true, type: "module", dependencies: { "@strata-protocol/sdk": `file:./${packed}`, ethers: ethersVersion } }, null, 2),
  );
  const install = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: project, encoding: "utf8" });
  if (install.status !== 0) throw new Error(`npm install in ${project} failed:\n${install.stderr}`);
}, 300_000);

afterAll(async () => {
  await f?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("@strata-protocol/sdk as an installed package", () => {
  it("installs from the tarball with ethers as a peer, and ships JS with type declarations", () => {
    const pkg = JSON.parse(readFileSync(join(project, "node_modules", "@strata-protocol", "sdk", "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
    expect(pkg.peerDependencies.ethers).toBeDefined();
    const dist = readdirSync(join(project, "node_modules", "@strata-protocol", "sdk", "dist"));
    expect(dist).toEqual(expect.arrayContaining(["index.js", "index.d.ts", "node.js", "node.d.ts"]));
    expect(dist.some((x) => x.endsWith(".ts") && !x.endsWith(".d.ts"))).toBe(false);
    // the README's install section names this very tarball and says the package is ESM (issue #29, item 2)
    const readme = readFileSync(join(REPO_ROOT, "ts-sdk", "README.md"), "utf8");
    const install = readme.slice(readme.indexOf("## Install"), readme.indexOf("## Examples"));
    expect(install).toContain(`npm install /tmp/${readdirSync(project).find((x) => x.endsWith(".tgz"))} ethers`);
    expect(install).toContain(`"type": "module"`);
  });

  it("typechecks and runs the README examples (lender, borrower, keeper, governance) outside the repo", () => {
    const examples = readmeExamples();
    expect(examples.map((e) => e.name)).toEqual(["lender", "borrower", "keeper", "governance"]);
    for (const e of examples) writeFileSync(join(project, `${e.name}.ts`), e.code);
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["*.ts"] }),
    );
    const tsc = spawnSync(NODE, [TSC, "-p", project], { cwd: project, encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
    for (const e of examples) {
      const run = spawnSync(NODE, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", `${e.name}.ts`], {
        cwd: project,
        encoding: "utf8",
        env: { ...process.env, RPC_URL: f.anvil.url, STRATA_DEPLOYMENT: f.deploymentPath },
        timeout: 120_000,
      });
      if (run.status !== 0) throw new Error(`${e.name} example failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
      expect(run.stdout).toContain(`${e.name} example done`);
      if (e.name === "borrower") expect(run.stdout).toContain("delegated to 0x000000000000000000000000000000000000dEaD");
      process.stdout.write(`--- ${e.name} example:\n${run.stdout}`);
    }
  }, 300_000);
});

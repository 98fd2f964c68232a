// TypeChain ethers-v6 types of the bound contracts, for tsc and editors (ts-sdk/scripts/generate.ts without
// `--runtime`). Generated from ABI-only copies, so the output is types and interfaces only; the factories (runtime
// copies of the ABIs) are removed: the SDK binds the `const` ABIs of abis.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTypeChain } from "typechain";

/** Writes the types of `bound` into `outDir`; returns how many files TypeChain generated. */
export async function writeTypechainTypes(bound: readonly { name: string; abi: unknown[] }[], outDir: string, cwd: string): Promise<number> {
  const tmp = mkdtempSync(join(tmpdir(), "strata-typechain-"));
  try {
    const files = bound.map((b) => {
      const f = join(tmp, `${b.name}.json`);
      writeFileSync(f, JSON.stringify({ abi: b.abi }));
      return f;
    });
    const r = await runTypeChain({
      cwd,
      filesToProcess: files,
      allFiles: files,
      outDir,
      target: "ethers-v6",
      flags: { alwaysGenerateOverloads: false, discriminateTypes: false, tsNocheck: false, node16Modules: true, environment: undefined },
    }).catch((e: unknown) => {
      throw new Error(`gen:sdk: typechain failed: ${String(e)}`);
    });
    rmSync(join(outDir, "factories"), { recursive: true, force: true });
    const index = readFileSync(join(outDir, "index.ts"), "utf8").split("\n").filter((l) => !/factor/i.test(l));
    writeFileSync(join(outDir, "index.ts"), index.join("\n"));
    return r.filesGenerated;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

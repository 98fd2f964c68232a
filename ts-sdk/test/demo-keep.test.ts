// `npm start -- --keep` twice (issue #29 item 10): the second run refuses while the anvil the first one kept is still
// running, instead of rewriting deployments/local.json under a running app and CLI; a stale record is replaced.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkNoKeptAnvil } from "../src/demo/node.ts";
import { PreconditionError } from "../src/index.ts";

const dir = mkdtempSync(join(tmpdir(), "strata-keep-"));
const record = (name: string, body: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof body === "string" ? body : JSON.stringify(body));
  return file;
};

describe("checkNoKeptAnvil", () => {
  it("refuses while the recorded process runs, naming its pid, URL and how to stop it", () => {
    const file = record("live.json", { chainId: 31337, rpcUrl: "http://127.0.0.1:8545", anvilPid: process.pid });
    expect(() => checkNoKeptAnvil(file)).toThrow(PreconditionError);
    expect(() => checkNoKeptAnvil(file)).toThrow(new RegExp(`still running \\(pid ${process.pid}, http://127\\.0\\.0\\.1:8545, .*stop it first \\(kill ${process.pid}\\)`));
  });

  it("lets a run go ahead when the record is stale, absent, has no pid or is not JSON", () => {
    const gone = spawnSync("true").pid!; // exited: its pid is free
    expect(() => checkNoKeptAnvil(record("stale.json", { rpcUrl: "http://127.0.0.1:8545", anvilPid: gone }))).not.toThrow();
    expect(() => checkNoKeptAnvil(join(dir, "absent.json"))).not.toThrow();
    expect(() => checkNoKeptAnvil(record("nopid.json", { rpcUrl: "http://127.0.0.1:8545" }))).not.toThrow();
    expect(() => checkNoKeptAnvil(record("broken.json", "{ not json"))).not.toThrow();
  });
});

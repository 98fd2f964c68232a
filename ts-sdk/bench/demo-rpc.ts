// `node ts-sdk/bench/demo-rpc.ts [--weeks N]`: the simulated year of `npm start` (strata demo) with every JSON-RPC
// request this process sends counted per method (ethers' JsonRpcProvider._send, and the raw `fetch` of rpc.ts and
// the anvil readiness poll) and per HTTP round trip (a batch is one round trip). forge's own requests (the
// deployment) are not counted. Prints the counts and the year's wall and node CPU time to stderr; the report and the
// chart go to a temporary directory.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { runYear } from "../src/demo/year.ts";

const methods = new Map<string, number>();
let roundTrips = 0;
const count = (m: string) => methods.set(m, (methods.get(m) ?? 0) + 1);

const proto = JsonRpcProvider.prototype as unknown as { _send: (p: unknown) => Promise<unknown> };
const original = proto._send;
proto._send = function (this: JsonRpcProvider, payload: unknown) {
  roundTrips++;
  for (const p of Array.isArray(payload) ? payload : [payload]) count((p as { method: string }).method);
  return original.call(this, payload);
};
const realFetch = globalThis.fetch;
globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  roundTrips++;
  try {
    const body = JSON.parse(String(init?.body)) as { method: string } | { method: string }[];
    for (const p of Array.isArray(body) ? body : [body]) count(`${p.method} (fetch)`);
  } catch {
    count("(fetch, not JSON-RPC)");
  }
  return realFetch(input, init);
};

const i = process.argv.indexOf("--weeks");
const weeks = i > 0 ? Number(process.argv[i + 1]) : 52;
const out = mkdtempSync(join(tmpdir(), "strata-demo-rpc-"));
const t0 = Date.now();
try {
  await runYear({ keep: false, weeks, outDir: out, json: true });
} finally {
  rmSync(out, { recursive: true, force: true });
}
// children's CPU (anvil and forge, reaped by now): /proc/self/stat fields cutime and cstime, in clock ticks
const stat = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
const childCpu = (Number(stat[13]) + Number(stat[14])) / 100;
const total = [...methods.values()].reduce((a, b) => a + b, 0);
process.stderr.write(`\nwall ${((Date.now() - t0) / 1000).toFixed(1)} s, node CPU ${(process.cpuUsage().user / 1e6).toFixed(1)} s user, anvil + forge CPU ${childCpu.toFixed(1)} s\n`);
process.stderr.write(`JSON-RPC requests: ${total} in ${roundTrips} HTTP round trips\n`);
for (const [m, n] of [...methods.entries()].sort((a, b) => b[1] - a[1])) process.stderr.write(`  ${String(n).padStart(6)}  ${m}\n`);

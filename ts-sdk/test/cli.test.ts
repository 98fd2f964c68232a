// The `strata` CLI spawned as a process against one anvil (shared by the whole file, scenario order): every command
// once with success and once with a bad input, asserting the exit code (0 ok, 1 failed transaction or check,
// 2 usage) and the one-line message; governance refusals (out-of-bounds, stale address) happen before scheduling;
// the keeper bot liquidates and buys end to end, and --dry-run sends nothing.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, Wallet, encryptKeystoreJson } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANVIL_KEYS, type Deployment, devCollectionAt, devStablecoinAt, fetchAuction, fetchCollection, fetchLoan, fetchPool, registryAt, send } from "../src/index.ts";
import type { Anvil } from "../src/node.ts";
import { deployFresh } from "./fixture.ts";
import { bash, cli, errorLine } from "./cli-helpers.ts";
import { REPO_ROOT } from "../src/dev/artifacts.ts";

let anvil: Anvil;
let d: Deployment;
let provider: JsonRpcProvider;
let env: Record<string, string | undefined>;
const tmp = mkdtempSync(join(tmpdir(), "strata-cli-"));
const DEP = "deployments/test-cli.json";
const usd = (x: number) => BigInt(x) * 10n ** 6n;

const ok = async (args: string[], extra: Record<string, string | undefined> = {}) => {
  const r = await cli(args, { ...env, ...extra });
  if (r.code !== 0) throw new Error(`strata ${args.join(" ")} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r;
};
/** A failing command: exit `code` and a single error line matching `message`. */
const fails = async (args: string[], code: 1 | 2, message: RegExp, extra: Record<string, string | undefined> = {}) => {
  const r = await cli(args, { ...env, ...extra });
  expect({ code: r.code, line: errorLine(r) }, `strata ${args.join(" ")}\n${r.stderr}`).toMatchObject({ code, line: expect.stringMatching(message) });
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack without --verbose
  return r;
};
const dev = (n: number) => ["--dev-account", String(n)];

beforeAll(async () => {
  ({ anvil, d } = await deployFresh("test-cli"));
  provider = new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true, pollingInterval: 20, batchStallTime: 0, cacheTimeout: -1 });
  env = { RPC_URL: anvil.url, STRATA_DEPLOYMENT: DEP, STRATA_PRIVATE_KEY: undefined, STRATA_KEYSTORE_PASSWORD: undefined };
  const minter = new Wallet(ANVIL_KEYS[0], provider);
  const stable = devStablecoinAt(d.asset, minter);
  for (const i of [3, 5, 6, 7]) await send(stable, "mint", [new Wallet(ANVIL_KEYS[i]).address, usd(500_000)]);
  await send(devCollectionAt(d.collections[0], minter), "mint", [new Wallet(ANVIL_KEYS[7]).address, 1n]);
}, 120_000);

afterAll(async () => {
  provider?.destroy();
  await anvil?.stop();
});

// Each test spawns the CLI several times (about 1 s of CPU each): generous timeouts for a loaded 2-core machine.
describe("strata CLI against anvil", { timeout: 600_000 }, () => {
  it("usage errors exit 2 with one line, before touching the chain", async () => {
    await Promise.all([
      fails(["lend", "deposit"], 2, /missing required argument 'tranche'/),
      fails(["pool", "status", "--deployment", "deployments/none.json"], 2, /no deployment file deployments\/none\.json/),
      fails(["lend", "deposit", "mezzanine", "1", ...dev(5)], 2, /tranche must be "senior" or "junior"/),
      fails(["frobnicate"], 2, /unknown command 'frobnicate'/),
      fails(["gov", "propose", "proposals/local-list-collections.json"], 2, /give a signer/),
      // issue #29 item 7: without an RPC URL, the deployment file's real problem is named
      fails(["pool", "status", "--deployment", "deployments/none.json"], 2, /deployment file deployments\/none\.json not found: run `npm start -- --keep`/, { RPC_URL: undefined }),
      fails(["pool", "status", "--deployment", "package.json"], 2, /deployment file package\.json records no rpcUrl: pass --rpc <url>/, { RPC_URL: undefined }),
      fails(["pool", "status", "--deployment", "README.md"], 2, /deployment file README\.md is not valid JSON/, { RPC_URL: undefined }),
      // item 12: a keeper that would pay above the appraisal is refused before anything else (no signer needed)
      fails(["keeper", "run", "--once", "--max-price-bps", "20000"], 2, /maxPriceBps must be 1 \.\. 10000 \(at most the appraisal\), got 20000/),
    ]);
  });

  it("a wrong RPC or a deployment of another chain is one readable line, exit 1", async () => {
    const other = join(tmp, "chain1.json");
    writeFileSync(other, JSON.stringify({ ...JSON.parse(readFileSync(DEP, "utf8")), chainId: 1 }));
    await Promise.all([
      fails(["pool", "status", "--rpc", "http://127.0.0.1:1"], 1, /^strata: cannot reach a JSON-RPC node at http:\/\/127\.0\.0\.1:1/),
      fails(["pool", "status", "--deployment", other], 1, /is for chain 1, but the RPC is on chain 31337: refusing to use it/),
    ]);
  });

  it("signers: STRATA_PRIVATE_KEY, an encrypted keystore with STRATA_KEYSTORE_PASSWORD; a wrong password or key is one line", async () => {
    const w = new Wallet(ANVIL_KEYS[9]);
    const file = join(tmp, "keystore.json");
    writeFileSync(file, await encryptKeystoreJson({ address: w.address, privateKey: w.privateKey }, "correct horse", { scrypt: { N: 1024 } }));
    const viaKey = JSON.parse((await ok(["lend", "position", "senior", "--json"], { STRATA_PRIVATE_KEY: ANVIL_KEYS[9] })).stdout);
    expect(viaKey[0].account).toBe(w.address);
    const viaKeystore = JSON.parse((await ok(["--keystore", file, "lend", "position", "senior", "--json"], { STRATA_KEYSTORE_PASSWORD: "correct horse" })).stdout);
    expect(viaKeystore[0].account).toBe(w.address);
    await Promise.all([
      fails(["--keystore", file, "lend", "position"], 1, /cannot decrypt keystore .*keystore\.json/, { STRATA_KEYSTORE_PASSWORD: "wrong" }),
      fails(["--keystore", file, "lend", "position"], 2, /set STRATA_KEYSTORE_PASSWORD \(stdin is not a terminal\)/),
      fails(["lend", "position"], 1, /the private key is not a 32-byte hex string/, { STRATA_PRIVATE_KEY: "0x1234" }),
      fails(["--dev-account", "42", "lend", "position"], 1, /dev account 42 does not exist/),
    ]);
  });

  it("gov propose --safe lists the collections by deployment key; execute refuses early, then runs after the delay", async () => {
    // the governance Safe holds the timelock's roles: owner #1 signs and submits, dev owner #2 co-signs
    const p = await ok(["gov", "propose", "proposals/local-list-collections.json", "--safe", "governanceSafe", "--owners", "2", ...dev(1)]);
    expect(p.stdout).toMatch(/oracle\.configureCollection\(collection=collections\[0\]/);
    expect(p.stdout).toMatch(/scheduled operation 0x[0-9a-f]{64}/);
    const pending = await ok(["gov", "pending", "--json"]);
    expect(JSON.parse(pending.stdout)).toHaveLength(1);
    await fails(["gov", "execute", "proposals/local-list-collections.json", "--safe", "governanceSafe", "--owners", "2", ...dev(1)], 1, /is not ready: executable from/);
    await ok(["dev", "warp", "3600"]);
    await ok(["gov", "execute", "proposals/local-list-collections.json", "--safe", d.governanceSafe!, "--owners", "3", ...dev(1)]);
    const info = await fetchCollection(provider, d, d.collections[1]);
    expect(info.listed).toBe(true);
    expect(info.ltvBps).toBe(4000n);
    expect(JSON.parse((await ok(["gov", "pending", "--json"])).stdout)).toHaveLength(0);
  });

  it("gov encode writes the calldata and a Safe Transaction Builder batch; a missing file fails", async () => {
    const out = join(tmp, "encoded");
    const r = await ok(["gov", "encode", "proposals/local-senior-rate-4.json", "--out", out, "--json"]);
    const j = JSON.parse(r.stdout);
    const safe = JSON.parse(readFileSync(j.files.safeSchedule, "utf8"));
    expect(safe).toMatchObject({ version: "1.0", chainId: "31337", transactions: [{ to: d.timelock, value: "0", data: j.scheduleCalldata }] });
    expect(j.scheduleCalldata.slice(0, 10)).toBe("0x8f2a0bb0"); // scheduleBatch
    expect(j.executeCalldata.slice(0, 10)).toBe("0xe38335e5"); // executeBatch
    await fails(["gov", "encode", "proposals/none.json"], 1, /cannot read proposal/);
  });

  it("an out-of-bounds proposal is refused with the decoded revert before anything is scheduled", async () => {
    await fails(["gov", "propose", "proposals/test/out-of-bounds.json", "--safe", "governanceSafe", "--owners", "2", ...dev(1)], 1, /reverted: ParameterOutOfBounds.* - parameter ltvBps = 9500 is outside \[1, 9000\]/);
    expect(JSON.parse((await ok(["gov", "pending", "--json"])).stdout)).toHaveLength(0);
  });

  it("strata deploy makes a second deployment; a proposal holding the first one's address is refused on it", async () => {
    await fails(["deploy", "--network", "../etc", ...dev(0)], 2, /--network must be a config name/);
    const r = await ok(["deploy", "--name", "test-cli-2", ...dev(0), "--json"]);
    const d2 = JSON.parse(r.stdout) as Deployment;
    expect(d2.pool).not.toBe(d.pool);
    const stale = join(tmp, "stale.json");
    writeFileSync(
      stale,
      JSON.stringify({
        description: "stale: the collection is a literal address of the first deployment",
        calls: [{ target: "oracle", function: "configureCollection", args: { collection: d.collections[0], window: 0, maxDeviationBps: 5000, maxAge: 86400 } }],
      }),
    );
    const dep2 = { STRATA_DEPLOYMENT: "deployments/test-cli-2.json" };
    await fails(["gov", "propose", stale, "--safe", "governanceSafe", ...dev(1)], 1, /a contract that is not part of this deployment \(stale address of another deployment\?\)/, dep2);
    // the committed example names keys: against the second deployment it acts on the second deployment's contracts
    const enc = JSON.parse((await ok(["gov", "encode", "proposals/local-list-collections.json", "--out", join(tmp, "d2"), "--json"], dep2)).stdout);
    const all = enc.calls.map((c: { data: string }) => c.data).join("");
    expect(all).toContain(d2.collections[0].slice(2).toLowerCase());
    expect(all).not.toContain(d.collections[0].slice(2).toLowerCase());
    expect(enc.calls.every((c: { target: string }) => [d2.oracle, d2.registry, d2.pool].includes(c.target))).toBe(true);
  });

  it("gov cancel takes a pending operation off the timelock; cancelling it twice fails", async () => {
    const safe = ["--safe", "governanceSafe", "--owners", "2", ...dev(1)];
    await ok(["gov", "propose", "proposals/local-senior-rate-4.json", ...safe]);
    await ok(["gov", "cancel", "proposals/local-senior-rate-4.json", ...safe]);
    await fails(["gov", "cancel", "proposals/local-senior-rate-4.json", ...safe], 1, /is not pending/);
  });

  it("oracle push: the reporter pushes; anyone else is refused; a bad price is usage", async () => {
    await ok(["oracle", "push", "0", "100000", ...dev(4)]);
    await ok(["oracle", "push", "collections[1]", "40000", ...dev(4)]);
    await Promise.all([
      fails(["oracle", "push", "0", "100000", ...dev(5)], 1, /is not an authorised price reporter/),
      fails(["oracle", "push", "0", "a lot", ...dev(4)], 2, /"a lot" is not an amount/),
    ]);
  });

  it("lend deposit, mint, withdraw, redeem, position: success and a bad input each", async () => {
    expect((await ok(["lend", "deposit", "junior", "30000", ...dev(5)])).stdout).toMatch(/deposited 30,000 dUSD into junior/);
    await ok(["lend", "deposit", "senior", "70000", ...dev(6)]);
    await ok(["lend", "mint", "senior", "100", ...dev(6)]);
    await ok(["lend", "withdraw", "senior", "50", ...dev(6)]);
    await ok(["lend", "redeem", "senior", "10", ...dev(6)]);
    const pos = JSON.parse((await ok(["lend", "position", "senior", "--json", ...dev(6)])).stdout);
    expect(BigInt(pos[0].value)).toBeGreaterThan(usd(69_000));
    await Promise.all([
      fails(["lend", "deposit", "senior", "1.2.3", ...dev(6)], 2, /"1\.2\.3" is not an amount/),
      // issue #29 item 3: amounts in token units, not base units
      fails(["lend", "deposit", "junior", "900000", ...dev(6)], 1, /InsufficientBalance: need 900,000 dUSD, have [\d,.]+ dUSD: deposit of 900,000 dUSD into the junior tranche/),
      fails(["lend", "mint", "senior", "-5", ...dev(6)], 2, /"-5" is not an amount/),
      fails(["lend", "withdraw", "senior", "100000", ...dev(6)], 1, /InsufficientBalance/),
      fails(["lend", "redeem", "junior", "all", ...dev(6)], 2, /nothing of yours was served in junior yet/),
      fails(["lend", "position", "mezz", ...dev(6)], 2, /tranche must be/),
    ]);
  });

  let loanId = 0n;
  it("borrow quote, open (with a rarity proof), health, loans: success and a bad input each", async () => {
    const rarity = ["--rarity", "config/rarity/dev-collection-1.json"];
    const q = JSON.parse((await ok(["borrow", "quote", "0", "90000", "--days", "30", "--token-id", "1", ...rarity, "--json", ...dev(7)])).stdout);
    expect(BigInt(q.maxPrincipal)).toBe(usd(125_000)); // 50 % LTV x 100,000 floor x 2.5 rarity
    const open = await ok(["borrow", "open", "0", "1", "99000", "--days", "30", ...rarity, "--json", ...dev(7)]);
    loanId = BigInt(JSON.parse(open.stdout).loanId);
    expect((await fetchLoan(provider, d, loanId)).rarityBps).toBe(25_000n);
    expect((await ok(["borrow", "health", String(loanId)])).stdout).toMatch(/health\s+│ 1\.7/);
    expect((await ok(["borrow", "loans", ...dev(7)])).stdout).toMatch(new RegExp(`│ ${loanId}\\s+│`));
    const hot = "0x000000000000000000000000000000000000dEaD";
    const del = JSON.parse((await ok(["borrow", "delegate", String(loanId), hot, "--json", ...dev(7)])).stdout);
    expect([del.previous, del.delegate]).toEqual(["0x0000000000000000000000000000000000000000", hot]);
    await Promise.all([
      fails(["borrow", "delegate", String(loanId), "nope", ...dev(7)], 2, /delegate must be an address/),
      fails(["borrow", "delegate", String(loanId), hot, ...dev(6)], 1, /is not the borrower of loan/),
      fails(["borrow", "quote", "0", "1000", "--days", "soon", ...dev(7)], 2, /--days must be a non-negative integer/),
      fails(["borrow", "open", "0", "2", "1000", "--days", "30", ...dev(7)], 1, /token 2 of 0x[0-9a-fA-F]{40} does not exist/),
      fails(["borrow", "health", "abc"], 2, /loan id must be a non-negative integer/),
      fails(["borrow", "loans", "--account", "nobody"], 2, /--account must be an address/),
      // issue #29 item 4: a quote above the LTV bound is refused in token units (a read: no signer needed)
      fails(["borrow", "quote", "0", "900000", "--days", "30"], 1, /ExceedsLtv: a principal of 900,000 dUSD is above the most this token can borrow, [\d,.]+ dUSD \(50 % LTV/),
      // item 3: a term in days, as typed
      fails(["borrow", "quote", "0", "1000", "--days", "3"], 1, /a term of 3 days is outside the collection's 7 days \.\. 90 days/),
      // item 5: a collection that is not listed (not even an ERC-721) is named as such, not an ethers BAD_DATA
      fails(["borrow", "open", "0x000000000000000000000000000000000000bEEF", "1", "100", "--days", "30", ...dev(7)], 1, /collection 0x000000000000000000000000000000000000bEEF is not listed in the registry/),
      // item 6: no such loan, not a division by zero
      fails(["borrow", "health", "9999"], 1, /^strata: there is no loan 9999$/),
    ]);
  });

  let requestId = "";
  it("lend request, cancel; queue status and process; repay partial; lend claim", async () => {
    const req = JSON.parse((await ok(["lend", "request", "junior", "all", "--json", ...dev(5)])).stdout);
    requestId = req.requestId;
    expect(BigInt(req.servedAssets)).toBeLessThan(usd(5_000)); // the cash is lent out: most of it waits
    const qs = JSON.parse((await ok(["queue", "status", "--json"])).stdout);
    expect(BigInt(qs[1].pendingShares)).toBeGreaterThan(0n);
    await fails(["queue", "process", "junior", ...dev(3)], 1, /is in its notice period until/);
    await ok(["lend", "cancel", "junior", requestId, ...dev(5)]);
    await fails(["lend", "cancel", "junior", requestId, ...dev(5)], 1, /has no pending shares to cancel/);
    const again = JSON.parse((await ok(["lend", "request", "junior", "10000", "--json", ...dev(5)])).stdout);
    requestId = again.requestId;
    await ok(["dev", "warp", "86400"]);
    await fails(["borrow", "repay", String(loanId), "0.01", ...dev(7)], 1, /PaymentBelowInterest: a partial repayment of 0\.01 dUSD must cover the interest due, [\d,.]+ dUSD/);
    // issue #29 item 9: paying toward someone else's loan asks for its borrower first (nothing sent), then is allowed
    const borrower7 = new Wallet(ANVIL_KEYS[7]).address;
    const nonce6 = await provider.getTransactionCount(new Wallet(ANVIL_KEYS[6]).address);
    await fails(["borrow", "repay", String(loanId), "100", ...dev(6)], 1, new RegExp(`loan ${loanId} is ${borrower7}'s, not 0x[0-9a-fA-F]{40}'s: paying toward it is allowed .*--for ${borrower7}`));
    await fails(["borrow", "repay", String(loanId), "100", "--for", new Wallet(ANVIL_KEYS[5]).address, ...dev(6)], 1, /paying toward it is allowed/);
    expect(await provider.getTransactionCount(new Wallet(ANVIL_KEYS[6]).address)).toBe(nonce6);
    expect((await ok(["borrow", "repay", String(loanId), "1000", "--for", borrower7, ...dev(6)])).stdout).toMatch(/paid 1,000 dUSD on loan/);
    expect((await ok(["borrow", "repay", String(loanId), "20000", ...dev(7)])).stdout).toMatch(/paid 20,000 dUSD on loan/);
    expect((await ok(["queue", "process", "junior", ...dev(3)])).stdout).toMatch(/served 1 junior request/);
    expect((await ok(["lend", "claim", "junior", "all", ...dev(5)])).stdout).toMatch(/claimed [\d,.]+ dUSD for [\d,.]+ served junior shares/);
    await fails(["lend", "claim", "junior", "all", ...dev(5)], 2, /you have no claimable junior request/);
    await fails(["queue", "process", "mezz", ...dev(3)], 2, /tranche must be/);
  });

  it("borrow extend: success; an out-of-range term is refused", async () => {
    await ok(["oracle", "push", "0", "100000", ...dev(4)]); // a day has passed: the price is stale until pushed
    await fails(["borrow", "extend", String(loanId), "--days", "1000", ...dev(7)], 1, /DurationOutOfRange|outside/);
    // issue #29 item 13: the new term starts now: the output shows the old and the new maturity and by how much it moved
    const before = await fetchLoan(provider, d, loanId);
    const out = (await ok(["borrow", "extend", String(loanId), "--days", "30", ...dev(7)])).stdout;
    const after = await fetchLoan(provider, d, loanId);
    const iso = (t: bigint) => new Date(Number(t) * 1000).toISOString();
    expect(out).toMatch(/extended at [\d.]+ % APR: interest paid [\d,.]+ dUSD/);
    expect(out).toContain(`maturity ${iso(before.maturity)} -> ${iso(after.maturity)} (`);
    expect(out).toContain("the new 30-day term started now, SPEC §3.9)");
  });

  it("README: every `<!-- tested -->` block (Use it, governance) runs as written, in order", async () => {
    await ok(["lend", "deposit", "junior", "60000", ...dev(5)]); // cash for the README's borrower (the test's loan took most)
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/<!-- tested -->\n```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const r = await bash(blocks.join("\n"), env);
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
    expect(r.stdout).toMatch(/paid [\d,.]+ dUSD on loan \d+: closed, NFT returned/); // the loan opened by `borrow open` (its id captured as $LOAN)
    expect(r.stdout).toMatch(/claimed [\d,.]+ dUSD for [\d,.]+ served junior shares/); // one ERC-7540 redeem
    expect(r.stdout).toMatch(/executed operation 0x[0-9a-f]{64}/);
    expect((await fetchPool(provider, d)).pool.seniorRate).toBe(4n * 10n ** 16n);
  });

  it("keeper run --dry-run sends nothing; the bot then liquidates, buys the auction, and stops on SIGINT", async () => {
    const keeper = new Wallet(ANVIL_KEYS[3]).address;
    await ok(["oracle", "push", "0", "60000", ...dev(4)]);
    await ok(["oracle", "push", "0", "36000", ...dev(4)]); // 2.5 x 36,000 x 70 % = 63,000 < debt: unhealthy
    const nonce = await provider.getTransactionCount(keeper);
    const block = await provider.getBlockNumber();
    const dry = await ok(["keeper", "run", "--once", "--dry-run", "--max-price-bps", "9000", ...dev(3)]);
    expect(dry.stdout).toMatch(new RegExp(`keeper would liquidate loan ${loanId}: loan ${loanId} \\(unhealthy, health 0\\.`));
    expect(await provider.getTransactionCount(keeper)).toBe(nonce);
    expect(await provider.getBlockNumber()).toBe(block);

    const capped = await ok(["keeper", "run", "--once", "--max-gas-price", "0.000000001", ...dev(3)]);
    expect(capped.stdout).toMatch(/keeper skip tick: gas price \d+ wei above the cap 1 wei: nothing sent/);
    expect(await provider.getTransactionCount(keeper)).toBe(nonce);

    const state = join(tmp, "keeper-state.json");
    const live = await ok(["keeper", "run", "--once", "--max-price-bps", "9000", "--state", state, ...dev(3)]);
    expect(live.stdout).toMatch(new RegExp(`keeper liquidate loan ${loanId}: .* tx 0x[0-9a-f]{64}`));
    expect((await fetchLoan(provider, d, loanId)).statusName).toBe("Liquidating");
    const saved = JSON.parse(readFileSync(state, "utf8"));
    expect(saved.nextBlock).toBeGreaterThan(block); // the next run resumes its event scan here

    await ok(["dev", "warp", String(2 * 86400)]);
    await ok(["oracle", "push", "0", "36000", ...dev(4)]);
    const buy = await ok(["keeper", "run", "--once", "--max-price-bps", "9000", "--state", state, ...dev(3)]);
    expect(buy.stdout).toMatch(new RegExp(`keeper buy auction ${loanId}: price [\\d,.]+ dUSD <= [\\d,.]+ dUSD \\(90 % of appraisal`));
    expect((await fetchAuction(provider, d, loanId)).statusName).toBe("Sold");
    await fails(["keeper", "run", "--interval", "0", ...dev(3)], 2, /--interval must be at least 1 second/);
    // stale delegations (SPEC §3.7): none here; revoking one that is not there is refused before sending
    expect((await ok(["keeper", "stale-delegations"])).stdout).toContain("no stale delegation");
    expect(JSON.parse((await ok(["keeper", "stale-delegations", "--json"])).stdout)).toEqual([]);
    await fails(["keeper", "revoke-delegate", String(loanId), ...dev(3)], 1, new RegExp(`loan ${loanId} has no delegation left to revoke`));
    await fails(["keeper", "revoke-delegate", "first", ...dev(3)], 2, /loan id/);
    // the pool's copy of a collection's configuration (SPEC §8.6): anyone may write it again from the registry
    const synced = JSON.parse((await ok(["keeper", "sync-collection", "0", "--json", ...dev(3)])).stdout) as { collection: string; hash: string };
    expect(synced.collection).toBe(d.collections[0]);
    const receipt = await provider.getTransactionReceipt(synced.hash);
    expect(receipt?.logs.map((l) => l.topics[0])).toContain(registryAt(d.registry, provider).interface.getEvent("PoolConfigSynced")!.topicHash);
    await fails(["keeper", "sync-collection", "0x00000000000000000000000000000000000000c0", ...dev(3)], 1, /is not listed in the registry: there is no configuration to copy/);
    await fails(["keeper", "sync-collection", "cats", ...dev(3)], 2, /"cats" is not a collection address, index or deployment key/);

    // the loop: started, then SIGINT ends it cleanly (exit 0) after the tick
    const { spawn } = await import("node:child_process");
    const { BIN } = await import("./cli-helpers.ts");
    const child = spawn(process.execPath, [BIN, "keeper", "run", "--interval", "1", "--dry-run", ...dev(3)], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes("keeper started")) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
    expect(code).toBe(0);
    expect(out).toMatch(/keeper stopped \(loan book at block \d+\)/);
  });

  it("auction list and buy: a sold auction is refused, a bad price is usage", async () => {
    expect((await ok(["auction", "list"])).stdout).toMatch(/no running auction/);
    await Promise.all([
      fails(["auction", "buy", String(loanId), "--max-price", "100000", ...dev(3)], 1, new RegExp(`auction ${loanId} is not running \\(Sold\\)`)),
      fails(["auction", "buy", String(loanId), "--max-price", "cheap", ...dev(3)], 2, /"cheap" is not an amount/),
    ]);
  });

  it("pool status: a table for people, JSON for machines", async () => {
    const human = await ok(["pool", "status"]);
    expect(human.stdout).toMatch(/│ NAV\s+│ [\d,.]+ dUSD/);
    const j = JSON.parse((await ok(["pool", "status", "--json"])).stdout);
    expect(BigInt(j.nav)).toBe(BigInt(j.senior.value) + BigInt(j.junior.value));
    expect(existsSync(DEP)).toBe(true);
  });
});

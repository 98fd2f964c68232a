// `strata pool stress` spawned as a process against anvil with a live book: --json equals the SDK's stress view at
// the same block (the CLI holds no rule of its own), the tables and the breakpoints in words are printed for people,
// and bad options are usage errors (exit 2, one line).
import { type Contract, MaxUint256 } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devCollectionAt } from "../src/chain/contracts.ts";
import { send, mined } from "../src/chain/tx.ts";
import { BORROW, breakpoints, stress, stressCurves } from "../src/index.ts";
import { fetchStressBook } from "../src/fetch/views.ts";
import { cli, errorLine } from "./cli-helpers.ts";
import { type Fixture, setupFixture } from "./fixture.ts";

let f: Fixture;
let env: Record<string, string | undefined>;
const json = (s: string) => JSON.parse(s) as Record<string, unknown>;
/** The SDK's result as the CLI prints it (bigints as decimal strings). */
const asJson = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));

beforeAll(async () => {
  f = await setupFixture();
  env = { RPC_URL: f.anvil.url, STRATA_DEPLOYMENT: f.deploymentPath, STRATA_PRIVATE_KEY: undefined };
  await f.mintAsset(f.lender, f.usd(1_000_000));
  await mined(await f.c.asset.connect(f.lender).approve(f.d.juniorVault, MaxUint256));
  await mined(await f.c.asset.connect(f.lender).approve(f.d.seniorVault, MaxUint256));
  await send(f.c.junior.connect(f.lender), "deposit", [f.usd(60_000), f.lender.address]);
  await send(f.c.senior.connect(f.lender), "deposit", [f.usd(200_000), f.lender.address]);
  for (const c of f.d.collections) await mined(await devCollectionAt(c, f.borrower).setApprovalForAll(f.d.pool, true));
  const plans = [
    { c: 0, principal: 48_000 },
    { c: 0, principal: 35_000 },
    { c: 0, principal: 20_000 },
    { c: 1, principal: 15_000 },
    { c: 1, principal: 9_000 },
  ];
  for (const [i, p] of plans.entries()) {
    await f.mintNft(f.d.collections[p.c], f.borrower, BigInt(i + 1));
    const pool = f.c.pool.connect(f.borrower) as unknown as Contract;
    await mined(await pool[BORROW](f.d.collections[p.c], BigInt(i + 1), f.usd(p.principal), 30n * 86_400n, MaxUint256, { multiplierBps: 0n, proof: [] }, { gasLimit: 2_000_000n }));
  }
}, 180_000);
afterAll(async () => f?.stop());

describe("strata pool stress", { timeout: 300_000 }, () => {
  it("--drop --collection --json: the SDK's scenario at the same block", async () => {
    const r = await cli(["pool", "stress", "--collection", "0", "--drop", "50", "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    const book = await fetchStressBook(f.provider, f.d);
    const sdk = stress(book.snap, book.loans, book.collections, { drops: { [f.d.collections[0]]: 5000n }, auction: book.auction });
    expect(out.collection).toBe(f.d.collections[0]);
    expect(out.loss).toEqual(asJson(sdk.loss));
    expect(out.after).toEqual(asJson(sdk.after));
    expect(out.before).toEqual(asJson(sdk.before));
    expect((out.liquidated as { loan: string }[]).map((l) => l.loan)).toEqual(sdk.liquidated.map((l) => String(l.loan.id)));
    expect(sdk.liquidated.length).toBeGreaterThan(0);
    expect(BigInt(out.shortfall as string)).toBeGreaterThan(0n);
  });

  it("--recovery changes the sale price to a share of the stressed appraisal", async () => {
    const r = await cli(["pool", "stress", "--drop", "40", "--recovery", "20", "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    const book = await fetchStressBook(f.provider, f.d);
    const sdk = stress(book.snap, book.loans, book.collections, { drops: Object.fromEntries(f.d.collections.map((c) => [c, 4000n])), recoveryBps: 2000n, auction: book.auction });
    expect(out.loss).toEqual(asJson(sdk.loss));
    for (const l of out.liquidated as { appraisal: string; salePrice: string }[]) expect(BigInt(l.salePrice)).toBe((BigInt(l.appraisal) * 2000n) / 10_000n);
  });

  it("the default view: drops 10 .. 90 % for each listed collection and all at once, with breakpoints", async () => {
    const r = await cli(["pool", "stress", "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    const book = await fetchStressBook(f.provider, f.d);
    expect(out.curves).toEqual(asJson(stressCurves(book.snap, book.loans, book.collections, { auction: book.auction })));
    expect(out.breakpoints).toEqual(asJson(breakpoints(book.snap, book.loans, book.collections, { auction: book.auction })));
    const curves = out.curves as { collection: string; points: { dropBps: string }[] }[];
    expect(curves.map((c) => c.collection)).toEqual([...f.d.collections, "all"]);
    expect(curves[0].points.map((p) => p.dropBps)).toEqual(["1000", "2000", "3000", "4000", "5000", "6000", "7000", "8000", "9000"]);

    const human = await cli(["pool", "stress"], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/all listed collections at once:/);
    expect(human.stdout).toMatch(/floor drop .*senior loss .*junior loss/);
    expect(human.stdout).toMatch(/the senior tranche loses nothing until collection 1 \(0x\w+…\)'s floor falls \d+(\.\d+)? %/);
    expect(human.stdout).toMatch(/a first loan is liquidated once collection 2 .* falls \d+(\.\d+)? %/);
  });

  it("one scenario for people: a table per tranche and the liquidated loans", async () => {
    const r = await cli(["pool", "stress", "--drop", "70"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/every listed collection's floor falls 70 % now/);
    expect(r.stdout).toMatch(/│ senior .*│\n.*│ junior /);
    expect(r.stdout).toMatch(/loan .*collection .*reason .*owed/);
    expect(r.stdout).toMatch(/unhealthy/);
  });

  it("bad options are usage errors (exit 2, one line)", async () => {
    const cases: [string[], RegExp][] = [
      [["pool", "stress", "--drop", "150"], /--drop must be at most 100 %/],
      [["pool", "stress", "--drop", "ten"], /--drop must be a percentage between 0 and 100/],
      [["pool", "stress", "--recovery", "-5"], /--recovery must be a percentage/],
      [["pool", "stress", "--collection", "7"], /"7" is not a collection address, index or deployment key/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, env);
      expect({ code: r.code, line: errorLine(r) }, r.stderr).toMatchObject({ code: 2, line: expect.stringMatching(message) });
    }
  });
});

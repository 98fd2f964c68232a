// The web app in a real browser (Debian's chromium through playwright-core) against a local anvil with a deployment:
// a lender deposits in both tranches and exits the junior through the queue, a borrower borrows and repays, a keeper
// liquidates and buys an auction; the Risk panels show the SDK's stress view. Assertions are on what the page shows, checked against the SDK read in node.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Interface, Wallet, ZeroAddress } from "ethers";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ANVIL_KEYS,
  Borrower,
  Keeper,
  Lender,
  RarityTree,
  breakpointSentences,
  breakpoints,
  erc721At,
  fetchAuction,
  fetchLoan,
  fetchPool,
  fetchPosition,
  formatAmount,
  formatBps,
  formatWadPct,
  stress,
  stressCurves,
  stressPosition,
  vaultAt,
} from "../../ts-sdk/src/index.ts";
import { fetchStressBook } from "../../ts-sdk/src/fetch/views.ts";
import { type Browser, launchBrowser } from "./browser.ts";
import { BORROWER, KEEPER, LENDER, type Scenario, setupScenario } from "./scenario.ts";

const ARTIFACTS = join(import.meta.dirname, "..", "test-results");
/** Collection #0's rarity list, the file `strata borrow open --rarity` reads: token 1 at 2.5×. */
const RARITY_FILE = join(import.meta.dirname, "..", "..", "config", "rarity", "dev-collection-1.json");

let sc: Scenario;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const text = (testId: string) => page.getByTestId(testId).first().innerText();
const fmt = (x: bigint, dec: number, maxDecimals: number) => formatAmount(x, dec, { maxDecimals });
const shortAddr = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

/** Waits for the newest transaction of the panel to settle; returns its state and text. */
async function lastTx(): Promise<{ state: string; text: string }> {
  const tx = page.getByTestId("tx").first();
  await expect.poll(async () => tx.getAttribute("data-state"), { timeout: 20_000 }).toMatch(/confirmed|failed/);
  return { state: (await tx.getAttribute("data-state"))!, text: await tx.innerText() };
}

/** Gives collection #0 the rarity list `tree` through governance, with the proof-less multiplier the SDK derives from it. */
async function listRarity(tree: RarityTree): Promise<void> {
  const { f } = sc;
  const c0 = f.d.collections[0];
  const [params] = await f.c.registry.collection(c0);
  const p = (params as unknown as { toObject: (deep: boolean) => Record<string, unknown> }).toObject(true);
  const reg: Interface = f.c.registry.interface;
  await f.govern([
    { target: f.d.registry, data: reg.encodeFunctionData("configureCollection", [c0, { ...p, rarityRoot: tree.root }]) },
    { target: f.d.registry, data: reg.encodeFunctionData("setNoProofRarity", [c0, tree.noProofMultiplierBps]) },
  ]);
}

async function go(where: "pool" | "lend" | "borrow" | "liquidations", account?: number): Promise<void> {
  await page.getByTestId(`nav-${where}`).click();
  await page.getByTestId(`page-${where}`).waitFor();
  if (account !== undefined) {
    await page.getByTestId("dev-account").selectOption(String(account));
    const addr = new Wallet(ANVIL_KEYS[account]).address;
    await expect.poll(() => text("wallet-address")).toBe(`${addr.slice(0, 6)}…${addr.slice(-4)}`);
  }
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [sc, browser] = await Promise.all([setupScenario(), launchBrowser()]);
  page = await browser.context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  await page.goto(`${sc.server.url}/#/pool`);
  await page.getByTestId("chainline").waitFor();
}, 90_000);

afterEach(async ({ task }) => {
  if (task.result?.state === "fail") await shot(`failed-${task.name.replace(/\W+/g, "-").slice(0, 60)}`);
});

afterAll(async () => {
  await browser?.close();
  await sc?.stop();
});

describe("web app", () => {
  it("Pool shows the SDK's NAV, utilization, share prices, APR/APY and the share-price chart", async () => {
    const snap = await fetchPool(sc.f.provider, sc.f.d);
    const dec = snap.pool.assetDecimals;
    await expect.poll(() => text("chainline")).toContain(`block ${snap.pool.blockNumber}`);
    expect(await text("nav")).toBe(`${fmt(snap.pool.navAt(), dec, 2)} ${snap.pool.assetSymbol}`);
    expect(await text("cash")).toBe(`${fmt(snap.pool.cash, dec, 2)} ${snap.pool.assetSymbol}`);
    expect(await text("utilization")).toBe(formatWadPct(snap.pool.utilization));
    expect(await text("senior-share-price")).toBe(`${fmt(snap.senior.sharePrice, dec, 6)} ${snap.pool.assetSymbol}`);
    expect(await text("junior-share-price")).toBe(`${fmt(snap.junior.sharePrice, dec, 6)} ${snap.pool.assetSymbol}`);
    expect(await text("senior-apr")).toBe(formatWadPct(snap.senior.apr));
    expect(await text("junior-apy")).toBe(formatWadPct(snap.junior.apy));
    expect(await page.getByTestId("tranche-senior").innerText()).toMatch(/on lent capital × [0-9.]+ % utilization/); // SPEC §5.1
    expect(await page.getByTestId("tranche-junior").innerText()).toContain("junior residual");
    const chart = page.getByTestId("share-price-chart");
    await chart.waitFor();
    expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThanOrEqual(2);
    await expect.poll(() => chart.locator("svg path").count()).toBeGreaterThan(2);
    await shot("pool");
  });

  it("Pool's Risk panel: the SDK's stress curves charted and tabled, breakpoints in words, per collection and all at once", async () => {
    const { f } = sc;
    await go("pool");
    const book = await fetchStressBook(f.provider, f.d);
    const dec = book.snap.pool.assetDecimals;
    const risk = page.getByTestId("risk");
    const chart = risk.getByTestId("risk-chart");
    await chart.waitFor();
    expect(await chart.getAttribute("data-series")).toBe("2");
    await expect.poll(() => chart.locator("svg path").count()).toBeGreaterThan(2);
    for (const target of ["all", ...book.collections.map((c) => c.address)]) {
      const label = target === "all" ? "all" : `collection-${book.collections.findIndex((c) => c.address === target) + 1}`;
      await risk.getByTestId(`risk-target-${label}`).click();
      const [curve] = stressCurves(book.snap, book.loans, book.collections, { auction: book.auction, targets: [target] });
      const bp = breakpoints(book.snap, book.loans, book.collections, { auction: book.auction }).find((b) => b.collection === target)!;
      const name = target === "all" ? "all floors" : `collection ${book.collections.findIndex((c) => c.address === target) + 1}'s floor`;
      const words = breakpointSentences(bp, name).map((w) => `${w[0].toUpperCase()}${w.slice(1)}.`);
      await expect.poll(() => risk.getByTestId("risk-breakpoints").innerText()).toBe(words.join("\n"));
      for (const p of curve.points) {
        const row = risk.getByTestId(`risk-row-${Number(p.dropBps) / 100}`);
        expect(await row.getByTestId("risk-senior-loss").innerText()).toBe(`${fmt(p.loss.senior, dec, 2)} (${formatBps(p.lossBps.senior)})`);
        expect(await row.getByTestId("risk-junior-loss").innerText()).toBe(`${fmt(p.loss.junior, dec, 2)} (${formatBps(p.lossBps.junior)})`);
      }
    }
    // Not a flat line: somewhere on the ladder the junior loses, and at 90 % of every floor the senior too.
    const [all] = stressCurves(book.snap, book.loans, book.collections, { auction: book.auction, targets: ["all"] });
    expect(all.points.some((p) => p.loss.junior > 0n)).toBe(true);
    // Another recovery assumption changes the figures the page shows, again the SDK's.
    await risk.getByTestId("risk-target-all").click();
    await risk.getByTestId("risk-recovery").selectOption("25");
    const [low] = stressCurves(book.snap, book.loans, book.collections, { auction: book.auction, recoveryBps: 2500n, targets: ["all"] });
    await expect
      .poll(() => risk.getByTestId("risk-row-50").getByTestId("risk-junior-loss").innerText())
      .toBe(`${fmt(low.points[4].loss.junior, dec, 2)} (${formatBps(low.points[4].lossBps.junior)})`);
    expect(await risk.getByTestId("risk-assumptions").innerText()).toMatch(/all at once; nothing else happens/);
    await risk.getByTestId("risk-recovery").selectOption("end");
    await shot("pool-risk");
  });

  it("read only (no wallet): Lend and Borrow show the pool's figures, name the collections, and say what a wallet enables", async () => {
    const { f } = sc;
    const snap = await fetchPool(f.provider, f.d);
    const { assetDecimals: dec, assetSymbol: sym } = snap.pool;
    await go("lend");
    await page.getByTestId("dev-account").selectOption("");
    await page.getByTestId("tranche-tab-senior").click();
    const figures = page.getByTestId("tranche-figures");
    await figures.waitFor();
    expect(await text("figures-share-price")).toBe(`${fmt(snap.senior.sharePrice, dec, 6)} ${sym}`);
    expect(await text("figures-value")).toBe(`${fmt(snap.senior.totalAssetsAt(), dec, 2)} ${sym}`);
    expect(await text("figures-apr")).toBe(formatWadPct(snap.senior.apr));
    expect(await text("figures-max-deposit")).toBe(`${fmt(snap.senior.maxDeposit(), dec, 4)} ${sym}`);
    expect(await text("connect-hint")).toMatch(/^Choose a wallet \(top right\) to deposit in this tranche, withdraw or request a withdrawal/);
    // The junior: its ledger-sized limit is no limit; its exit is said in user words, not as an SDK method.
    await page.getByTestId("tranche-tab-junior").click();
    await expect.poll(() => figures.innerText()).toContain("Junior tranche");
    expect(await text("figures-max-deposit")).toBe("no limit");
    expect(await figures.innerText()).toMatch(/request a withdrawal: it is served after the \S.* notice period/);
    expect(await page.getByTestId("page-lend").innerText()).not.toMatch(/requestRedeem|previewDeposit|previewRedeem/);
    await shot("lend-read-only");

    await go("borrow");
    const names = await Promise.all(f.d.collections.map((a) => erc721At(a, f.provider).name()));
    expect(names[0]).toBe("Dev Collection 1");
    const options = await page.getByTestId("collection").locator("option").allInnerTexts();
    expect(options).toEqual(f.d.collections.map((a, i) => `${names[i]} (${shortAddr(a)})`));
    await expect.poll(() => text("floor")).toBe(`${fmt(100_000n * 10n ** BigInt(dec), dec, 2)} ${sym}`);
    expect(await text("max-principal")).toBe(`50,000 ${sym}`); // 50 % LTV x 100,000 floor x the proof-less 1x
    expect(await text("available-cash")).toBe(`${fmt(snap.pool.availableCashAt(), dec, 2)} ${sym}`);
    expect(await text("connect-hint")).toMatch(/^Choose a wallet \(top right\) to see your tokens of this collection/);
    expect(await page.getByTestId("principal").count()).toBe(0);
    await shot("borrow-read-only");
  });

  it("a lender sees each limit in token units (the action refused on the page), deposits in both tranches and exits the junior through the queue", async () => {
    const { f } = sc;
    const { assetDecimals: dec, assetSymbol: sym } = (await fetchPool(f.provider, f.d)).pool;
    await go("lend", LENDER);
    // Senior first: above the subordination limit the page names the limit in token units, with its reason; no
    // preview, and the button is disabled (nothing is sent).
    await page.getByTestId("tranche-tab-senior").click();
    await page.getByTestId("mode-deposit").click();
    const txCount = await page.getByTestId("tx").count();
    await page.getByTestId("amount").fill("1000000");
    const senior = await (await Lender.connect(f.lender, f.d)).limits("senior");
    expect(senior.maxDeposit).toBeLessThan(f.usd(1_000_000));
    await expect.poll(() => text("over-limit")).toBe(`above the max deposit of ${fmt(senior.maxDeposit, dec, 4)} ${sym} (${senior.depositReason})`);
    expect(await text("over-limit")).toMatch(/^above the max deposit of [\d,.]+ dUSD \(subordination: /);
    expect(await page.getByTestId("submit").isDisabled()).toBe(true);
    expect(await page.getByTestId("preview").count()).toBe(0);
    // Above the wallet (below the vault's limit): the same.
    await page.getByTestId("amount").fill("300000");
    await expect.poll(() => text("over-limit")).toMatch(/^above your wallet balance of [\d,.]+ dUSD$/);
    expect(await page.getByTestId("submit").isDisabled()).toBe(true);
    expect(await page.getByTestId("tx").count()).toBe(txCount);
    await shot("lend-over-limit");

    await page.getByTestId("tranche-tab-junior").click();
    // The junior's uint128-sized limit is "no limit"; its exit hints say what to do in user words.
    await expect.poll(() => text("max-deposit")).toBe("no limit");
    const position = await page.getByTestId("position").innerText();
    expect(position).not.toContain("requestRedeem");
    expect(position).toMatch(/to exit, request a withdrawal: it is served after the \S.* notice period/);
    await page.getByTestId("amount").fill("10000");
    await expect.poll(() => text("preview")).toMatch(/^you receive ≈ [\d,.]+ shares/);
    await page.getByTestId("submit").click();
    expect((await lastTx()).state).toBe("confirmed");
    const juniorShares = await vaultAt(f.d.juniorVault, f.provider).balanceOf(f.lender.address);
    expect(juniorShares).toBeGreaterThan(0n);
    await expect.poll(() => text("position-shares")).toBe(`${fmt(juniorShares, dec + 6, 4)} shares`);

    await page.getByTestId("tranche-tab-senior").click();
    await page.getByTestId("amount").fill("20000");
    await page.getByTestId("submit").click();
    const deposited = await lastTx();
    expect(deposited.state).toBe("confirmed");
    expect(deposited.text).toContain(`Deposit 20,000 ${sym}`);
    const pos = await fetchPosition(f.provider, f.d, f.lender.address, "senior");
    await expect.poll(() => text("position-value")).toBe(`${fmt(pos.value, dec, 4)} ${sym}`);

    // The junior exit: request every junior share, then claim what the queue served.
    await page.getByTestId("tranche-tab-junior").click();
    await page.getByTestId("mode-request").click();
    await page.getByTestId("max").click();
    await page.getByTestId("submit").click();
    expect((await lastTx()).state).toBe("confirmed");
    const jpos = await fetchPosition(f.provider, f.d, f.lender.address, "junior");
    expect(jpos.requests.length).toBe(1);
    const req = jpos.requests[0];
    const row = page.getByTestId(`request-${req.id}`);
    await row.waitFor();
    const stage = req.stageAt((await fetchPool(f.provider, f.d)).pool.timestamp);
    expect(await row.getByTestId("request-stage").innerText()).toContain(stage);
    await shot("lend-junior-request");
    if (stage === "claimable") {
      await row.getByTestId("claim").click();
      expect((await lastTx()).state).toBe("confirmed");
      await expect.poll(() => page.getByTestId("requests").innerText()).toContain("No open request.");
    }
    expect(await vaultAt(f.d.juniorVault, f.provider).balanceOf(f.lender.address)).toBe(0n);

    // After the notice a keeper serves the line: the page shows the junior's claimable amounts (ERC-7540 maxRedeem /
    // maxWithdraw) and the request's Claim is the standard redeem. On a chain snapshot: later tests see the chain as before.
    const jv = vaultAt(f.d.juniorVault, f.provider);
    const chain = await f.snapshot();
    await f.warp(Number((await fetchPool(f.provider, f.d)).tranche("junior").noticePeriod));
    await (await Keeper.connect(f.keeper, f.d)).processQueue("junior");
    const served = await jv.maxRedeem(f.lender.address);
    expect(served).toBeGreaterThan(0n);
    await expect.poll(() => text("max-redeem")).toBe(`${fmt(served, dec + 6, 4)} shares`);
    await expect.poll(() => text("max-withdraw")).toBe(`${fmt(await jv.maxWithdraw(f.lender.address), dec, 4)} ${sym}`);
    await expect.poll(() => row.getByTestId("request-stage").innerText()).toContain("claimable");
    await shot("lend-junior-claimable");
    const before = await f.c.asset.balanceOf(f.lender.address);
    await row.getByTestId("claim").click();
    expect((await lastTx()).state).toBe("confirmed");
    expect(await jv.maxRedeem(f.lender.address)).toBe(0n);
    expect((await f.c.asset.balanceOf(f.lender.address)) - before).toBeGreaterThan(0n);
    await f.revert(chain);
    // The page tracks the head by block number, and the restored branch reuses numbers it saw on the reverted one:
    // reload it, so the next test reads the restored clock, not the warped one.
    await page.reload();
    await page.getByTestId("nav-borrow").waitFor();
  });

  it("Lend's Risk card: the connected lender's own position (senior, then a fresh junior deposit) under the same scenarios", async () => {
    const { f } = sc;
    // A junior position for the browser's lender (its earlier junior shares went through the queue).
    await (await Lender.connect(f.lender, f.d)).deposit("junior", f.usd(10_000));
    await go("lend", LENDER);
    for (const tranche of ["senior", "junior"] as const) {
      await page.getByTestId(`tranche-tab-${tranche}`).click();
      const book = await fetchStressBook(f.provider, f.d);
      const dec = book.snap.pool.assetDecimals;
      const pos = await fetchPosition(f.provider, f.d, f.lender.address, tranche);
      const shares = pos.shares + pos.pendingShares;
      expect(shares).toBeGreaterThan(0n);
      const card = page.getByTestId("position-risk");
      await card.getByTestId("position-risk-chart").waitFor();
      const id = tranche === "senior" ? 0 : 1;
      for (const drop of [3000n, 9000n]) {
        const r = stress(book.snap, book.loans, book.collections, { drops: Object.fromEntries(book.collections.map((c) => [c.address, drop])), auction: book.auction });
        const mine = stressPosition(book.snap, r, id, shares);
        if (tranche === "junior") expect(mine.loss).toBeGreaterThan(10n ** BigInt(dec)); // more than one whole unit: the figure is not a rounding
        await expect.poll(() => card.getByTestId(`position-risk-row-${Number(drop) / 100}`).getByTestId("position-risk-loss").innerText()).toBe(fmt(mine.loss, dec, 2));
      }
      const bp = breakpoints(book.snap, book.loans, book.collections, { auction: book.auction }).find((b) => b.collection === "all")!;
      const first = tranche === "senior" ? bp.seniorFirstLoss : bp.juniorFirstLoss;
      const words = await card.getByTestId("position-risk-words").innerText();
      if (first === null) expect(words).toBe(`Your ${tranche} position loses nothing even if all floors fell 99.99 %.`);
      else if (first === 0n) expect(words).toMatch(new RegExp(`^Your ${tranche} position is already losing, with no drop\\.`));
      else expect(words).toMatch(new RegExp(`^Your ${tranche} position loses nothing until all floors fall ${formatBps(first).replace(".", "\\.")}\\.`));
      await shot(`lend-risk-${tranche}`);
    }
  });

  it("a borrower quotes, borrows (NFT approval included), sees health and repays", async () => {
    const { f } = sc;
    await go("borrow", BORROWER);
    await expect.poll(() => page.getByTestId("token").inputValue()).toBe("1");
    await page.getByTestId("principal").fill("20000");
    await page.getByTestId("days").fill("30");
    await page.getByTestId("quote").click();
    await page.getByTestId("quote-result").waitFor();
    expect(await text("quote-apr")).toMatch(/^\d+\.\d\d %$/);
    expect(await text("quote-max")).toBe("50,000 dUSD");
    await page.getByTestId("borrow").click();
    const opened = await lastTx();
    expect(opened.state).toBe("confirmed");
    expect(opened.text.match(/0x[0-9a-f]{4}…/g)?.length).toBe(2); // the NFT approval, then the borrow
    expect(await erc721At(f.d.collections[0], f.provider).ownerOf(1n)).toBe(f.d.pool);

    const loanRow = page.locator('[data-testid^="loan-"]').first();
    await loanRow.waitFor();
    const health = Number(await loanRow.getByTestId("loan-health").innerText());
    expect(health).toBeGreaterThan(3.4); // 100,000 x 70 % / 20,000 = 3.5, less a few seconds of interest
    expect(health).toBeLessThanOrEqual(3.5);
    expect(await loanRow.getByTestId("loan-maturity").innerText()).toMatch(/\(in (30d 00h 00m 0\ds|29d 23h 5\dm \d\ds)\)$/); // a 30-day term, seconds old
    await shot("borrow-loan");

    await loanRow.getByTestId("repay-full").click();
    expect((await lastTx()).state).toBe("confirmed");
    await expect.poll(() => page.getByTestId("loans").innerText()).toContain("No active loan.");
    expect(await erc721At(f.d.collections[0], f.provider).ownerOf(1n)).toBe(f.borrower.address);
  });

  it("Borrow: a principal above the LTV bound is refused in token units; the token's rarity list raises it, a wrong list or proof is refused before any transaction", async () => {
    const { f } = sc;
    const nft = erc721At(f.d.collections[0], f.provider);
    const list = JSON.parse(readFileSync(RARITY_FILE, "utf8")) as { tokenId: number; multiplierBps: number }[];
    const tree = RarityTree.of(list.map((e) => ({ tokenId: BigInt(e.tokenId), multiplierBps: BigInt(e.multiplierBps) })));
    // On a chain snapshot: collection #0 gets its rarity list (proof-less tokens at the list's lowest, 0.8x).
    const chain = await f.snapshot();
    try {
      await listRarity(tree);
      expect(tree.noProofMultiplierBps).toBe(8_000n);
      await go("borrow", BORROWER);
      await expect.poll(() => page.getByTestId("token").inputValue()).toBe("1");
      await page.getByTestId("principal").fill("99000");
      await page.getByTestId("days").fill("30");
      // Without a proof token 1 is priced at the proof-less 0.8x: 99,000 is above the LTV bound, named in token units.
      await expect.poll(() => text("over-limit")).toBe("above the max principal of 40,000 dUSD (50 % LTV × floor 100,000 dUSD × rarity 0.8×)");
      expect(await page.getByTestId("borrow").isDisabled()).toBe(true);
      expect(await page.getByTestId("quote").isDisabled()).toBe(true);
      expect(await page.getByTestId("quote-result").count()).toBe(0);

      // A wrong list (token 1 raised to 3x: another root), then a forged proof (the right path, a wrong multiplier):
      // each refused on the page with the SDK's message; nothing is sent, not even the NFT approval.
      const txCount = await page.getByTestId("tx").count();
      const forged = list.map((e) => (e.tokenId === 1 ? { ...e, multiplierBps: 30_000 } : e));
      await page.getByTestId("rarity-text").fill(JSON.stringify(forged));
      await expect
        .poll(() => text("rarity-error"))
        .toMatch(new RegExp(`^the rarity list's root 0x[0-9a-f]{64} is not the collection's rarity root ${tree.root}: wrong or stale rarity file$`));
      expect(await page.getByTestId("borrow").isDisabled()).toBe(true);
      await page.getByTestId("rarity-text").fill(JSON.stringify({ tokenId: 1, multiplierBps: 30_000, proof: tree.proofFor(1n).proof }));
      await expect.poll(() => text("rarity-error")).toBe(`the rarity proof of token 1 at 3x does not verify against the collection's root ${tree.root}`);
      await page.getByTestId("principal").fill("20000"); // a wrong proof blocks any principal
      expect(await page.getByTestId("borrow").isDisabled()).toBe(true);
      expect(await page.getByTestId("quote").isDisabled()).toBe(true);
      expect(await page.getByTestId("tx").count()).toBe(txCount);
      expect(await nft.getApproved(1n)).toBe(ZeroAddress);
      await shot("borrow-wrong-rarity");

      // The collection's list, the file the CLI's `borrow open --rarity` reads: token 1 at 2.5x lifts the bound to 125,000.
      await page.getByTestId("rarity-text").fill("");
      await page.getByTestId("rarity-file").setInputFiles(RARITY_FILE);
      await expect.poll(() => text("rarity")).toBe("2.5×");
      expect(await text("max-principal")).toBe("125,000 dUSD");
      await page.getByTestId("principal").fill("99000");
      expect(await page.getByTestId("over-limit").count()).toBe(0);
      expect(await page.getByTestId("rarity-error").count()).toBe(0);
      await page.getByTestId("quote").click();
      await page.getByTestId("quote-result").waitFor();
      expect(await text("quote-max")).toBe("125,000 dUSD");
      await shot("borrow-rarity");
      await page.getByTestId("borrow").click();
      const opened = await lastTx();
      expect(opened.state).toBe("confirmed");
      expect(opened.text).toContain("at rarity 2.5×");
      const [loan] = await (await Borrower.connect(f.borrower, f.d)).loans();
      expect(loan.tokenId).toBe(1n);
      expect(loan.rarityBps).toBe(25_000n);
      expect(loan.principal).toBe(f.usd(99_000));
      expect(opened.text).toContain(`loan #${loan.id} opened at ${formatWadPct(loan.apr)} APR`);
    } finally {
      await f.revert(chain);
      // the page tracks the head by number, and the restored branch reuses numbers it saw: reload it
      await page.reload();
      await page.getByTestId("nav-borrow").waitFor();
    }
  });

  it("Repay part reports what the chain took and leaves nothing approved; an amount above the debt repays in full and takes only the debt", async () => {
    const { f } = sc;
    const { assetDecimals: dec, assetSymbol: sym } = (await fetchPool(f.provider, f.d)).pool;
    const { loanId: id } = await (await Borrower.connect(f.borrower, f.d)).borrow({ collection: f.d.collections[0], tokenId: 2n, principal: f.usd(40_000), duration: 30n * 86_400n });
    const allowance = () => f.c.asset.allowance(f.borrower.address, f.d.pool);
    const balance = () => f.c.asset.balanceOf(f.borrower.address);
    await go("borrow", BORROWER);
    const row = page.getByTestId(`loan-${id}`);
    await row.waitFor();
    const sub = row.locator("xpath=following-sibling::tr[1]");

    // A part: exactly that is approved and taken, and reported from the receipt.
    let before = await balance();
    await sub.getByTestId("repay-amount").fill("5000");
    await sub.getByTestId("repay-partial").click();
    let tx = await lastTx();
    expect(tx.state).toBe("confirmed");
    expect(before - (await balance())).toBe(f.usd(5_000));
    expect(await page.getByTestId("tx").first().getByTestId("tx-result").innerText()).toBe(`paid 5,000 ${sym}`);
    expect(await allowance()).toBe(0n);

    // More than the debt: the loan is repaid in full; the receipt's amount is reported, not the 60,000 offered, and
    // what stays approved is at most the SDK's few minutes of interest ahead (not the 25,000-odd above the debt).
    const open = await fetchLoan(f.provider, f.d, id);
    expect(open.debt).toBeLessThan(f.usd(36_000));
    before = await balance();
    await sub.getByTestId("repay-amount").fill("60000");
    await expect.poll(() => sub.getByTestId("repay-note").innerText()).toMatch(/^covers the debt \([\d,.]+ dUSD now\): repays the loan in full/);
    await sub.getByTestId("repay-partial").click();
    tx = await lastTx();
    expect(tx.state).toBe("confirmed");
    const paid = before - (await balance());
    expect(paid).toBeGreaterThanOrEqual(open.debt);
    expect(paid).toBeLessThan(f.usd(36_000));
    expect(await page.getByTestId("tx").first().getByTestId("tx-result").innerText()).toBe(`paid ${fmt(paid, dec, 2)} ${sym}: loan closed, NFT returned`);
    expect(tx.text).not.toContain("paid 60,000");
    expect(await allowance()).toBeLessThanOrEqual(open.interestAt(open.asOf + 900n) - open.interestAt(open.asOf));
    expect(await erc721At(f.d.collections[0], f.provider).ownerOf(2n)).toBe(f.borrower.address);
    await expect.poll(() => page.getByTestId("loans").innerText()).toContain("No active loan.");
  });

  it("a keeper liquidates the unhealthy loan and buys its auction", async () => {
    const { f, riskyLoanId } = sc;
    await go("liquidations", KEEPER);
    const risk = page.getByTestId(`risk-${riskyLoanId}`);
    await risk.waitFor();
    expect(Number(await risk.getByTestId("risk-health").innerText())).toBeLessThan(1);
    await risk.getByTestId("liquidate").click();
    expect((await lastTx()).state).toBe("confirmed");

    const auction = page.getByTestId(`auction-${riskyLoanId}`);
    await auction.waitFor();
    expect(await auction.getByTestId("auction-countdown").innerText()).toMatch(/^(3d 00h 00m 00s|2d 23h 5\dm \d\ds)$/); // the 3-day decline, just started
    expect(await auction.getByTestId("auction-price").innerText()).toMatch(/^[\d,.]+ dUSD$/);
    const c1 = f.d.collections[1];
    expect(await auction.innerText()).toContain(`${await erc721At(c1, f.provider).name()} (${shortAddr(c1)}) #7`);
    await shot("liquidations-auction");
    await auction.getByTestId("buy").click();
    const bought = await lastTx();
    expect(bought.state).toBe("confirmed");
    await expect.poll(() => page.getByTestId("auctions").innerText()).toContain("No auction is running.");
    expect((await fetchAuction(f.provider, f.d, riskyLoanId)).statusName).toBe("Sold");
    expect(await erc721At(f.d.collections[1], f.provider).ownerOf(7n)).toBe(f.keeper.address);
  });

  it("an injected EIP-1193 wallet signs through ethers' BrowserProvider instead of the dev accounts", async () => {
    const { f } = sc;
    const wallet = new Wallet(ANVIL_KEYS[9], f.provider);
    await f.mintAsset(wallet, f.usd(5_000));
    const injected = await browser.context.newPage();
    injected.on("pageerror", (e) => pageErrors.push(e.message));
    // A minimal injected provider: anvil's unlocked account #9, every request sent to the app's /rpc.
    await injected.addInitScript((account: string) => {
      let id = 0;
      (window as unknown as { ethereum: unknown }).ethereum = {
        request: async ({ method, params }: { method: string; params?: unknown[] }) => {
          if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
          const res = await fetch("/rpc", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }),
          });
          const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
          if (body.error) throw Object.assign(new Error(body.error.message), body.error);
          return body.result;
        },
      };
    }, wallet.address);
    await injected.goto(`${sc.server.url}/#/lend`);
    expect(await injected.getByTestId("dev-account").count()).toBe(0);
    await injected.getByRole("button", { name: "Connect wallet" }).click();
    await expect.poll(() => injected.getByTestId("wallet-address").innerText()).toBe(`${wallet.address.slice(0, 6)}…${wallet.address.slice(-4)} (injected wallet)`);
    await injected.getByTestId("mode-deposit").click();
    await injected.getByTestId("max").click();
    expect(await injected.getByTestId("amount").inputValue()).toBe("5000"); // the wallet, below the vault's limit
    await injected.getByTestId("submit").click();
    const tx = injected.getByTestId("tx").first();
    await expect.poll(() => tx.getAttribute("data-state"), { timeout: 20_000 }).toMatch(/confirmed|failed/);
    expect(await tx.getAttribute("data-state")).toBe("confirmed");
    expect(await vaultAt(f.d.seniorVault, f.provider).balanceOf(wallet.address)).toBeGreaterThan(0n);
    await injected.screenshot({ path: join(ARTIFACTS, "lend-injected-wallet.png"), fullPage: true });
    await injected.close();
  });

  it("raised no error in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});

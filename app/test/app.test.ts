// The web app in a real browser (Debian's chromium through playwright-core) against a local anvil with a deployment:
// a lender deposits in both tranches and exits the junior through the queue, a borrower borrows and repays, a keeper
// liquidates and buys an auction; the Risk panels show the SDK's stress view. Assertions are on what the page shows, checked against the SDK read in node.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Wallet } from "ethers";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ANVIL_KEYS,
  Keeper,
  Lender,
  breakpointSentences,
  breakpoints,
  erc721At,
  fetchAuction,
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
import { fetchStressBook } from "../../ts-sdk/src/views.ts";
import { type Browser, launchBrowser } from "./browser.ts";
import { BORROWER, KEEPER, LENDER, type Scenario, setupScenario } from "./scenario.ts";

const ARTIFACTS = join(import.meta.dirname, "..", "test-results");

let sc: Scenario;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const text = (testId: string) => page.getByTestId(testId).first().innerText();
const fmt = (x: bigint, dec: number, maxDecimals: number) => formatAmount(x, dec, { maxDecimals });

/** Waits for the newest transaction of the panel to settle; returns its state and text. */
async function lastTx(): Promise<{ state: string; text: string }> {
  const tx = page.getByTestId("tx").first();
  await expect.poll(async () => tx.getAttribute("data-state"), { timeout: 20_000 }).toMatch(/confirmed|failed/);
  return { state: (await tx.getAttribute("data-state"))!, text: await tx.innerText() };
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

  it("a lender sees the SDK's limit error, deposits in both tranches and exits the junior through the queue", async () => {
    const { f } = sc;
    const { assetDecimals: dec, assetSymbol: sym } = (await fetchPool(f.provider, f.d)).pool;
    await go("lend", LENDER);
    // Senior first: above the subordination limit, the SDK refuses before sending, and says why.
    await page.getByTestId("mode-deposit").click();
    await page.getByTestId("amount").fill("1000000");
    await page.getByTestId("submit").click();
    const refused = await lastTx();
    expect(refused.state).toBe("failed");
    expect(refused.text).toMatch(/ExceedsMaxDeposit\(requested \d+, limit \d+\): subordination/);

    await page.getByTestId("tranche-tab-junior").click();
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
    const senior = await lastTx();
    expect(senior.state).toBe("confirmed");
    expect(senior.text).toContain(`Deposit 20,000 ${sym}`);
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

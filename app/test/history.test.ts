// The history panels in a real browser (issue #31): with the indexer configured, the Pool chart, Lend's "your
// history" (deposits, exits, P&L, realised APY) and Borrow's loan timelines render from it (checked against the SDK's
// history client in node); with the indexer stopped, and with none configured, they fall back to node reads with a
// visible note, and the chart still renders.
import { Wallet } from "ethers";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANVIL_KEYS, fetchHistory, fetchLenderHistory, formatAmount } from "../../ts-sdk/src/index.ts";
import { type RunningIndexer, startIndexer } from "../../ts-sdk/src/dev/indexer.ts";
import { type AppServer, startAppServer } from "../server.ts";
import { type Browser, launchBrowser } from "./browser.ts";
import { type Scenario, setupScenario } from "./scenario.ts";

/** anvil #6: the scenario's second lender (both tranches, weeks of deposits) and the risky loan's borrower. */
const LENDER2 = 6;

let sc: Scenario;
let browser: Browser;
let page: Page;
let indexer: RunningIndexer;
let withIndexer: AppServer;

const text = (testId: string) => page.getByTestId(testId).first().innerText();

async function open(server: AppServer, where: "pool" | "lend" | "borrow", account?: number): Promise<void> {
  await page.goto(`${server.url}/#/${where}`);
  await page.getByTestId("chainline").waitFor();
  await page.getByTestId(`nav-${where}`).click();
  await page.getByTestId(`page-${where}`).waitFor();
  if (account !== undefined) {
    await page.getByTestId("dev-account").selectOption(String(account));
    const addr = new Wallet(ANVIL_KEYS[account]).address;
    await expect.poll(() => text("wallet-address")).toBe(`${addr.slice(0, 6)}…${addr.slice(-4)}`);
  }
}

beforeAll(async () => {
  [sc, browser] = await Promise.all([setupScenario({ history: true }), launchBrowser()]);
  indexer = await startIndexer({ deployment: sc.f.d, rpcUrl: sc.f.anvil.url });
  await indexer.waitForBlock(await sc.f.provider.getBlockNumber());
  withIndexer = await startAppServer({ rpcUrl: sc.f.anvil.url, deploymentPath: sc.f.deploymentPath, indexerUrl: indexer.url });
  page = await browser.context.newPage();
}, 120_000);

afterAll(async () => {
  await withIndexer?.close();
  await indexer?.stop();
  await browser?.close();
  await sc?.stop();
});

describe("history panels", () => {
  it("Pool: the share-price chart comes from the indexer", async () => {
    const points = await fetchHistory({ url: indexer.url }, { maxPoints: 60 });
    expect(points.length).toBeGreaterThan(10);
    await open(withIndexer, "pool");
    await expect.poll(() => page.getByTestId("history-source").getAttribute("data-source"), { timeout: 20_000 }).toBe("indexer");
    expect(await text("history-source")).toBe("From the indexer.");
    await expect.poll(() => page.getByTestId("share-price-chart").getAttribute("data-points")).toBe(String(points.length));
    expect(await page.locator("[data-testid=share-price-chart] svg path").count()).toBeGreaterThan(2);
  });

  it("Lend: your history shows deposits, exits, P&L and realised APY from the indexer", async () => {
    const addr = new Wallet(ANVIL_KEYS[LENDER2]).address;
    const h = await fetchLenderHistory({ url: indexer.url }, addr);
    const junior = h.tranches.find((t) => t.tranche === "junior")!;
    expect(junior.deposited).toBeGreaterThan(0n);
    await open(withIndexer, "lend", LENDER2);
    await expect.poll(() => page.getByTestId("lender-history-source").getAttribute("data-source"), { timeout: 20_000 }).toBe("indexer");
    const dec = 6;
    expect(await text("lender-pnl-junior-pnl")).toBe(`${formatAmount(junior.pnl.pnl, dec, { maxDecimals: 2 })} dUSD`);
    expect(await text("lender-pnl-junior-apy")).toBe(`${(junior.pnl.realisedApy! * 100).toFixed(2)} %`);
    expect(await page.locator("[data-testid=lender-flows] tbody tr").count()).toBe(h.flows.length);
  });

  it("Borrow: each live loan's timeline from the indexer", async () => {
    await open(withIndexer, "borrow", LENDER2);
    await expect.poll(() => page.getByTestId("loan-timelines-source").getAttribute("data-source"), { timeout: 20_000 }).toBe("indexer");
    const timeline = page.getByTestId(`loan-timeline-${sc.riskyLoanId}`);
    await timeline.waitFor();
    expect(await timeline.innerText()).toMatch(/originated/);
  });

  it("falls back to node reads with a note when the indexer is stopped, and when none is configured", async () => {
    await indexer.stop();
    await open(withIndexer, "pool");
    await expect.poll(() => page.getByTestId("history-source").getAttribute("data-source"), { timeout: 20_000 }).toBe("node");
    expect(await text("history-source")).toMatch(/^The indexer did not answer .*: read from the node at each event block instead\.$/);
    await expect.poll(async () => Number(await page.getByTestId("share-price-chart").getAttribute("data-points"))).toBeGreaterThan(10);
    await open(withIndexer, "lend", LENDER2);
    await expect.poll(() => page.getByTestId("lender-history-source").getAttribute("data-source"), { timeout: 20_000 }).toBe("node");
    expect(await page.getByTestId("lender-pnl").count()).toBe(0);
    await open(sc.server, "pool");
    await expect.poll(() => page.getByTestId("history-source").getAttribute("data-source"), { timeout: 20_000 }).toBe("node");
    expect(await text("history-source")).toMatch(/^No indexer configured \(npm run indexer.*\): read from the node at each event block\.$/);
    await expect.poll(async () => Number(await page.getByTestId("share-price-chart").getAttribute("data-points"))).toBeGreaterThan(10);
  });
});

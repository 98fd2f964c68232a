// Regenerates the README's screenshots of each page (docs/app-*.png): the browser-test scenario with some history
// (weeks of accrual), a lender with a junior exit request, a borrower close to liquidation and a running auction.
// Run: npm run screenshots:app
import { join } from "node:path";
import { Borrower, Keeper, Lender, Reporter } from "../../ts-sdk/src/index.ts";
import { launchBrowser } from "../test/browser.ts";
import { BORROWER, KEEPER, LENDER, setupScenario } from "../test/scenario.ts";

const DOCS = join(import.meta.dirname, "..", "..", "docs");

const sc = await setupScenario({ history: true });
const browser = await launchBrowser({ width: 1280, height: 860 });
try {
  const { f } = sc;
  const { d, usd } = f;
  const lender = await Lender.connect(f.lender, d);
  await lender.deposit("junior", usd(10_000));
  await lender.deposit("senior", usd(20_000));
  const borrower = await Borrower.connect(f.borrower, d);
  await borrower.borrow({ collection: d.collections[0], tokenId: 1n, principal: usd(45_000), duration: 45n * 86_400n });
  const keeper = await Keeper.connect(f.keeper, d);
  await keeper.liquidate(sc.riskyLoanId);
  // The floor of collection #0 falls 25 %: the borrower's loan drops below a health of 1.2.
  await (await Reporter.connect(f.reporter, d)).pushPrice(d.collections[0], usd(75_000));
  await lender.requestRedeem("junior", (await lender.position("junior")).shares / 2n);

  const page = await browser.context.newPage();
  const shoot = async (where: string, account: number | null, prepare?: () => Promise<void>) => {
    await page.goto(`${sc.server.url}/#/${where}`);
    await page.getByTestId(`page-${where}`).waitFor();
    await page.getByTestId("dev-account").selectOption(account === null ? "" : String(account));
    if (account !== null) await page.getByTestId("wallet-address").waitFor();
    await prepare?.();
    await page.waitForTimeout(1500); // let every fetch of the page land
    await page.screenshot({ path: join(DOCS, `app-${where}.png`), fullPage: true });
    console.log(`docs/app-${where}.png`);
  };
  await shoot("pool", null, () => page.getByTestId("share-price-chart").waitFor());
  await shoot("lend", LENDER, async () => {
    await page.getByTestId("tranche-tab-junior").click();
    await page.getByTestId("mode-request").click();
    await page.getByTestId("amount").fill("1000");
  });
  await shoot("borrow", BORROWER, async () => {
    await page.getByTestId("token").selectOption("2");
    await page.getByTestId("principal").fill("30000");
    await page.getByTestId("days").fill("30");
    await page.getByTestId("quote").click();
    await page.getByTestId("quote-result").waitFor();
  });
  await shoot("liquidations", KEEPER, () => page.getByTestId(`auction-${sc.riskyLoanId}`).waitFor());
} finally {
  await browser.close();
  await sc.stop();
}

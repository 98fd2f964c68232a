// A local chain in the state the browser tests and the screenshot script start from: anvil + the forge-script
// deployment governed into use (the SDK test fixture), a pool with deposits, tokens for the browser's lender,
// borrower and keeper, and one loan made unhealthy by a floor crash (for the keeper to liquidate and buy). Set up
// with the SDK's role clients only; the app server serves it.
import { type Fixture, setupFixture } from "../../ts-sdk/test/fixture.ts";
import { Borrower, Keeper, Lender, Reporter } from "../../ts-sdk/src/index.ts";
import { type AppServer, startAppServer } from "../server.ts";

export interface Scenario {
  f: Fixture;
  server: AppServer;
  /** The loan whose collection floor crashed: liquidatable (unhealthy) at a fresh price. */
  riskyLoanId: bigint;
  stop: () => Promise<void>;
}

/** Anvil dev-account indices the browser acts as (see DEV_ROLES in app/src/main.tsx). */
export const LENDER = 5;
export const BORROWER = 7;
export const KEEPER = 8;

export async function setupScenario(opts: { history?: boolean } = {}): Promise<Scenario> {
  const f = await setupFixture();
  try {
    const { usd, d } = f;
    // Tokens for the browser's roles.
    await f.mintAsset(f.lender, usd(200_000));
    await f.mintAsset(f.borrower, usd(50_000));
    await f.mintAsset(f.keeper, usd(100_000));
    await f.mintNft(d.collections[0], f.borrower, 1n);
    await f.mintNft(d.collections[0], f.borrower, 2n);
    // A second lender funds the pool (junior first: the senior needs its subordination).
    await f.mintAsset(f.lender2, usd(1_000_000));
    const lender2 = await Lender.connect(f.lender2, d);
    await lender2.deposit("junior", usd(200_000));
    await lender2.deposit("senior", usd(400_000));
    if (opts.history) {
      // Some history for the share-price chart: a loan accruing over weeks, repaid in part and in full.
      await f.mintNft(d.collections[0], f.lender2, 9n);
      const b = await Borrower.connect(f.lender2, d);
      const { loanId } = await b.borrow({ collection: d.collections[0], tokenId: 9n, principal: usd(40_000), duration: 60n * 86_400n });
      for (let week = 0; week < 6; week++) {
        await f.warp(7 * 86_400);
        await Reporter.connect(f.reporter, d).then((k) => k.pushPrice(d.collections[0], usd(100_000)));
        await Reporter.connect(f.reporter, d).then((k) => k.pushPrice(d.collections[1], usd(40_000)));
        await lender2.deposit(week % 2 === 0 ? "junior" : "senior", usd(10_000));
        if (week === 2) await b.repay(loanId, usd(10_000));
      }
      await b.repay(loanId, "full");
    }
    // The risky loan: collection #1 at 40,000, 40 % LTV; borrow 15,000, then the floor falls 45 % to 22,000:
    // health = 22,000 x 60 % / 15,000 = 0.88 < 1.
    await f.mintNft(d.collections[1], f.lender2, 7n);
    const risky = await Borrower.connect(f.lender2, d);
    const { loanId: riskyLoanId } = await risky.borrow({ collection: d.collections[1], tokenId: 7n, principal: usd(15_000), duration: 30n * 86_400n });
    const reporter = await Reporter.connect(f.reporter, d);
    await reporter.pushPrice(d.collections[1], usd(22_000));
    const server = await startAppServer({ rpcUrl: f.anvil.url, deploymentPath: f.deploymentPath });
    return {
      f,
      server,
      riskyLoanId,
      stop: async () => {
        await server.close();
        await f.stop();
      },
    };
  } catch (e) {
    await f.stop();
    throw e;
  }
}

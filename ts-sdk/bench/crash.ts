// `npm run bench:crash`: an August-2022-style crash on anvil, driven through the SDK only (no protocol logic here).
//   anvil -> script/Deploy.s.sol -> the demo's listing proposal through the timelock (applyDemoProposal) -> 1 junior
//   and 6 senior lenders -> 14 loans on both dev collections (with rarity proofs) -> hour by hour: the largest
//   collection's floor falls 50 % in 48 h (one oracle push per hour, each checked against the oracle's deviation bound);
//   from hour 6 half the senior lenders rush to exit (queued requests); the keeper bot (the real KeeperBot, the class of
//   `strata keeper run`) liquidates what becomes unhealthy and serves the queues; a buyer buys each auction at the
//   curve's current price once that price is at most 90 % of the collateral's appraisal; the smaller collection's
//   short loans are repaid at maturity. Ends once the queue is served and no auction runs (at least 72 h, at most
//   14 days).
// Per hour: utilization, borrow APR, queue length and value, senior and junior value and share price, realised
// losses -> bench-crash.json (git-ignored) and docs/bench-crash.svg (ECharts SSR, the demo's chart code), and a
// summary: did the senior lose anything, how long did the queued lenders wait.
//
//   npm run bench:crash                 (forge build --skip test + SDK bindings first)
//   node ts-sdk/bench/crash.ts --json   the report on stdout
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import {
  ANVIL_KEYS,
  Borrower,
  Keeper,
  Reporter,
  Lender,
  Tranche,
  devAccount,
  devCollectionAt,
  devStablecoinAt,
  fetchCollection,
  fetchLoan,
  fetchPool,
  maxPrincipalOf,
  send,
  stress,
} from "../src/index.ts";
import { fetchStressBook } from "../src/fetch/views.ts";
import { REPO_ROOT } from "../src/dev/artifacts.ts";
import { applyDemoProposal } from "../src/demo/governance.ts";
import { devRarity } from "../src/demo/year.ts";
import { renderLineChart } from "../src/demo/report.ts";
import { KeeperBot } from "../src/keeper/bot.ts";
import { deployWithForge, startAnvil } from "../src/node.ts";

const HOUR = 3600;
const DAY = 24 * HOUR;
const CRASH_HOURS = 48;
const CRASH_FACTOR = 0.5;
const MIN_HOURS = 72;
const MAX_HOURS = 14 * 24;
const RUSH_HOURS = [6, 8, 10];
const BUY_AT_BPS = 9000n;
const SENIORS = 6;

/** One simulated hour. Amounts in asset units (numbers, for the JSON and the chart). */
export interface CrashSample {
  hour: number;
  /** Oracle floor of the largest collection (collection 1) and its share of the start. */
  floor: number;
  floorPct: number;
  utilization: number;
  /** The curve APR of collection 1 at the current utilization (Pool.displayApr). */
  borrowApr: number;
  seniorQueueLength: number;
  seniorQueueValue: number;
  juniorQueueLength: number;
  seniorValue: number;
  juniorValue: number;
  seniorSharePrice: number;
  juniorSharePrice: number;
  realisedLoss: number;
  cash: number;
  borrowed: number;
  runningAuctions: number;
}

const t0 = Date.now();
const json = process.argv.includes("--json");
const say = (msg: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}\n`);

const anvil = await startAnvil();
const provider = new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true, pollingInterval: 10, batchStallTime: 0, cacheTimeout: -1 });
const p = provider;
try {
  const d = await deployWithForge(anvil.url, ANVIL_KEYS[0], "local", "local-bench-crash");
  const warp = async (seconds: number) => {
    await p.send("evm_increaseTime", [seconds]);
    await p.send("evm_mine", []);
  };
  const [multisig, keeperKey, reporterKey, juniorKey, buyerKey, borrowerAKey, borrowerBKey] = await Promise.all([1, 3, 4, 5, 6, 7, 8].map((i) => devAccount(i, p)));
  await applyDemoProposal([multisig, await devAccount(2, p)], d, p, warp); // the governance Safe: 2 of its owners sign
  say(`anvil ${anvil.url}, deployed, demo proposal executed (collections listed, reporter appointed)`);

  const snap0 = await fetchPool(p, d);
  const dec = snap0.pool.assetDecimals;
  const sym = snap0.pool.assetSymbol;
  const unit = 10n ** BigInt(dec);
  const usd = (x: number) => (BigInt(Math.round(x * 100)) * unit) / 100n;
  const num = (x: bigint) => Number(x) / Number(unit);
  const wad = (x: bigint) => Number(x) / 1e18;
  const stable = devStablecoinAt(d.asset, multisig);
  const fund = async (addr: string, amount: number) => send(stable, "mint", [addr, usd(amount)]);

  // --- prices: collection 1 (the largest, 100,000) and collection 2 (40,000), pushed by the reporter
  const reporter = await Reporter.connect(reporterKey, d);
  const [big, small] = d.collections;
  const start = [100_000, 40_000];
  await reporter.pushPrice(big, usd(start[0]));
  await reporter.pushPrice(small, usd(start[1]));
  const maxDeviationBps = (await reporter.contracts.oracle.collectionInfo(big)).maxDeviationBps as bigint;

  // --- lenders: 150,000 junior, six seniors of 80,000 (fresh accounts, gas money from anvil)
  const junior = await Lender.connect(juniorKey, d);
  await fund(juniorKey.address, 150_000);
  await junior.deposit("junior", usd(150_000));
  const seniors: Lender[] = [];
  for (let i = 0; i < SENIORS; i++) {
    const w = Wallet.createRandom().connect(p);
    await p.send("anvil_setBalance", [w.address, "0x56BC75E2D63100000"]);
    await fund(w.address, 80_000);
    const l = await Lender.connect(w, d);
    await l.deposit("senior", usd(80_000));
    seniors.push(l);
  }
  say(`lenders: 150,000 junior, ${SENIORS} x 80,000 senior (${sym})`);

  // --- borrowers: collection 1 tokens 1..8 for 30 days (three at the LTV limit, two at 80 % of it, three at 55 %),
  //     collection 2 tokens 1..6 at 90 % of the limit for 2 to 5 days (repaid at maturity)
  const borrowers = { a: await Borrower.connect(borrowerAKey, d), b: await Borrower.connect(borrowerBKey, d) };
  await fund(borrowerAKey.address, 200_000);
  await fund(borrowerBKey.address, 200_000);
  const bigInfo = await fetchCollection(p, d, big);
  const smallInfo = await fetchCollection(p, d, small);
  const plans = [
    ...[1, 1, 1, 0.8, 0.8, 0.55, 0.55, 0.55].map((share, i) => ({ who: "a" as const, c: 0 as const, tokenId: BigInt(i + 1), share, days: 30 })),
    ...[2, 3, 3, 4, 5, 5].map((days, i) => ({ who: "b" as const, c: 1 as const, tokenId: BigInt(i + 1), share: 0.9, days })),
  ];
  const loans: { id: bigint; who: "a" | "b"; c: 0 | 1; maturity: bigint; principal: bigint }[] = [];
  for (const pl of plans) {
    const owner = pl.who === "a" ? borrowerAKey : borrowerBKey;
    await send(devCollectionAt(d.collections[pl.c], owner), "mint", [owner.address, pl.tokenId]);
    const rarity = devRarity(pl.c, pl.tokenId);
    const limit = maxPrincipalOf(pl.c === 0 ? bigInfo : smallInfo, rarity.multiplierBps);
    const principal = (limit * BigInt(Math.round(pl.share * 10_000))) / 10_000n;
    const r = await borrowers[pl.who].borrow({ collection: d.collections[pl.c], tokenId: pl.tokenId, principal, duration: BigInt(pl.days * DAY), rarity });
    const loan = await fetchLoan(p, d, r.loanId);
    loans.push({ id: r.loanId, who: pl.who, c: pl.c, maturity: loan.maturity, principal });
  }
  const lent = loans.reduce((s, l) => s + l.principal, 0n);
  say(`borrowers: ${loans.length} loans, ${num(lent).toLocaleString("en-US")} ${sym} lent`);

  // --- the keeper bot (liquidations and queue service; it does not buy) and a buyer
  const log: string[] = [];
  const bot = await KeeperBot.create(keeperKey, d, { log: (l) => log.push(l) });
  const buyer = await Keeper.connect(buyerKey, d);
  await fund(buyerKey.address, 2_000_000);

  const events: { hour: number; what: string }[] = [];
  const note = (hour: number, what: string) => {
    events.push({ hour, what });
    if (!json) say(`hour ${String(hour).padStart(3)}: ${what}`);
  };
  const requests: { lender: number; id: bigint; hour: number; shares: bigint; servedAtOnce: bigint; servedHour: number | null; assets: bigint }[] = [];
  const liquidatedAt = new Map<bigint, number>();
  const sales: { hour: number; auction: bigint; price: number; appraisal: number; owed: number; hoursAfterLiquidation: number }[] = [];
  const samples: CrashSample[] = [];
  const lossOf = async () => {
    const pool = borrowers.a.contracts.pool;
    const logs = await pool.queryFilter(pool.filters.LiquidationSettled());
    return logs.reduce((s, l) => s + ((l as unknown as { args: { loss: bigint } }).args.loss), 0n);
  };
  let floor = usd(start[0]);
  const sample = async (hour: number) => {
    const s = await fetchPool(p, d);
    const info = await fetchCollection(p, d, big);
    samples.push({
      hour,
      floor: num(info.floorPrice),
      floorPct: Number(info.floorPrice * 10_000n / usd(start[0])) / 100,
      utilization: wad(s.pool.utilization),
      borrowApr: wad(s.pool.displayApr(info.curve)),
      seniorQueueLength: Number(s.senior.requestCount - s.senior.queueHead),
      seniorQueueValue: num(s.senior.convertToAssets(s.pool.pendingShares[Tranche.Senior])),
      juniorQueueLength: Number(s.junior.requestCount - s.junior.queueHead),
      seniorValue: num(s.pool.trancheValueAt(Tranche.Senior)),
      juniorValue: num(s.pool.trancheValueAt(Tranche.Junior)),
      seniorSharePrice: num(s.senior.sharePrice),
      juniorSharePrice: num(s.junior.sharePrice),
      realisedLoss: num(await lossOf()),
      cash: num(s.pool.cash),
      borrowed: num(s.pool.totalPrincipal),
      runningAuctions: (await buyer.auctions()).length,
    });
  };
  await sample(0);

  // --- the stress view's prediction before the crash (SDK stress.ts): collection 1's floor down 50 % at once, nothing
  //     else happening, auctions sold at their end price or at the buyer's 90 % of the (stressed) appraisal
  const book = await fetchStressBook(p, d);
  const predict = (recoveryBps?: bigint) => {
    const r = stress(book.snap, book.loans, book.collections, { drops: { [big]: BigInt(Math.round((1 - CRASH_FACTOR) * 10_000)) }, recoveryBps, auction: book.auction });
    return {
      recovery: recoveryBps === undefined ? `auction end price (${Number(book.auction.endMultiplierBps) / 100} % of the appraisal)` : `${Number(recoveryBps) / 100} % of the stressed appraisal`,
      liquidated: r.liquidated.map((l) => l.loan.id),
      shortfall: num(r.shortfall),
      seniorLoss: num(r.loss.senior),
      juniorLoss: num(r.loss.junior),
      seniorSharePrice: num(r.after.senior.sharePrice),
      juniorSharePrice: num(r.after.junior.sharePrice),
    };
  };
  const prediction = { endPrice: predict(), buyerPrice: predict(BUY_AT_BPS) };

  let hour = 0;
  for (;;) {
    hour += 1;
    await warp(HOUR);
    const now = BigInt((await p.getBlock("latest"))!.timestamp);

    // 1. the oracle: collection 1 on its 48-hour path (geometric, one push per hour), collection 2 flat
    const next = hour <= CRASH_HOURS ? usd(start[0] * CRASH_FACTOR ** (hour / CRASH_HOURS)) : floor;
    const moveBps = ((floor > next ? floor - next : next - floor) * 10_000n) / floor;
    if (moveBps > maxDeviationBps) throw new Error(`hour ${hour}: a ${moveBps} bps push exceeds the oracle's ${maxDeviationBps} bps bound`);
    await reporter.pushPrice(big, next);
    await reporter.pushPrice(small, usd(start[1]));
    floor = next;

    // 2. the rush: half the senior lenders request to redeem everything (served at once as far as cash goes)
    const rusher = RUSH_HOURS.indexOf(hour);
    if (rusher >= 0) {
      const l = seniors[rusher];
      const pos = await l.position("senior");
      const r = await l.requestRedeem("senior", pos.shares);
      requests.push({ lender: rusher, id: r.requestId, hour, shares: pos.shares, servedAtOnce: r.servedAssets, servedHour: null, assets: 0n });
      note(hour, `senior lender ${rusher + 1} requests to redeem all its shares (request ${r.requestId}; ${num(r.servedAssets).toLocaleString("en-US")} ${sym} served at once)`);
    }

    // 3. borrowers of collection 2 repay at maturity
    for (const ln of loans) {
      if (ln.c !== 1 || ln.maturity > now + BigInt(HOUR)) continue;
      const loan = await borrowers[ln.who].loan(ln.id);
      if (!loan.isActive) continue;
      const r = await borrowers[ln.who].repay(ln.id, "full");
      note(hour, `loan ${ln.id} (collection 2) repaid in full: ${num(r.paid).toLocaleString("en-US")} ${sym}`);
    }

    // 4. the keeper bot: liquidations, queue service
    const before = log.length;
    await bot.tick();
    for (const l of log.slice(before)) {
      const what = l.replace(/^\S+ keeper /, "keeper ").replace(/ tx 0x[0-9a-f]+$/, "");
      const liq = /^keeper liquidate loan (\d+)/.exec(what);
      if (liq) liquidatedAt.set(BigInt(liq[1]), hour);
      note(hour, what);
    }

    // 5. the buyer: every running auction whose curve price is at most 90 % of the collateral's appraisal
    const head = BigInt((await p.getBlock("latest"))!.timestamp);
    for (const a of await buyer.auctions()) {
      const loan = await fetchLoan(p, d, a.id);
      const info = await fetchCollection(p, d, loan.collection);
      const appraisal = loan.appraisal(info.floorPrice);
      const price = a.priceAt(head);
      if (price * 10_000n > appraisal * BUY_AT_BPS) continue;
      const r = await buyer.buy(a.id, price);
      sales.push({ hour, auction: a.id, price: num(r.price), appraisal: num(appraisal), owed: num(a.owed), hoursAfterLiquidation: hour - (liquidatedAt.get(a.id) ?? hour) });
      note(hour, `buyer buys auction ${a.id} at the curve's ${num(r.price).toLocaleString("en-US")} ${sym} (appraisal ${num(appraisal).toLocaleString("en-US")}, owed ${num(a.owed).toLocaleString("en-US")})`);
    }

    // 6. queued lenders claim what has been served
    for (const rq of requests) {
      if (rq.servedHour !== null) continue;
      const l = seniors[rq.lender];
      const req = await l.request("senior", rq.id);
      if (req.pendingShares === 0n) {
        rq.servedHour = hour;
        if (req.claimable > 0n) rq.assets = (await l.claim("senior", rq.id)).assets;
        note(hour, `senior lender ${rq.lender + 1}: request ${rq.id} fully served after ${hour - rq.hour} h, claims ${num(rq.assets).toLocaleString("en-US")} ${sym}`);
      }
    }

    await sample(hour);
    const last = samples[samples.length - 1];
    const done = hour >= MIN_HOURS && last.seniorQueueLength === 0 && last.runningAuctions === 0 && requests.every((r) => r.servedHour !== null);
    if (done || hour >= MAX_HOURS) break;
  }

  // --- summary
  const first = samples[0];
  const last = samples[samples.length - 1];
  const minSenior = Math.min(...samples.map((s) => s.seniorSharePrice));
  const waits = requests.map((r) => (r.servedHour === null ? null : r.servedHour - r.hour));
  const exitedValue = requests.reduce((s, r) => s + num(r.assets), 0); // claims include what was served at once
  // Realised: a senior who exited got less than the 80,000 deposited, or the senior share price ends below its start.
  // The mark-down while auctions run (a loan in liquidation leaves NAV at once, SPEC §4.1, and comes back with the
  // auction's proceeds) is reported separately: queued exits are not served at that price (SPEC §5.7 queue fairness).
  const exitShortfalls = requests.filter((r) => r.servedHour !== null && r.assets < usd(80_000)).length;
  const seniorLost = exitShortfalls > 0 || last.seniorSharePrice < first.seniorSharePrice;
  const report = {
    generatedAt: new Date().toISOString(),
    wallSeconds: (Date.now() - t0) / 1000,
    deployment: "deployments/local-bench-crash.json",
    asset: { symbol: sym, decimals: dec },
    scenario: {
      crash: `collection 1 floor ${start[0]} -> ${start[0] * CRASH_FACTOR} over ${CRASH_HOURS} h, one push per hour (oracle deviation bound ${maxDeviationBps} bps)`,
      lenders: `1 junior (150,000), ${SENIORS} senior (80,000 each); seniors 1-3 request to redeem everything at hours ${RUSH_HOURS.join(", ")}`,
      loans: `${loans.length} loans, ${num(lent)} lent`,
      buyer: `buys an auction once its curve price is <= ${Number(BUY_AT_BPS) / 100} % of the appraisal`,
      hours: hour,
    },
    stressPrediction: {
      scenario: `stress view at hour 0: collection 1 floor -${(1 - CRASH_FACTOR) * 100} % at once, no deposits, exits, borrows or repayments`,
      ...prediction,
    },
    summary: {
      seniorLost,
      seniorExitShortfalls: exitShortfalls,
      seniorSharePrice: { start: first.seniorSharePrice, min: minSenior, end: last.seniorSharePrice },
      juniorSharePrice: { start: first.juniorSharePrice, min: Math.min(...samples.map((s) => s.juniorSharePrice)), end: last.juniorSharePrice },
      realisedLoss: last.realisedLoss,
      maxUtilization: Math.max(...samples.map((s) => s.utilization)),
      hoursAtFullUtilization: samples.filter((s) => s.utilization >= 0.9999).length,
      maxBorrowApr: Math.max(...samples.map((s) => s.borrowApr)),
      maxQueueValue: Math.max(...samples.map((s) => s.seniorQueueValue)),
      queuedWaitHours: waits,
      seniorExitsPaid: exitedValue,
      liquidations: liquidatedAt.size,
      sales,
    },
    samples,
    events,
  };
  writeFileSync(join(REPO_ROOT, "bench-crash.json"), `${JSON.stringify(report, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
  const svg = renderLineChart({
    title: "Strata crash bench: the largest collection's floor -50 % in 48 h",
    subtext: `share prices (${sym} per share, left); floor, utilization (%), senior queue and realised losses (k ${sym}, right); half the seniors rush at hours ${RUSH_HOURS.join(", ")}`,
    xName: "hour",
    x: samples.map((s) => String(s.hour)),
    left: { name: "share price", decimals: 3 },
    right: { name: "% / k" },
    series: [
      { name: "senior share price", data: samples.map((s) => Number(s.seniorSharePrice.toFixed(5))) },
      { name: "junior share price", data: samples.map((s) => Number(s.juniorSharePrice.toFixed(5))) },
      { name: "floor (% of start)", axis: 1, dashed: true, data: samples.map((s) => s.floorPct) },
      { name: "utilization (%)", axis: 1, dashed: true, data: samples.map((s) => Number((s.utilization * 100).toFixed(2))) },
      { name: `senior queue (k ${sym})`, axis: 1, step: true, area: true, data: samples.map((s) => Number((s.seniorQueueValue / 1000).toFixed(2))) },
      { name: `realised loss (k ${sym})`, axis: 1, step: true, area: true, data: samples.map((s) => Number((s.realisedLoss / 1000).toFixed(2))) },
    ],
  });
  writeFileSync(join(REPO_ROOT, "docs", "bench-crash.svg"), svg);

  if (json) {
    process.stdout.write(`${JSON.stringify(report, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
  } else {
    const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
    const k = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 0 });
    const head = ["hour", "floor", "util.", "borrow APR", "queue (n / value)", "senior value", "junior value", "senior price", "junior price", "loss"];
    const rows = samples
      .filter((s) => s.hour % 6 === 0 || s.hour === last.hour)
      .map((s) => [String(s.hour), k(s.floor), pct(s.utilization), pct(s.borrowApr), `${s.seniorQueueLength} / ${k(s.seniorQueueValue)}`, k(s.seniorValue), k(s.juniorValue), s.seniorSharePrice.toFixed(6), s.juniorSharePrice.toFixed(6), k(s.realisedLoss)]);
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padStart(w[i])).join(" | ")} |`;
    process.stdout.write(`\n${[line(head), `|${w.map((x) => "-".repeat(x + 2)).join("|")}|`, ...rows.map(line)].join("\n")}\n`);
    const s = report.summary;
    process.stdout.write(
      [
        "",
        `senior lost anything (realised): ${seniorLost ? "YES" : "no"}: senior share price ${s.seniorSharePrice.start.toFixed(6)} at the start, ${s.seniorSharePrice.end.toFixed(6)} at the end; ${exitShortfalls} of ${requests.length} exiting seniors got less than their deposit`,
        `senior marked down while auctions ran: min share price ${s.seniorSharePrice.min.toFixed(6)} (loans in liquidation are out of NAV until their auction sells; the queue waits meanwhile)`,
        `junior share price: ${s.juniorSharePrice.start.toFixed(6)} -> min ${s.juniorSharePrice.min.toFixed(6)} -> ${s.juniorSharePrice.end.toFixed(6)}; realised losses ${k(s.realisedLoss)} ${sym} (${s.liquidations} liquidations, ${sales.length} auctions sold)`,
        `utilization: max ${pct(s.maxUtilization)}, ${s.hoursAtFullUtilization} h at 100 %; borrow APR max ${pct(s.maxBorrowApr)}`,
        `queued senior lenders waited (h): ${waits.map((x) => (x === null ? "still queued" : String(x))).join(", ")}; ${k(exitedValue)} ${sym} paid to them`,
        "",
        `stress view at hour 0 (SDK stress.ts; collection 1 floor -${(1 - CRASH_FACTOR) * 100} % at once, nothing else happening) beside the realised crash:`,
        ...[
          ["", "loans liquidated", "shortfall / realised loss", "junior loss", "senior loss", "junior share price", "senior share price"],
          ...[prediction.endPrice, prediction.buyerPrice].map((x) => [`predicted, sold at ${x.recovery}`, String(x.liquidated.length), k(x.shortfall), k(x.juniorLoss), k(x.seniorLoss), x.juniorSharePrice.toFixed(6), x.seniorSharePrice.toFixed(6)]),
          [
            `realised (48 h path, ${RUSH_HOURS.length} senior exits, repayments, keeper, buyer at <= ${Number(BUY_AT_BPS) / 100} %)`,
            String(s.liquidations),
            k(s.realisedLoss),
            k(first.juniorValue - last.juniorValue),
            seniorLost ? "yes" : "0",
            s.juniorSharePrice.end.toFixed(6),
            s.seniorSharePrice.end.toFixed(6),
          ],
        ].map((r, i, all) => {
          const w = all[0].map((_, c) => Math.max(...all.map((x) => x[c].length)));
          return `  ${r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join("  ")}`;
        }),
        `  (the junior's realised change includes ${hour} h of interest and the exits; the prediction is the instantaneous view, docs/ACCOUNTING.md "Stress view")`,
        `wrote bench-crash.json and docs/bench-crash.svg (${hour} simulated hours, ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
        "",
      ].join("\n"),
    );
  }
} finally {
  provider.destroy();
  await anvil.stop();
}

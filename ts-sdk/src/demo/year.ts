// `npm start` (strata demo): the whole life cycle on a throw-away anvil, through the SDK only.
//   anvil on a free port -> script/Deploy.s.sol -> the committed proposal (by deployment key) through the timelock ->
//   a simulated year, week by week: lenders in both tranches, borrowers on two collections with rarity proofs,
//   rolling loans, full and partial repayments, an extension, a junior exit through the queue (request -> notice ->
//   served -> claim), a senior exit, a 60 % floor crash of one collection over a week, the keeper bot (the real one,
//   in-process) liquidating and buying auctions and serving the queue -> a table over time, demo-report.json,
//   demo-chart.svg (ECharts SSR) and a terminal chart (asciichart) -> anvil stopped, or kept with --keep.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { JsonRpcProvider, type Wallet, ZeroHash } from "ethers";
import {
  ANVIL_KEYS,
  Borrower,
  type Deployment,
  Governance,
  Keeper,
  Reporter,
  Lender,
  type Loan,
  PreconditionError,
  type SafeProposal,
  delegateRegistryAt,
  devAccount,
  devCollectionAt,
  devStablecoinAt,
  fetchLoans,
  fetchPool,
  formatWadPct,
  send,
} from "../index.ts";
import { KeeperBot } from "../keeper/bot.ts";
import { deployWithForge, readRarityProof } from "../node.ts";
import { REPO_ROOT } from "../dev/artifacts.ts";
import { fmt, table, toJson } from "../cli/context.ts";
import { DEMO_PROPOSAL, applyDemoProposal } from "./governance.ts";
import { checkNoKeptAnvil, recordKeptNode, startNode } from "./node.ts";
import type { Anvil } from "../dev/anvil.ts";
import { renderCharts } from "./report.ts";
import { type Sample, num, readSample, wadNum } from "./sampling.ts";


const DAY = 86_400;
const WEEK = 7 * DAY;
const RARITY = ["config/rarity/dev-collection-1.json", "config/rarity/dev-collection-2.json"];

interface LoanPlan {
  who: "a" | "b";
  collection: 0 | 1;
  tokenId: bigint;
  principal: number;
  days: number;
  loanId?: bigint;
  /** roll (repay in full and re-borrow) at maturity; false once liquidated or closed */
  rolling: boolean;
  /** borrow with a delegate.xyz v2 delegate (the borrower's hot wallet) when the deployment has a registry */
  delegate?: boolean;
}

/** The rarity proof of `tokenId` in dev collection `collection` (0 or 1), from the committed list (RARITY). */
export function devRarity(collection: 0 | 1, tokenId: bigint) {
  return readRarityProof(join(REPO_ROOT, RARITY[collection]), tokenId);
}

/**
 * The simulated year. `opts.node`: run it on this node (the caller's, left running: tests and benchmarks that index
 * the year afterwards), with the deployment file `deployments/<opts.name>.json`; `opts.quiet`: print nothing.
 * Returns the deployment.
 */
export async function runYear(opts: { keep: boolean; weeks: number; outDir: string; json: boolean; node?: Anvil; name?: string; quiet?: boolean }): Promise<Deployment> {
  if (opts.keep) checkNoKeptAnvil(join(REPO_ROOT, "deployments", "local.json"));
  const t0 = Date.now();
  const say = (msg: string) => {
    if (!opts.quiet) process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}\n`);
  };
  const node = opts.node ?? (await startNode(opts.keep));
  let provider: JsonRpcProvider | undefined;
  let keepRunning = false;
  try {
    say(`anvil on ${node.url} (pid ${node.pid})`);
    const name = opts.name ?? (opts.keep ? "local" : "local-demo");
    const d = await deployWithForge(node.url, ANVIL_KEYS[0], "local", name);
    say(`deployed with script/Deploy.s.sol -> deployments/${name}.json (the deployer keeps no role)`);
    // a local node answers at once: no 10 ms batching stall per request (ethers' default), 10 ms receipt polling
    provider = new JsonRpcProvider(node.url, 31337, { staticNetwork: true, pollingInterval: 10, batchStallTime: 0, cacheTimeout: -1 });
    const p = provider;
    const acct = async (i: number) => devAccount(i, p);
    const [owner1, owner2, keeperKey, reporterKey, juniorKey, seniorKey, borrowerAKey, borrowerBKey, senior2Key] = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9].map(acct));
    const warp = async (seconds: number) => {
      await p.send("evm_increaseTime", [seconds]);
      await p.send("evm_mine", []);
    };

    // --- governance: the committed proposal, resolved against this deployment, through the governance Safe and the timelock
    const gov = await applyDemoProposal([owner1, owner2], d, p, warp);
    say(
      `governance: ${DEMO_PROPOSAL} scheduled (op ${gov.operationId.slice(0, 10)}…) and executed after ${d.timelockDelay} s by the 2-of-3 Safe ${gov.safe} (Safe txs ${gov.safeTxHashes.map((h) => `${h.slice(0, 10)}…`).join(", ")}, signed by dev accounts 1 and 2): 2 collections listed with rarity roots, reporter appointed, senior rate 6 %`,
    );

    const snap0 = await fetchPool(p, d);
    const dec = snap0.pool.assetDecimals;
    const sym = snap0.pool.assetSymbol;
    const usd = (x: number) => BigInt(Math.round(x * 100)) * 10n ** BigInt(dec) / 100n;
    const stable = devStablecoinAt(d.asset, owner1);
    const fund = async (w: Wallet, amount: number) => send(stable, "mint", [w.address, usd(amount)]);

    // --- prices (reporter through the Keeper client)
    const reporter = await Reporter.connect(reporterKey, d);
    const floors = [100_000, 40_000];
    const pushFloors = async () => {
      for (const i of [0, 1] as const) await reporter.pushPrice(d.collections[i], usd(floors[i]));
    };
    await pushFloors();

    // --- lenders
    const junior = await Lender.connect(juniorKey, d);
    const senior = await Lender.connect(seniorKey, d);
    const senior2 = await Lender.connect(senior2Key, d);
    await fund(juniorKey, 250_000);
    await fund(seniorKey, 450_000);
    await fund(senior2Key, 60_000);
    await junior.deposit("junior", usd(250_000));
    await senior.deposit("senior", usd(450_000));
    await senior2.deposit("senior", usd(60_000));
    say(`lenders: 250,000 junior, 450,000 + 60,000 senior (${sym})`);

    // --- borrowers: rarity proofs from config/rarity/*.json, rolling loans
    const borrowers = { a: await Borrower.connect(borrowerAKey, d), b: await Borrower.connect(borrowerBKey, d) };
    const hotWallet = (await acct(2)).address;
    await fund(borrowerAKey, 150_000);
    await fund(borrowerBKey, 60_000);
    const plans: LoanPlan[] = [
      { who: "a", collection: 0, tokenId: 1n, principal: 120_000, days: 60, rolling: true },
      { who: "a", collection: 0, tokenId: 2n, principal: 70_000, days: 90, rolling: true },
      { who: "a", collection: 0, tokenId: 3n, principal: 55_000, days: 45, rolling: true },
      { who: "a", collection: 0, tokenId: 4n, principal: 45_000, days: 90, rolling: true },
      { who: "a", collection: 0, tokenId: 5n, principal: 40_000, days: 90, rolling: true },
      { who: "b", collection: 1, tokenId: 1n, principal: 30_000, days: 60, rolling: true, delegate: true },
      { who: "b", collection: 1, tokenId: 2n, principal: 20_000, days: 30, rolling: true },
      { who: "b", collection: 1, tokenId: 3n, principal: 16_000, days: 60, rolling: true },
    ];
    for (const pl of plans) {
      const owner = pl.who === "a" ? borrowerAKey : borrowerBKey;
      await send(devCollectionAt(d.collections[pl.collection], owner), "mint", [owner.address, pl.tokenId]);
    }
    const open = async (pl: LoanPlan) => {
      const r = await borrowers[pl.who].borrow({
        collection: d.collections[pl.collection],
        tokenId: pl.tokenId,
        principal: usd(pl.principal),
        duration: BigInt(pl.days * DAY),
        rarity: devRarity(pl.collection, pl.tokenId),
        delegate: pl.delegate && d.delegateRegistry ? hotWallet : undefined,
      });
      pl.loanId = r.loanId;
      return r;
    };
    for (const pl of plans) await open(pl);
    say(`borrowers: ${plans.length} loans on 2 collections with rarity proofs (${plans.reduce((s, x) => s + x.principal, 0).toLocaleString("en-US")} ${sym})`);
    const delegated = plans.find((x) => x.delegate);
    if (delegated && d.delegateRegistry) {
      const live = await delegateRegistryAt(d.delegateRegistry, p).checkDelegateForERC721(hotWallet, d.pool, d.collections[delegated.collection], delegated.tokenId, ZeroHash);
      say(`delegation: loan ${delegated.loanId}'s NFT is delegated (delegate.xyz v2) to the borrower's hot wallet ${hotWallet}: checkDelegateForERC721 = ${live}`);
    }

    // --- the keeper bot (in-process, the same class `strata keeper run` uses)
    await fund(keeperKey, 200_000);
    const log: string[] = [];
    const bot = await KeeperBot.create(keeperKey, d, { maxPriceBps: 9000n, log: (l) => log.push(l) });
    const keeperTick = async (week: number) => {
      const before = log.length;
      await bot.tick();
      for (const l of log.slice(before)) events.push({ week, what: l.replace(/^\S+ keeper /, "keeper ") });
    };

    const events: { week: number; what: string }[] = [];
    const note = (week: number, what: string) => {
      events.push({ week, what });
      say(`week ${String(week).padStart(2)}: ${what}`);
    };
    const samples: Sample[] = [];
    let juniorRequest: bigint | null = null;
    let extended = false;
    let partial = false;
    const lossOf = async () => {
      const logs = await d_pool().queryFilter(d_pool().filters.LiquidationSettled());
      return logs.reduce((s, l) => s + (l.args.loss as bigint), 0n);
    };
    const d_pool = () => borrowers.a.contracts.pool;
    const sample = async (week: number) => {
      samples.push(await readSample(p, d, week, await lossOf(), floors));
    };
    await sample(0);

    const CRASH_WEEK = 30;
    for (let week = 1; week <= opts.weeks; week++) {
      if (week === CRASH_WEEK) {
        // 60 % floor crash of collection 2 over one week, pushed daily (each push within the oracle's deviation guard);
        // the keeper ticks daily: it liquidates what became unhealthy and buys auctions under 90 % of appraisal
        const path = [34_000, 29_000, 25_000, 21_500, 19_000, 17_500, 16_000];
        for (const [day, price] of path.entries()) {
          await warp(DAY);
          floors[1] = price;
          await pushFloors();
          if (day === 0) note(week, `collection 2 floor starts falling: 40,000 -> ${price.toLocaleString("en-US")}`);
          await keeperTick(week);
        }
        note(week, "collection 2 floor down 60 % in a week (40,000 -> 16,000)");
        for (let day = 0; day < 3; day++) {
          await warp(DAY);
          await pushFloors();
          await keeperTick(week);
        }
        await warp(WEEK - 10 * DAY + WEEK);
      } else {
        await warp(WEEK);
      }
      if (week > CRASH_WEEK + 4 && floors[1] < 22_000) floors[1] += 1_000; // slow recovery
      floors[0] = Math.round(floors[0] * (1 + (week % 5 === 0 ? -0.02 : 0.008)));
      await pushFloors();
      const head = (await p.getBlock("latest"))!;
      const t = BigInt(head.timestamp);
      // every plan's loan at this block, in one read (the pool's multicall)
      const current = plans.filter((x) => x.loanId !== undefined);
      const loans = new Map(
        (await fetchLoans(p, d, current.map((x) => x.loanId!), { pinned: { blockNumber: head.number, timestamp: t } })).map((l) => [l.id, l]),
      );

      // borrowers: partial repayment, extension, then roll what matures within a week
      for (const pl of plans) {
        if (pl.loanId === undefined) continue;
        const b = borrowers[pl.who];
        const loan: Loan = loans.get(pl.loanId)!;
        if (!loan.isActive) {
          if (pl.rolling) {
            pl.rolling = false;
            note(week, `loan ${pl.loanId} (${pl.who === "a" ? "collection 1" : "collection 2"} #${pl.tokenId}) is ${loan.statusName.toLowerCase()}: no longer rolled`);
          }
          continue;
        }
        if (!partial && pl.tokenId === 2n && pl.collection === 0 && week === 4) {
          const due = loan.interestAt(t + 60n);
          const r = await b.repay(pl.loanId, due + usd(10_000));
          partial = true;
          pl.principal -= 10_000;
          note(week, `partial repayment of loan ${pl.loanId}: ${fmt(r.paid, dec)} (interest + 10,000 principal)`);
          continue;
        }
        if (!extended && pl.tokenId === 1n && pl.collection === 0 && week === 6) {
          const r = await b.extend(pl.loanId, BigInt(60 * DAY));
          extended = true;
          note(week, `loan ${pl.loanId} extended by 60 days at ${formatWadPct(r.newApr)} APR`);
          continue;
        }
        if (loan.maturity <= t + BigInt(WEEK)) {
          const crashLoomsForB = pl.collection === 1 && week >= CRASH_WEEK - 8 && week < CRASH_WEEK;
          await b.repay(pl.loanId, "full");
          const old = pl.loanId;
          if (pl.collection === 1 && week >= CRASH_WEEK) {
            pl.rolling = false;
            note(week, `loan ${old} repaid in full; borrower keeps the NFT (collection 2 after the crash)`);
            continue;
          }
          if (crashLoomsForB) pl.days = Math.max(pl.days, 60);
          await open(pl);
          note(week, `loan ${old} repaid in full and rolled into loan ${pl.loanId} (${pl.days} days)`);
        }
      }

      // lenders: the junior exit through the queue, a senior instant exit
      if (week === 20) {
        const pos = await junior.position("junior");
        const r = await junior.requestRedeem("junior", pos.shares / 5n);
        juniorRequest = r.requestId;
        note(week, `junior lender requests redemption of 20 % of its shares (request ${r.requestId}${r.servedAssets > 0n ? `, ${fmt(r.servedAssets, dec)} served at once` : ", notice period then queue"})`);
      }
      if (week === 26) {
        const pos = await senior2.position("senior");
        const r = await senior2.redeem("senior", pos.shares);
        note(week, `second senior lender exits instantly: ${fmt(r.assets, dec)} ${sym}`);
      }

      // the keeper bot: liquidations, auctions, queues
      await keeperTick(week);

      if (juniorRequest !== null) {
        const req = await junior.request("junior", juniorRequest);
        if (req.claimable > 0n && req.pendingShares === 0n) {
          const r = await junior.claim("junior", juniorRequest);
          note(week, `junior lender claims request ${juniorRequest}: ${fmt(r.assets, dec)} ${sym}`);
          juniorRequest = null;
        }
      }
      await sample(week);
    }

    // --- report
    const final = await fetchPool(p, d);
    const report = {
      generatedAt: new Date().toISOString(),
      wallSeconds: (Date.now() - t0) / 1000,
      chainId: d.chainId,
      deployment: `deployments/${name}.json`,
      asset: { symbol: sym, decimals: dec },
      weeks: opts.weeks,
      final: {
        seniorSharePrice: num(final.senior.sharePrice, dec),
        juniorSharePrice: num(final.junior.sharePrice, dec),
        seniorApy: wadNum(final.senior.apy),
        juniorApy: wadNum(final.junior.apy),
        utilization: wadNum(final.pool.utilization),
        cumulativeLoss: samples[samples.length - 1].cumulativeLoss,
      },
      samples,
      events,
    };
    const outDir = resolve(opts.outDir);
    const { svg, terminal } = await renderCharts(samples, sym);
    writeFileSync(join(outDir, "demo-report.json"), `${toJson(report)}\n`);
    writeFileSync(join(outDir, "demo-chart.svg"), svg);

    if (opts.quiet) {
      // nothing printed
    } else if (opts.json) {
      process.stdout.write(`${toJson(report)}\n`);
    } else {
      const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
      const rows = samples
        .filter((s, i) => s.week % 4 === 0 || i === samples.length - 1 || (s.week >= CRASH_WEEK && s.week <= CRASH_WEEK + 1))
        .map((s) => [
          String(s.week),
          s.date,
          s.seniorSharePrice.toFixed(4),
          s.juniorSharePrice.toFixed(4),
          `${pct(s.seniorApr)} / ${pct(s.seniorApy)}`,
          `${pct(s.juniorApr)} / ${pct(s.juniorApy)}`,
          pct(s.utilization),
          s.cumulativeLoss.toLocaleString("en-US", { maximumFractionDigits: 0 }),
          s.floorB.toLocaleString("en-US"),
        ]);
      process.stdout.write(
        `\n${table(["week", "date", "senior price", "junior price", "senior APR / APY", "junior APR / APY", "utilization", `losses (${sym})`, "floor coll. 2"], rows)}\n`,
      );
      process.stdout.write(`\n${terminal}\n`);
      process.stdout.write(`\nkeeper and life-cycle events:\n${events.map((e) => `  week ${String(e.week).padStart(2)}  ${e.what}`).join("\n")}\n`);
      process.stdout.write(`\nwrote ${join(outDir, "demo-report.json")} and ${join(outDir, "demo-chart.svg")}\n`);
    }
    if (opts.node) {
      // the caller's node: it stops it
    } else if (opts.keep) {
      recordKeptNode(join(REPO_ROOT, "deployments", `${name}.json`), node);
      keepRunning = true;
      say(`anvil keeps running on ${node.url} (pid ${node.pid}); deployments/${name}.json records it. Try: node ts-sdk/bin/strata.mjs pool status. Stop it with: kill ${node.pid}`);
    } else {
      say(`done (node CPU ${(process.cpuUsage().user / 1e6).toFixed(1)} s user); stopping anvil`);
    }
    return d;
  } finally {
    provider?.destroy();
    if (!keepRunning && !opts.node) await node.stop();
  }
}

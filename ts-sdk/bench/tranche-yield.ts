// `npm run bench:yield`: both tranches' APR and APY at utilization 10, 30, 50, 70 and 90 % on the demo's pool and
// curve (proposals/local-list-collections.json, collection 0; config/local.json's protocol fee; the demo's 6 % senior
// rate and 250k junior / 510k senior), under the accrual before 0.3 (the full senior rate on all senior money) and
// after (the senior rate on its share of lent capital, SPEC §5.1). Every figure comes from the SDK's entities
// (`Pool.seniorAccrualMode` 0 is the old rule, 1 the new), i.e. the contracts' own formulas; nothing is simulated.
//   node ts-sdk/bench/tranche-yield.ts [--json]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Pool, type PoolState, TrancheEntity, accrualRateDown, apr as curveApr, formatWadPct, utilization } from "../src/index.ts";
import { REPO_ROOT } from "../src/dev/artifacts.ts";

const WAD = 10n ** 18n;
const USD = 10n ** 6n;
const proposal = JSON.parse(readFileSync(join(REPO_ROOT, "proposals/local-list-collections.json"), "utf8"));
const config = JSON.parse(readFileSync(join(REPO_ROOT, "config/local.json"), "utf8"));
const listing = proposal.calls.find((c: { function: string; args: { collectionAddr?: string } }) => c.function === "configureCollection" && c.args.collectionAddr === "collections[0]");
const c = listing.args.params.curve;
const curve = { baseRate: BigInt(c.baseRate), slope1: BigInt(c.slope1), slope2: BigInt(c.slope2), kink: BigInt(c.kink) };
const protocolFeeBps = BigInt(config.protocolFeeBps);
const seniorRate = BigInt(proposal.calls.find((x: { function: string }) => x.function === "setSeniorRate").args.rate);
const junior = 250_000n * USD;
const senior = 510_000n * USD;
const t = 1_000_000n;

type Row = { utilization: number; loanApr: string; rule: string; seniorApr: string; seniorApy: string; juniorApr: string; juniorApy: string };
const rows: Row[] = [];
for (const pct of [10n, 30n, 50n, 70n, 90n]) {
  const total = junior + senior;
  const principal = (total * pct) / 100n;
  const loanApr = curveApr(curve, utilization(principal, total - principal));
  const netApr = (loanApr * (10_000n - protocolFeeBps)) / 10_000n;
  for (const mode of [0, 1]) {
    const state: PoolState = {
      blockNumber: 1, timestamp: t, asset: "0x0000000000000000000000000000000000000001", assetDecimals: 6, assetSymbol: "dUSD",
      cash: total - principal, totalPrincipal: principal, rateSum: principal * netApr, rateTimeSum: principal * netApr * t,
      seniorClaimStored: senior, seniorLastUpdate: t, seniorRate, seniorAccrualMode: mode, protocolFees: 0n, minJuniorRatioBps: 2000n,
      originationFeeBps: 0n, protocolFeeBps, gracePeriod: 259_200n, borrowsPaused: false, depositsPaused: false, impairedBook: 0n,
      impairedCount: 0n, nextLoanId: 1n, supply: [senior * 10n ** 6n, junior * 10n ** 6n], pendingShares: [0n, 0n],
      holdThresholdBps: 100n, queueCooldown: 86_400n, servableAfter: [0n, 0n],
    };
    const pool = new Pool(state);
    const tr = (x: 0 | 1) => new TrancheEntity({ tranche: x, vault: "0x0000000000000000000000000000000000000002", totalSupply: state.supply[x], shareDecimals: 12, noticePeriod: null, queueHead: 0n, requestCount: 0n }, pool);
    const s = tr(0).yield;
    const j = tr(1).yield;
    rows.push({
      utilization: Number(pct),
      loanApr: formatWadPct(loanApr),
      rule: mode === 0 ? "before (rate on all senior money)" : "after (rate on lent capital)",
      seniorApr: formatWadPct(s.apr),
      seniorApy: formatWadPct(s.apy),
      juniorApr: formatWadPct(j.apr),
      juniorApy: formatWadPct(j.apy),
    });
  }
}
void accrualRateDown;
void WAD;
if (process.argv.includes("--json")) {
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
} else {
  process.stdout.write(`senior rate ${formatWadPct(seniorRate)}, protocol fee ${Number(protocolFeeBps) / 100} %, junior 250,000 / senior 510,000, curve of collections[0]\n`);
  process.stdout.write("| utilization | loan APR | rule | senior APR / APY | junior APR / APY |\n| --: | --: | --- | --: | --: |\n");
  for (const r of rows) process.stdout.write(`| ${r.utilization} % | ${r.loanApr} | ${r.rule} | ${r.seniorApr} / ${r.seniorApy} | ${r.juniorApr} / ${r.juniorApy} |\n`);
}

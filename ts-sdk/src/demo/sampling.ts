// The demo's samples: the pool read at the end of each simulated week, as plain numbers for the table and the charts.
import type { Provider } from "ethers";
import type { Deployment } from "../chain/deployment.ts";
import { fetchPool } from "../fetch/pool.ts";

/** One sample of the year. */
export interface Sample {
  week: number;
  date: string;
  seniorSharePrice: number;
  juniorSharePrice: number;
  seniorApr: number;
  seniorApy: number;
  juniorApr: number;
  juniorApy: number;
  utilization: number;
  nav: number;
  borrowed: number;
  cumulativeLoss: number;
  floorA: number;
  floorB: number;
}

export const num = (x: bigint, decimals: number) => Number(x) / 10 ** decimals;
export const wadNum = (x: bigint) => Number(x) / 1e18;


/** Reads one sample at the latest block: share prices, APR/APY, utilization, NAV, principal, cumulative loss, floors. */
export async function readSample(p: Provider, d: Deployment, week: number, loss: bigint, floors: readonly number[]): Promise<Sample> {
  const s = await fetchPool(p, d);
  const dec = s.pool.assetDecimals;
  return {
    week,
    date: new Date(Number(s.pool.timestamp) * 1000).toISOString().slice(0, 10),
    seniorSharePrice: num(s.senior.sharePrice, dec),
    juniorSharePrice: num(s.junior.sharePrice, dec),
    seniorApr: wadNum(s.senior.apr),
    seniorApy: wadNum(s.senior.apy),
    juniorApr: wadNum(s.junior.apr),
    juniorApy: wadNum(s.junior.apy),
    utilization: wadNum(s.pool.utilization),
    nav: num(s.pool.valuesAt().nav, dec),
    borrowed: num(s.pool.totalPrincipal, dec),
    cumulativeLoss: num(loss, dec),
    floorA: floors[0],
    floorB: floors[1],
  };
}

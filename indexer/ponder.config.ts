// Strata's indexer (issue #31): every event of one deployment, from the deployment file's addresses and start block.
//   STRATA_DEPLOYMENT   the deployment file (default ../deployments/local.json, what `npm start -- --keep` writes)
//   STRATA_RPC_URL      the node (default: RPC_URL, then the file's `rpcUrl`, then http://127.0.0.1:8545)
//   DATABASE_URL        PostgreSQL; unset: the embedded PGlite in STRATA_INDEXER_DIR (default .ponder/pglite)
// The ABIs are the SDK's generated ones (ts-sdk/src/generated), never copies.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createConfig } from "ponder";
import {
  AppraisalOracleAbi,
  CollectionRegistryAbi,
  DutchAuctionLiquidatorAbi,
  StrataPoolAbi,
  TimelockControllerAbi,
  TrancheVaultAbi,
} from "../ts-sdk/src/generated/abis.ts";

const here = dirname(fileURLToPath(import.meta.url));
const file = resolve(here, process.env.STRATA_DEPLOYMENT ?? "../deployments/local.json");
let d: Record<string, unknown>;
try {
  d = JSON.parse(readFileSync(file, "utf8"));
} catch (e) {
  throw new Error(`strata indexer: cannot read the deployment file ${file} (${(e as Error).message}); run \`npm start -- --keep\` or set STRATA_DEPLOYMENT`);
}
const addr = (k: string) => {
  const v = d[k];
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw new Error(`strata indexer: ${file}: "${k}" is not an address`);
  return v as `0x${string}`;
};
const chainId = Number(d.chainId);
const rpc = process.env.STRATA_RPC_URL ?? process.env.RPC_URL ?? (typeof d.rpcUrl === "string" ? d.rpcUrl : "http://127.0.0.1:8545");
const startBlock = Number(d.startBlock ?? 0);
// Ponder paces each RPC URL it is given (from 20 requests/s, growing slowly: made for hosted providers). A node on
// this machine answers far faster: the URL is listed STRATA_RPC_LANES times (default 16 on loopback, else 1).
const loopback = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(rpc);
const lanes = Math.max(1, Number(process.env.STRATA_RPC_LANES ?? (loopback ? 16 : 1)));
const chain = "strata" as const;

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: process.env.STRATA_INDEXER_DIR ?? resolve(here, ".ponder/pglite") },
  chains: {
    [chain]: {
      id: chainId,
      rpc: lanes > 1 ? Array.from({ length: lanes }, () => rpc) : rpc,
      pollingInterval: Number(process.env.STRATA_POLLING_MS ?? 1000),
      // Ponder's cache of RPC results lives in the database; `npm run indexer` empties the embedded one when the
      // deployment changes (a new local chain reuses addresses and block numbers). STRATA_RPC_CACHE=0 turns it off.
      disableCache: process.env.STRATA_RPC_CACHE === "0",
    },
  },
  contracts: {
    StrataPool: { chain, abi: StrataPoolAbi, address: addr("pool"), startBlock },
    TrancheVault: { chain, abi: TrancheVaultAbi, address: [addr("seniorVault"), addr("juniorVault")], startBlock },
    CollectionRegistry: { chain, abi: CollectionRegistryAbi, address: addr("registry"), startBlock },
    AppraisalOracle: { chain, abi: AppraisalOracleAbi, address: addr("oracle"), startBlock },
    Liquidator: { chain, abi: DutchAuctionLiquidatorAbi, address: addr("liquidator"), startBlock },
    Timelock: { chain, abi: TimelockControllerAbi, address: addr("timelock"), startBlock },
  },
});

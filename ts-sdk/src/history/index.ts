// The indexer's client (indexer/): history the chain fetchers do not keep. No node reads here.
export * from "./client.ts";
export * from "./pnl.ts";

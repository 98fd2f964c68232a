// The entities: the SDK's only home of protocol rules (one class per file).
export * from "./types.ts";
export * from "./pool.ts";
export * from "./tranche.ts";
export * from "./position.ts";
export * from "./queue-request.ts";
export * from "./loan.ts";
export * from "./loan-health.ts";
export * from "./auction.ts";
export * from "./collection.ts";
export * from "./limits.ts";
export * from "./governance-ties.ts";
export * from "./stress.ts";

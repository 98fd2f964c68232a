// The fetchers: one per entity, each reading what its entity needs at one block in one batched round trip, apart
// from the entities (the blue-sdk split). One read path per fact: one loan reader (fetch/loan.ts), one floor reader
// (fetch/collection.ts), one auction reader (fetch/auction.ts).
export * from "./block.ts";
export * from "./pool.ts";
export * from "./loan.ts";
export * from "./auction.ts";
export * from "./collection.ts";
export * from "./queue-request.ts";
export * from "./position.ts";

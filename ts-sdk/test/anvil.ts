// Moved to ts-sdk/src/dev/anvil.ts (shared with the CLI's demo); kept as a re-export for the tests.
export * from "../src/dev/anvil.ts";

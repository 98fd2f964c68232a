// Import rules of the TypeScript side (issue #29), checked by `npm run test:deps` (part of `npm test`):
//   - no cycles anywhere in the SDK, the CLI or the app;
//   - entities/ and math/ (the only home of protocol rules) do no I/O: they import no chain, fetch, client, CLI,
//     keeper or demo module, no node built-in, and from ethers only what is pure (checked by name below);
//   - nothing but entities/ and math/ imports the fixed-point primitives (protocol arithmetic lives there only);
//   - a CLI command imports neither the entry point (cli/main.ts, cli/strata.ts) nor another command;
//   - the app reaches the SDK through the package (@strata-protocol/sdk), never a deep path into ts-sdk/src.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "a cycle makes the load order matter and the layers unreadable",
      from: {},
      to: { circular: true },
    },
    {
      name: "rules-do-no-io",
      severity: "error",
      comment: "entities/ and math/ are pure: the fetchers read the chain, the entities answer",
      from: { path: "^ts-sdk/src/(entities|math)/" },
      to: { path: "^ts-sdk/src/(chain|fetch|clients|cli|keeper|demo|dev|generated)/|^ts-sdk/src/node\\.ts$" },
    },
    {
      name: "rules-no-node-builtins",
      severity: "error",
      from: { path: "^ts-sdk/src/(entities|math)/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "fixed-point-math-only-in-rules",
      severity: "error",
      comment: "the fixed-point primitives (mulDiv, bps, WAD) are used by entities/ and math/ only: protocol arithmetic lives there",
      from: { pathNot: "^ts-sdk/src/(entities|math)/|^ts-sdk/src/index\\.ts$" },
      to: { path: "^ts-sdk/src/math/fixed-point\\.ts$" },
    },
    {
      name: "commands-do-not-import-the-entry-point",
      severity: "error",
      from: { path: "^ts-sdk/src/cli/commands/" },
      to: { path: "^ts-sdk/src/cli/(main|strata)\\.ts$" },
    },
    {
      name: "commands-do-not-import-commands",
      severity: "error",
      comment: "shared CLI code lives in cli/context.ts or in the SDK",
      from: { path: "^ts-sdk/src/cli/commands/([^/]+)\\.ts$" },
      to: { path: "^ts-sdk/src/cli/commands/", pathNot: "^ts-sdk/src/cli/commands/$1\\.ts$" },
    },
    {
      name: "app-uses-the-package",
      severity: "error",
      comment: "@strata-protocol/sdk resolves to ts-sdk/src/index.ts (app/tsconfig.json paths); nothing deeper",
      from: { path: "^app/src/" },
      to: { path: "^ts-sdk/", pathNot: "^ts-sdk/src/index\\.ts$" },
    },
    {
      name: "history-apart-from-chain",
      severity: "error",
      comment: "the indexer's client (history/) reads the indexer only: no node reads, no chain fetchers or clients (issue #31)",
      from: { path: "^ts-sdk/src/history/" },
      to: { path: "^ts-sdk/src/(chain|fetch|clients|cli|keeper|demo|dev|generated)/|^ts-sdk/src/node\\.ts$" },
    },
    {
      name: "indexer-calls-the-sdk-rules",
      severity: "error",
      comment: "the indexer (indexer/src) takes ABIs from the SDK's generated bindings, math from math/ or entities/, and the shapes it writes from the history client that reads them: no protocol rule of its own, no fixed-point primitive",
      from: { path: "^indexer/(src/|ponder\\.)" },
      to: { path: "^ts-sdk/", pathNot: "^ts-sdk/src/(math/(interest|waterfall|oracle|rarity)|entities/[^/]+|generated/abis|history/client)\\.ts$" },
    },
    {
      name: "sdk-library-is-browser-safe",
      severity: "error",
      comment: "the package's main entry runs in a browser: node built-ins only behind @strata-protocol/sdk/node",
      from: { path: "^ts-sdk/src/(entities|math|fetch|chain|clients|history)/|^ts-sdk/src/(index|errors|format|units)\\.ts$", pathNot: "^ts-sdk/src/chain/(signers)\\.ts$" },
      to: { dependencyTypes: ["core"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^ts-sdk/src/generated/|^indexer/node_modules/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "app/tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js"] },
  },
};

#!/usr/bin/env node
// `npm test` and the other development scripts need the development toolchain (Hardhat, vitest, tsc, solhint, playwright,
// cast). A plain `npm install` installs the runtime only (.npmrc omits devDependencies, for a fast first
// `npm start`): say so in one line instead of failing later on a missing binary.
"use strict";
const fs = require("fs");
const path = require("path");

const nm = path.join(__dirname, "..", "node_modules");
const missing = ["hardhat", "vitest", "typescript", "solhint", "@foundry-rs/cast", "playwright-core"].filter(
  (pkg) => !fs.existsSync(path.join(nm, pkg, "package.json")),
);
if (missing.length > 0) {
  process.stderr.write(
    `strata: the development toolchain is not installed (missing ${missing.join(", ")}): run \`npm install --include=dev\` first (a plain \`npm install\` installs only what \`npm start\` and the CLI need)\n`,
  );
  process.exit(2);
}

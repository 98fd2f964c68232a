// Before any browser test: chromium must be there (installed with apt when missing, else the run fails with the
// command), and the app must be built.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ensureChromium } from "./browser.ts";

export default function setup(): void {
  ensureChromium();
  const index = join(import.meta.dirname, "..", "dist", "index.html");
  if (!existsSync(index)) throw new Error(`the app is not built (${index} is missing): run \`npm run build:app\``);
}

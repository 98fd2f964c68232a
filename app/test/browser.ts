// Debian's chromium driven by playwright-core (no browser download). Where chromium is missing the setup installs it
// with apt; where that is impossible it throws with the one command to run: the browser tests fail, never skip.
import { execSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const INSTALL_CHROMIUM = "apt-get update && apt-get install -y chromium";

/** The flags every run uses (headless, no sandbox as root, and no background traffic into a closed network). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Makes sure chromium is installed: installs it with apt when missing (as root), else throws with the command. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (root && existsSync("/usr/bin/apt-get")) {
    console.log(`chromium is missing at ${CHROMIUM}: installing it with \`${INSTALL_CHROMIUM}\``);
    try {
      execSync(INSTALL_CHROMIUM, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    } catch (e) {
      throw new Error(`chromium is missing at ${CHROMIUM} and apt could not install it (${(e as Error).message}): run \`${INSTALL_CHROMIUM}\``);
    }
  }
  if (!existsSync(CHROMIUM)) throw new Error(`chromium is missing at ${CHROMIUM}: install it with \`${INSTALL_CHROMIUM}\` (as root)`);
  return CHROMIUM;
}

export interface Browser {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** A fresh headless chromium with its own --user-data-dir (removed on close). */
export async function launchBrowser(opts: { width?: number; height?: number } = {}): Promise<Browser> {
  const executablePath = ensureChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), "strata-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

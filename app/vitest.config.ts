// The browser tests (npm run test:app): one anvil, one app server and one chromium for the file.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["app/test/**/*.test.ts"],
    globalSetup: ["app/test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["ts-sdk/test/**/*.test.ts", "tools/mutation/**/*.test.ts", "tools/bench/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});

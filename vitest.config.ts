// Two test projects: `unit` (engine, content, server; no build needed) and `e2e`
// (the built sites in dist/ and dist-course/, in headless Chromium). bin/test.ts builds
// the sites first and then runs both; `npx vitest run --project unit` runs the fast half.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['engine/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/spec/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
          environment: 'node',
          // Generous: CI has two cores, and the spec, fuzz and real-module tests share them.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One browser at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});

/** @file Test runner configuration: unit, contract, conformance and end-to-end suites in one run. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    setupFiles: ['tests/support/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep heavy suites (Chromium, training) from fighting each other.
    maxWorkers: 2,
    fileParallelism: true,
  },
});

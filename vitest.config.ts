import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/db/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.CI_REPORT_DIR ? ['default', ['json', { outputFile: `${process.env.CI_REPORT_DIR}/vitest.json` }]] : ['default'],
  },
});

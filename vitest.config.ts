import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Most files wait on DynamoDB Local or a scaled clock: two at a time halves CI on two cores.
    maxWorkers: 2,
    // Handlers log 5xx causes; tests provoke them on purpose.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['lib/domain/**/*.ts', 'lib/app/**/*.ts', 'functions/**/*.ts'],
      thresholds: { lines: 95, branches: 95 },
      reporter: ['text-summary', 'json-summary'],
    },
  },
});

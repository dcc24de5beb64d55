import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One moto server for the whole run, on a free loopback port; stopped at the end.
    globalSetup: ['test/support/moto-global-setup.ts'],
    setupFiles: ['test/support/quiet-sdk.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

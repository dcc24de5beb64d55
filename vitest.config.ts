import { defineConfig } from 'vitest/config';

/**
 * Two projects. `unit` needs nothing but Node: rules, engine and notifications with
 * client mocks, and the registry's meta-tests (`npm run test:unit`). `integration`
 * runs the real handlers, CLI and packaged bundles against one moto server on a free
 * loopback port, started for the run and stopped at its end, and lints the packaged
 * template with cfn-lint (both from Python).
 */
export default defineConfig({
  test: {
    setupFiles: ['test/support/quiet-sdk.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'test/unit/**/*.test.ts',
            'test/contract/registry.test.ts',
            'test/contract/permissions.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'test/integration/**/*.test.ts',
            'test/contract/stack.test.ts',
            'test/contract/member-template.test.ts',
          ],
          globalSetup: ['test/support/moto-global-setup.ts'],
        },
      },
    ],
  },
});

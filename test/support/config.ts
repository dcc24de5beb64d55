import { rules as registry } from '../../remediations';
import { type ConfiguredRule, loadConfig, type PhiGuardConfig } from '../../src/config';

/** A configuration built only from the given variables (never the developer's own environment or files). */
export function testConfig(
  env: Record<string, string> = {},
  rules: readonly ConfiguredRule[] = registry,
): PhiGuardConfig {
  // The fixtures' account is PHI Guard's own unless a test says otherwise.
  return loadConfig(
    { PHIGUARD_DRY_RUN: 'false', PHIGUARD_ACCOUNT_ID: '123456789012', ...env },
    '/nonexistent-config-dir',
    rules,
  );
}

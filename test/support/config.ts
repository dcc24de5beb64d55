import { rules as registry } from '../../remediations';
import { type ConfiguredRule, loadConfig, type PhiGuardConfig } from '../../src/config';

/** A configuration built only from the given variables (never the developer's own environment or files). */
export function testConfig(
  env: Record<string, string> = {},
  rules: readonly ConfiguredRule[] = registry,
): PhiGuardConfig {
  return loadConfig({ PHIGUARD_DRY_RUN: 'false', ...env }, '/nonexistent-config-dir', rules);
}

import { loadConfig, type PhiGuardConfig } from '../../src/config';

/** A configuration built only from the given variables (never the developer's own environment or files). */
export function testConfig(env: Record<string, string> = {}): PhiGuardConfig {
  return loadConfig({ PHIGUARD_DRY_RUN: 'false', ...env }, '/nonexistent-config-dir');
}

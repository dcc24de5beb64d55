import { RuleDefinitionError } from './errors';
import type { ResourceType } from './resources/resource-type';
import type { Rule } from './rule';
import { declaredSettings } from './rule-settings';

/**
 * A list of rules checked as one registry: kebab-case ids, each once, read
 * permissions declared, one resource module per type, settings that agree.
 * The whole catalogue (remediations/index.ts) and each event function's share
 * of it (handlers/events/) are built through it, so both are held to the same
 * contract. It lives here, not beside the rules, so an event function's bundle
 * imports only its own rules.
 */
export function createRegistry(rules: readonly Rule[]): readonly Rule[] {
  const seen = new Set<string>();
  const types = new Map<string, ResourceType>();
  for (const rule of rules) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.id))
      throw new RuleDefinitionError(`rule id "${rule.id}" is not kebab-case`);
    if (seen.has(rule.id)) throw new RuleDefinitionError(`duplicate rule id "${rule.id}"`);
    seen.add(rule.id);
    if (rule.permissions.read.length === 0) {
      throw new RuleDefinitionError(`rule "${rule.id}" declares no read permissions`);
    }
    if (rule.permissions.write.includes('iam:PassRole')) {
      throw new RuleDefinitionError(
        `rule "${rule.id}" lists iam:PassRole as a write; declare the service it passes a role to in permissions.passRole`,
      );
    }
    // One module per resource type: a sweep shard lists the type once, for all its rules.
    const known = types.get(rule.resourceType);
    if (known && known !== rule.resource) {
      throw new RuleDefinitionError(`two resource modules declare ${rule.resourceType}`);
    }
    types.set(rule.resourceType, rule.resource);
  }
  declaredSettings(rules); // throws when two rules declare one variable or file key differently
  return Object.freeze([...rules]);
}

import type { PhiGuardConfig } from '../config';
import { ConfigError } from '../errors';
import type { ResourceType } from '../resources/resource-type';
import type { Rule, RuleMode } from '../rule';

/** A mode set for a rule the registry does not have is a typo that would leave a rule on: refuse it. */
export function checkRuleModes(
  config: Pick<PhiGuardConfig, 'ruleModes'>,
  registry: readonly Pick<Rule, 'id'>[],
): void {
  const ids = new Set(registry.map((rule) => rule.id));
  for (const id of Object.keys(config.ruleModes)) {
    if (!ids.has(id)) {
      throw new ConfigError(`rule mode set for unknown rule "${id}"; known rules: ${[...ids].join(', ')}`);
    }
  }
}

/**
 * The rules an engine runs and the mode of each, from the configuration. "Rule is
 * off" is decided here and nowhere else.
 */
export class RuleIndex {
  private readonly byEvent = new Map<string, Rule[]>();

  /**
   * `partOfRegistry`: these rules are one event function's share of the registry,
   * so modes name other functions' rules too; the stack checked them against the
   * whole registry when it was packaged (infra/stack-fragments.ts).
   */
  constructor(
    readonly rules: readonly Rule[],
    private readonly config: Pick<PhiGuardConfig, 'ruleModes' | 'defaultMode'>,
    partOfRegistry = false,
  ) {
    if (!partOfRegistry) checkRuleModes(config, rules);
    for (const rule of rules) {
      for (const trigger of rule.triggers) {
        for (const eventName of trigger.events) {
          const key = `${trigger.source}:${eventName}`;
          this.byEvent.set(key, [...(this.byEvent.get(key) ?? []), rule]);
        }
      }
    }
  }

  modeOf(rule: Rule): RuleMode {
    return this.config.ruleModes[rule.id] ?? this.config.defaultMode;
  }

  isOff(rule: Rule): boolean {
    return this.modeOf(rule) === 'off';
  }

  /** Rules whose triggers include this event, in registry order. */
  listeningTo(eventSource: string, eventName: string): Rule[] {
    return this.byEvent.get(`${eventSource}:${eventName}`) ?? [];
  }

  /** Every rule of one resource type, in registry order (rules of one resource may write to it in turn). */
  ofType(resource: ResourceType): Rule[] {
    return this.rules.filter((rule) => rule.resource === resource);
  }

  byId(id: string): Rule | undefined {
    return this.rules.find((rule) => rule.id === id);
  }
}

/** The reason reported for every outcome of a rule that is off. */
export const RULE_IS_OFF = 'rule is off in the configuration';

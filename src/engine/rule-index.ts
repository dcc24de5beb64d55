import type { PhiGuardConfig } from '../config';
import { ConfigError } from '../errors';
import type { ResourceType } from '../resources/resource-type';
import type { Rule, RuleMode } from '../rule';

/**
 * The rules an engine runs and the mode of each, from the configuration. "Rule is
 * off" is decided here and nowhere else.
 */
export class RuleIndex {
  private readonly byEvent = new Map<string, Rule[]>();

  constructor(
    readonly rules: readonly Rule[],
    private readonly config: Pick<PhiGuardConfig, 'ruleModes' | 'defaultMode'>,
  ) {
    const ids = new Set(rules.map((rule) => rule.id));
    for (const id of Object.keys(config.ruleModes)) {
      if (!ids.has(id)) {
        throw new ConfigError(`rule mode set for unknown rule "${id}"; known rules: ${[...ids].join(', ')}`);
      }
    }
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

import { ConfigError, RuleDefinitionError } from './errors';
import type * as z from './zod';

/**
 * A setting a rule needs to build its fix (a KMS key, a log destination),
 * declared by the rule itself. The configuration loader, the stack's environment,
 * `phiguard rules` and the README's settings table are generated from these
 * declarations, so a new setting is written in one place: its rule.
 *
 * Rules never read the environment themselves: the engine hands each rule its
 * resolved values as `ctx.settings`.
 */
export interface RuleSetting<T = unknown> {
  /** Environment variable; the deployed stack passes it through from the deploying shell. */
  env: string;
  /** Dotted key in `phiguard.config.json` (`flowLogs.destination`). */
  file: string;
  /** One sentence for people: what it is and what happens without it. */
  description: string;
  /** What applies when it is not set, in words (for `phiguard rules` and the README). */
  unset: string;
  /** Validates a value: a string from the environment, or the JSON value from the file. */
  schema: z.ZodMiniType<T>;
}

export function ruleSetting<T>(setting: RuleSetting<T>): RuleSetting<T> {
  return setting;
}

export type SettingDeclarations = Readonly<Record<string, RuleSetting>>;

/** The values a rule sees for its declarations: unset is `undefined`. */
export type SettingValues<S extends SettingDeclarations> = {
  readonly [K in keyof S]: z.output<S[K]['schema']> | undefined;
};

/** What settings are read from: the environment over the config file. */
export interface SettingSources {
  env: NodeJS.ProcessEnv;
  file: Record<string, unknown>;
}

export function fileValue(file: Record<string, unknown>, path: string): unknown {
  let current: unknown = file;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}

/**
 * One rule's settings from the environment (non-empty wins) or the config file.
 * A value that fails its schema is a {@link ConfigError} naming where it came from.
 */
export function resolveSettings(
  declarations: SettingDeclarations,
  sources: SettingSources,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(declarations)) {
    const fromEnv = sources.env[setting.env];
    const raw = fromEnv !== undefined && fromEnv !== '' ? fromEnv : fileValue(sources.file, setting.file);
    if (raw === undefined) continue;
    const parsed = setting.schema.safeParse(raw);
    if (!parsed.success) {
      const where = fromEnv ? setting.env : `${setting.file} in the config file`;
      throw new ConfigError(`${where}: ${describeIssues(parsed.error)}`, { cause: parsed.error });
    }
    values[name] = parsed.data;
  }
  return values;
}

/**
 * Every setting the given rules declare, once each by environment variable. Two
 * rules may share a setting (the same declaration object); two different
 * declarations of one variable, or of one config file key, are a
 * {@link RuleDefinitionError}.
 */
export function declaredSettings(
  rules: readonly { id: string; settings?: SettingDeclarations }[],
): { setting: RuleSetting; rules: string[] }[] {
  const byEnv = new Map<string, { setting: RuleSetting; rules: string[] }>();
  const byFileKey = new Map<string, RuleSetting>();
  for (const rule of rules) {
    for (const setting of Object.values(rule.settings ?? {})) {
      const sameKey = byFileKey.get(setting.file);
      if (sameKey && sameKey !== setting) {
        throw new RuleDefinitionError(
          `${sameKey.env} and ${setting.env} share the config file key ${setting.file}`,
        );
      }
      byFileKey.set(setting.file, setting);
      const known = byEnv.get(setting.env);
      if (known && known.setting !== setting) {
        throw new RuleDefinitionError(
          `rules ${known.rules.join(', ')} and ${rule.id} declare ${setting.env} differently; share one declaration`,
        );
      }
      if (known) known.rules.push(rule.id);
      else byEnv.set(setting.env, { setting, rules: [rule.id] });
    }
  }
  return [...byEnv.values()];
}

/** One row per declared setting, for people (`phiguard rules`, the README's settings table). */
export interface SettingRow {
  env: string;
  file: string;
  rules: string[];
  unset: string;
  description: string;
}

export function settingRows(rules: readonly { id: string; settings?: SettingDeclarations }[]): SettingRow[] {
  return declaredSettings(rules).map(({ setting, rules: ids }) => ({
    env: setting.env,
    file: setting.file,
    rules: ids,
    unset: setting.unset,
    description: setting.description,
  }));
}

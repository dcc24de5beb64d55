import { existsSync, readFileSync } from 'node:fs';
import { booleanValue, listValue, wholeNumberValue } from './env-values';
import { ConfigError, RuleDefinitionError } from './errors';
import { DEFAULT_LEDGER_SETTINGS, type LedgerSettings } from './ledger/ledger';
import {
  BUILT_IN_PHI_NAME_PATTERNS,
  MIN_REDACTION_KEY_LENGTH,
  operatorPatterns,
  type PhiNamePattern,
} from './phi-names';
import { RULE_MODES, type RuleMode } from './rule';
import { declaredSettings, resolveSettings, type SettingDeclarations } from './rule-settings';
import * as z from './zod';

/**
 * PHI Guard's configuration: an optional JSON file, then the environment on top
 * (the deployed stack sets only environment variables). Everything is validated
 * here, at start-up, so a typo fails the cold start instead of the first event.
 *
 * Rule settings are not listed here: each rule declares its own (`settings` in its
 * file), and this loader reads exactly what the given rules declare.
 */
export interface PhiGuardConfig {
  /** True unless explicitly turned off: the first deploy into a HIPAA account is a review. */
  dryRun: boolean;
  /** Role ARNs or role names whose calls are PHI Guard's own (loop prevention). */
  selfPrincipals: string[];
  /** Tag key that exempts a resource; any non-empty value (the reason) counts. */
  exemptTag: string;
  /** Names that look like PHI: the built-in patterns and the operator's (src/phi-names.ts). */
  phiNamePatterns: PhiNamePattern[];
  /** Key of the keyed hash that redacts such names; undefined: a key of this process only. */
  nameRedactionKey?: string;
  /** The account PHI Guard runs in (PHIGUARD_ACCOUNT_ID; else asked of STS once). */
  accountId?: string;
  /** The role PHI Guard assumes in another account of the organisation, and its external id. */
  member: { roleName: string; externalId?: string };
  defaultMode: RuleMode;
  ruleModes: Record<string, RuleMode>;
  /** Each rule's resolved settings, by rule id (unset settings are absent). */
  ruleSettings: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** DynamoDB table of the action registry; undefined means in-memory (CLI only). */
  ledgerTable?: string;
  /** SQS queue of the notifier; undefined means no notifications are sent. */
  notifyQueueUrl?: string;
  ledger: LedgerSettings;
}

/** What the loader needs to know of a rule: its id and the settings it declares. */
export interface ConfiguredRule {
  id: string;
  settings?: SettingDeclarations;
  checkSettings?(values: Readonly<Record<string, unknown>>): string | undefined;
}

export const DEFAULT_EXEMPT_TAG = 'phiguard:exempt';
export const CONFIG_FILE_NAME = 'phiguard.config.json';

const modeSchema = z.enum(RULE_MODES);

const coreFileShape = {
  dryRun: z.optional(z.boolean()),
  selfPrincipals: z.optional(z.array(z.string().check(z.minLength(1)))),
  exemptTag: z.optional(z.string().check(z.minLength(1))),
  phiNamePatterns: z.optional(z.array(z.string().check(z.minLength(1)))),
  defaultMode: z.optional(modeSchema),
  rules: z.optional(z.record(z.string(), z.strictObject({ mode: modeSchema }))),
  ledger: z.optional(
    z.strictObject({
      table: z.optional(z.string().check(z.minLength(3))),
      lockSeconds: z.optional(z.int().check(z.minimum(1), z.maximum(900))),
      fightThreshold: z.optional(z.int().check(z.minimum(1))),
      fightWindowMinutes: z.optional(z.int().check(z.minimum(1))),
      historyRetentionDays: z.optional(z.int().check(z.minimum(1))),
      dedupHours: z.optional(z.int().check(z.minimum(1))),
    }),
  ),
};

/**
 * The config file's schema: PHI Guard's own keys, and one key per rule setting
 * (`flowLogs.destination`), strict at every level so a typo is an error. Setting
 * values are validated by their own schemas when the settings are resolved.
 */
function fileSchemaFor(settingFileKeys: readonly string[]) {
  type Tree = { [key: string]: Tree | true };
  const tree: Tree = {};
  for (const path of settingFileKeys) {
    const keys = path.split('.');
    let node = tree;
    keys.forEach((key, i) => {
      if (i === keys.length - 1) {
        node[key] = true;
        return;
      }
      node[key] ??= {};
      node = node[key] as Tree;
    });
  }
  const shapeOf = (node: Tree): Record<string, z.ZodMiniType> =>
    Object.fromEntries(
      Object.entries(node).map(([key, child]) => [
        key,
        child === true ? z.optional(z.unknown()) : z.optional(z.strictObject(shapeOf(child))),
      ]),
    );
  const settingsShape = shapeOf(tree);
  for (const key of Object.keys(settingsShape)) {
    if (key in coreFileShape)
      throw new RuleDefinitionError(`a rule setting's file key "${key}" collides with PHI Guard's own`);
  }
  return z.strictObject({ ...coreFileShape, ...settingsShape });
}

type ConfigFile = z.infer<z.ZodMiniObject<typeof coreFileShape>> & Record<string, unknown>;

function readConfigFile(path: string, schema: ReturnType<typeof fileSchemaFor>): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid config file ${path}: ${issues}`, { cause: parsed.error });
  }
  return parsed.data as ConfigFile;
}

/** `PHIGUARD_RULE_MODES="s3-bucket-tls-only=ticket,vpc-flow-logs=off"` */
function parseRuleModes(raw: string): Record<string, RuleMode> {
  const modes: Record<string, RuleMode> = {};
  for (const entry of listValue(raw)) {
    const [id, mode] = entry.split('=').map((part) => part.trim());
    const parsed = modeSchema.safeParse(mode);
    if (!id || !parsed.success) {
      throw new ConfigError(
        `PHIGUARD_RULE_MODES entry "${entry}" must be <rule-id>=<${RULE_MODES.join('|')}>`,
      );
    }
    modes[id] = parsed.data;
  }
  return modes;
}

/** Each rule's settings from its own declarations; then the rule's checks across its settings. */
function resolveRuleSettings(
  rules: readonly ConfiguredRule[],
  env: NodeJS.ProcessEnv,
  file: Record<string, unknown>,
): PhiGuardConfig['ruleSettings'] {
  const resolved: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const rule of rules) {
    const values = resolveSettings(rule.settings ?? {}, { env, file });
    const problem = rule.checkSettings?.(values);
    if (problem) throw new ConfigError(problem);
    resolved[rule.id] = Object.freeze(values);
  }
  return resolved;
}

/** PHIGUARD_PHI_NAME_PATTERNS: a JSON array of regular expressions (a comma may be part of one). */
function patternList(raw: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError('PHIGUARD_PHI_NAME_PATTERNS must be a JSON array of regular expressions', {
      cause: error,
    });
  }
  const list = z.array(z.string().check(z.minLength(1))).safeParse(parsed);
  if (!list.success) {
    throw new ConfigError('PHIGUARD_PHI_NAME_PATTERNS must be a JSON array of non-empty strings');
  }
  return list.data;
}

/** The member role's default name: the member template creates it under this name. */
export const DEFAULT_MEMBER_ROLE_NAME = 'phiguard-member';

function accountIdValue(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^\d{12}$/.test(raw)) throw new ConfigError('PHIGUARD_ACCOUNT_ID must be a 12-digit AWS account id');
  return raw;
}

function roleNameValue(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^[\w+=,.@-]{1,64}$/.test(raw)) {
    throw new ConfigError(
      'PHIGUARD_MEMBER_ROLE_NAME must be an IAM role name (up to 64 of A-Z a-z 0-9 +=,.@_-)',
    );
  }
  return raw;
}

function redactionKey(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw.length < MIN_REDACTION_KEY_LENGTH) {
    throw new ConfigError(
      `PHIGUARD_NAME_REDACTION_KEY must be at least ${MIN_REDACTION_KEY_LENGTH} characters`,
    );
  }
  return raw;
}

/**
 * Builds the effective configuration for the given rules (their declared settings
 * are read and validated; without rules, none are). `env` defaults to
 * `process.env`; the config file is `PHIGUARD_CONFIG`, else `./phiguard.config.json`
 * when present.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  rules: readonly ConfiguredRule[] = [],
): PhiGuardConfig {
  const settingFileKeys = declaredSettings(rules).map(({ setting }) => setting.file);
  const schema = fileSchemaFor(settingFileKeys);
  const explicitPath = env.PHIGUARD_CONFIG;
  const defaultPath = `${cwd}/${CONFIG_FILE_NAME}`;
  let file: ConfigFile = {};
  if (explicitPath) {
    if (!existsSync(explicitPath))
      throw new ConfigError(`PHIGUARD_CONFIG names ${explicitPath}, which does not exist`);
    file = readConfigFile(explicitPath, schema);
  } else if (existsSync(defaultPath)) {
    file = readConfigFile(defaultPath, schema);
  }

  const ruleModes: Record<string, RuleMode> = {};
  for (const [id, rule] of Object.entries(file.rules ?? {})) ruleModes[id] = rule.mode;
  if (env.PHIGUARD_RULE_MODES) Object.assign(ruleModes, parseRuleModes(env.PHIGUARD_RULE_MODES));

  let defaultMode = file.defaultMode ?? 'remediate';
  if (env.PHIGUARD_DEFAULT_MODE) {
    const parsed = modeSchema.safeParse(env.PHIGUARD_DEFAULT_MODE);
    if (!parsed.success) {
      throw new ConfigError(`PHIGUARD_DEFAULT_MODE must be one of ${RULE_MODES.join(', ')}`);
    }
    defaultMode = parsed.data;
  }

  const fileLedger = file.ledger ?? {};
  const number = (name: string, min: number, max?: number) => wholeNumberValue(name, env[name], min, max);
  const minutes = number('PHIGUARD_FIGHT_WINDOW_MINUTES', 1) ?? fileLedger.fightWindowMinutes;
  const days = number('PHIGUARD_HISTORY_RETENTION_DAYS', 1) ?? fileLedger.historyRetentionDays;
  const hours = number('PHIGUARD_DEDUP_HOURS', 1) ?? fileLedger.dedupHours;
  const ledger: LedgerSettings = {
    lockSeconds:
      number('PHIGUARD_LOCK_SECONDS', 1, 900) ??
      fileLedger.lockSeconds ??
      DEFAULT_LEDGER_SETTINGS.lockSeconds,
    fightThreshold:
      number('PHIGUARD_FIGHT_THRESHOLD', 1) ??
      fileLedger.fightThreshold ??
      DEFAULT_LEDGER_SETTINGS.fightThreshold,
    fightWindowSeconds: minutes !== undefined ? minutes * 60 : DEFAULT_LEDGER_SETTINGS.fightWindowSeconds,
    historyRetentionDays: days ?? DEFAULT_LEDGER_SETTINGS.historyRetentionDays,
    dedupSeconds: hours !== undefined ? hours * 3600 : DEFAULT_LEDGER_SETTINGS.dedupSeconds,
    reminderSeconds: (number('PHIGUARD_REMINDER_HOURS', 1) ?? 24) * 3600,
  };

  return {
    ledgerTable: env.PHIGUARD_LEDGER_TABLE || fileLedger.table,
    notifyQueueUrl: env.PHIGUARD_NOTIFY_QUEUE_URL || undefined,
    ledger,
    dryRun: booleanValue('PHIGUARD_DRY_RUN', env.PHIGUARD_DRY_RUN, file.dryRun ?? true),
    selfPrincipals: env.PHIGUARD_SELF_PRINCIPALS
      ? listValue(env.PHIGUARD_SELF_PRINCIPALS)
      : (file.selfPrincipals ?? []),
    exemptTag: env.PHIGUARD_EXEMPT_TAG || file.exemptTag || DEFAULT_EXEMPT_TAG,
    phiNamePatterns: [
      ...BUILT_IN_PHI_NAME_PATTERNS,
      ...(env.PHIGUARD_PHI_NAME_PATTERNS
        ? operatorPatterns('PHIGUARD_PHI_NAME_PATTERNS', patternList(env.PHIGUARD_PHI_NAME_PATTERNS))
        : operatorPatterns('phiNamePatterns', file.phiNamePatterns ?? [])),
    ],
    nameRedactionKey: redactionKey(env.PHIGUARD_NAME_REDACTION_KEY),
    accountId: accountIdValue(env.PHIGUARD_ACCOUNT_ID),
    member: {
      roleName: roleNameValue(env.PHIGUARD_MEMBER_ROLE_NAME) ?? DEFAULT_MEMBER_ROLE_NAME,
      ...(env.PHIGUARD_MEMBER_EXTERNAL_ID ? { externalId: env.PHIGUARD_MEMBER_EXTERNAL_ID } : {}),
    },
    defaultMode,
    ruleModes,
    ruleSettings: resolveRuleSettings(rules, env, file),
  };
}

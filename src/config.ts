import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from './errors';
import { DEFAULT_LEDGER_SETTINGS, type LedgerSettings } from './ledger/ledger';
import { RULE_MODES, type RuleMode, type RuleSettings } from './rule';
import * as z from './zod';

/**
 * PHI Guard's configuration: an optional JSON file, then the environment on top
 * (the deployed stack sets only environment variables). Everything is validated
 * here, at start-up, so a typo fails the cold start instead of the first event.
 */
export interface PhiGuardConfig {
  /** True unless explicitly turned off: the first deploy into a HIPAA account is a review. */
  dryRun: boolean;
  /** Role ARNs or role names whose calls are PHI Guard's own (loop prevention). */
  selfPrincipals: string[];
  /** Tag key that exempts a resource; any non-empty value (the reason) counts. */
  exemptTag: string;
  defaultMode: RuleMode;
  ruleModes: Record<string, RuleMode>;
  settings: RuleSettings;
  /** DynamoDB table of the action registry; undefined means in-memory (CLI only). */
  ledgerTable?: string;
  /** SQS queue of the notifier; undefined means no notifications are sent. */
  notifyQueueUrl?: string;
  ledger: LedgerSettings;
}

export const DEFAULT_EXEMPT_TAG = 'phiguard:exempt';
export const CONFIG_FILE_NAME = 'phiguard.config.json';

const modeSchema = z.enum(RULE_MODES);

const s3ArnPattern = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;
const logGroupArnPattern = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[^:]+(:\*)?$/;
const roleArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

export const configFileSchema = z.strictObject({
  dryRun: z.optional(z.boolean()),
  selfPrincipals: z.optional(z.array(z.string().check(z.minLength(1)))),
  exemptTag: z.optional(z.string().check(z.minLength(1))),
  defaultMode: z.optional(modeSchema),
  rules: z.optional(z.record(z.string(), z.strictObject({ mode: modeSchema }))),
  s3: z.optional(z.strictObject({ kmsKeyId: z.optional(z.string().check(z.minLength(1))) })),
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
  flowLogs: z.optional(
    z.strictObject({
      destination: z.optional(z.string().check(z.minLength(1))),
      deliveryRoleArn: z.optional(z.string().check(z.regex(roleArnPattern, 'must be an IAM role ARN'))),
    }),
  ),
});

export type ConfigFile = z.infer<typeof configFileSchema>;

function parseBoolean(name: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function parseInteger(
  name: string,
  raw: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, got "${raw}"`,
    );
  }
  return value;
}

function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** `PHIGUARD_RULE_MODES="s3-bucket-tls-only=ticket,vpc-flow-logs=off"` */
function parseRuleModes(raw: string): Record<string, RuleMode> {
  const modes: Record<string, RuleMode> = {};
  for (const entry of parseList(raw)) {
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

export function readConfigFile(path: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid config file ${path}: ${issues}`, { cause: parsed.error });
  }
  return parsed.data;
}

function validateFlowLogs(settings: RuleSettings): void {
  const destination = settings.flowLogsDestination;
  if (!destination) return;
  if (s3ArnPattern.test(destination)) return;
  if (logGroupArnPattern.test(destination)) {
    if (!settings.flowLogsDeliveryRoleArn) {
      throw new ConfigError(
        'a CloudWatch Logs flow-log destination needs a delivery role: set PHIGUARD_FLOW_LOGS_ROLE_ARN (or flowLogs.deliveryRoleArn)',
      );
    }
    return;
  }
  throw new ConfigError(
    `PHIGUARD_FLOW_LOGS_DESTINATION must be an S3 bucket ARN (arn:aws:s3:::bucket[/prefix]) or a CloudWatch Logs group ARN, got "${destination}"`,
  );
}

/**
 * Builds the effective configuration. `env` defaults to `process.env`; the
 * config file is `PHIGUARD_CONFIG`, else `./phiguard.config.json` when present.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PhiGuardConfig {
  const explicitPath = env.PHIGUARD_CONFIG;
  const defaultPath = `${cwd}/${CONFIG_FILE_NAME}`;
  let file: ConfigFile = {};
  if (explicitPath) {
    if (!existsSync(explicitPath))
      throw new ConfigError(`PHIGUARD_CONFIG names ${explicitPath}, which does not exist`);
    file = readConfigFile(explicitPath);
  } else if (existsSync(defaultPath)) {
    file = readConfigFile(defaultPath);
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

  const settings: RuleSettings = {
    s3KmsKeyId: env.PHIGUARD_S3_KMS_KEY_ID || file.s3?.kmsKeyId,
    flowLogsDestination: env.PHIGUARD_FLOW_LOGS_DESTINATION || file.flowLogs?.destination,
    flowLogsDeliveryRoleArn: env.PHIGUARD_FLOW_LOGS_ROLE_ARN || file.flowLogs?.deliveryRoleArn,
  };
  if (settings.flowLogsDeliveryRoleArn && !roleArnPattern.test(settings.flowLogsDeliveryRoleArn)) {
    throw new ConfigError('PHIGUARD_FLOW_LOGS_ROLE_ARN must be an IAM role ARN');
  }
  validateFlowLogs(settings);

  const fileLedger = file.ledger ?? {};
  const minutes =
    parseInteger('PHIGUARD_FIGHT_WINDOW_MINUTES', env.PHIGUARD_FIGHT_WINDOW_MINUTES, 1) ??
    fileLedger.fightWindowMinutes;
  const days =
    parseInteger('PHIGUARD_HISTORY_RETENTION_DAYS', env.PHIGUARD_HISTORY_RETENTION_DAYS, 1) ??
    fileLedger.historyRetentionDays;
  const hours = parseInteger('PHIGUARD_DEDUP_HOURS', env.PHIGUARD_DEDUP_HOURS, 1) ?? fileLedger.dedupHours;
  const ledger: LedgerSettings = {
    lockSeconds:
      parseInteger('PHIGUARD_LOCK_SECONDS', env.PHIGUARD_LOCK_SECONDS, 1, 900) ??
      fileLedger.lockSeconds ??
      DEFAULT_LEDGER_SETTINGS.lockSeconds,
    fightThreshold:
      parseInteger('PHIGUARD_FIGHT_THRESHOLD', env.PHIGUARD_FIGHT_THRESHOLD, 1) ??
      fileLedger.fightThreshold ??
      DEFAULT_LEDGER_SETTINGS.fightThreshold,
    fightWindowSeconds: minutes !== undefined ? minutes * 60 : DEFAULT_LEDGER_SETTINGS.fightWindowSeconds,
    historyRetentionDays: days ?? DEFAULT_LEDGER_SETTINGS.historyRetentionDays,
    dedupSeconds: hours !== undefined ? hours * 3600 : DEFAULT_LEDGER_SETTINGS.dedupSeconds,
    reminderSeconds: (parseInteger('PHIGUARD_REMINDER_HOURS', env.PHIGUARD_REMINDER_HOURS, 1) ?? 24) * 3600,
  };

  return {
    ledgerTable: env.PHIGUARD_LEDGER_TABLE || fileLedger.table,
    notifyQueueUrl: env.PHIGUARD_NOTIFY_QUEUE_URL || undefined,
    ledger,
    dryRun:
      env.PHIGUARD_DRY_RUN !== undefined
        ? parseBoolean('PHIGUARD_DRY_RUN', env.PHIGUARD_DRY_RUN)
        : (file.dryRun ?? true),
    selfPrincipals: env.PHIGUARD_SELF_PRINCIPALS
      ? parseList(env.PHIGUARD_SELF_PRINCIPALS)
      : (file.selfPrincipals ?? []),
    exemptTag: env.PHIGUARD_EXEMPT_TAG || file.exemptTag || DEFAULT_EXEMPT_TAG,
    defaultMode,
    ruleModes,
    settings,
  };
}

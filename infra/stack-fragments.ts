/**
 * The parts of serverless.yml that are derived from the rule registry, so the
 * EventBridge patterns and the IAM policy are never typed by hand twice.
 * `infra/stack-fragments.cjs` runs them (through stack-fragments-json.ts) at
 * `osls package` time; the contract tests compare the packaged template with
 * the same functions.
 */
import { rules as registry } from '../remediations';
import { loadConfig } from '../src/config';
import { checkRuleModes } from '../src/engine/rule-index';
import { booleanValue } from '../src/env-values';
import { LEDGER_TABLE_SCHEMA, TTL_ATTRIBUTE } from '../src/ledger/table-schema';
import { parseSecretRef } from '../src/notify/secret-ref';
import type { Rule } from '../src/rule';
import { declaredSettings } from '../src/rule-settings';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

import { eventBridgeSource } from '../src/event-functions';

export { eventBridgeSource };

export interface EventPattern {
  source: string[];
  'detail-type': string[];
  detail: { eventSource: string[]; eventName: string[] };
}

/** One pattern per CloudTrail event source, listing every event name any rule listens to. */
export function eventPatterns(rules: readonly Rule[] = registry): EventPattern[] {
  const bySource = new Map<string, Set<string>>();
  for (const rule of rules) {
    for (const trigger of rule.triggers) {
      const names = bySource.get(trigger.source) ?? new Set<string>();
      for (const name of trigger.events) names.add(name);
      bySource.set(trigger.source, names);
    }
  }
  return [...bySource.keys()].sort().map((source) => ({
    source: [eventBridgeSource(source)],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    detail: { eventSource: [source], eventName: [...(bySource.get(source) ?? [])].sort() },
  }));
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

/**
 * The rules' declared permissions as IAM statements. Rules act on whatever
 * resource an event names, so resources are `*`; iam:PassRole is the exception:
 * one statement per service a rule hands a role to (`permissions.passRole`, which
 * the permission meta-test proves equal to what the rules' planned calls pass),
 * limited to that service by `iam:PassedToService`.
 */
export function rulePolicyStatements(rules: readonly Rule[] = registry): PolicyStatement[] {
  const read = new Set<string>();
  const write = new Set<string>();
  const passRoleTo = new Set<string>();
  for (const rule of rules) {
    for (const action of rule.permissions.read) read.add(action);
    for (const action of rule.permissions.write) write.add(action);
    for (const service of rule.permissions.passRole) passRoleTo.add(service);
  }
  const statements: PolicyStatement[] = [
    { Sid: 'RulesRead', Effect: 'Allow', Action: [...read].sort(), Resource: '*' },
  ];
  if (write.size > 0)
    statements.push({ Sid: 'RulesRemediate', Effect: 'Allow', Action: [...write].sort(), Resource: '*' });
  for (const service of [...passRoleTo].sort()) {
    statements.push({
      Sid: `RulesPassRoleTo${service
        .replace(/\.amazonaws\.com$/, '')
        .split(/[^a-zA-Z0-9]+/)
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join('')}`,
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: '*',
      Condition: { StringEquals: { 'iam:PassedToService': service } },
    });
  }
  return statements;
}

/** The action registry table's shape, as CloudFormation properties (same source as `phiguard ledger init`). */
export function ledgerTableShape() {
  return {
    AttributeDefinitions: LEDGER_TABLE_SCHEMA.AttributeDefinitions,
    KeySchema: LEDGER_TABLE_SCHEMA.KeySchema,
    GlobalSecondaryIndexes: LEDGER_TABLE_SCHEMA.GlobalSecondaryIndexes,
    BillingMode: LEDGER_TABLE_SCHEMA.BillingMode,
    TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
  };
}

/**
 * The item-level DynamoDB actions the event and sweep functions use on the registry
 * table: the conditional marker put, claim update, marker delete on failure; batch
 * writes settle compliant events and sweep pages, a batch read recalls open
 * findings. A TransactWriteItems call is authorised by the actions of its items.
 */
export const LEDGER_ITEM_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

export interface NotifierStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/**
 * The notifier role's statements for the channels configured at deploy time:
 * read only the secrets it was given, OpsCenter and Security Hub only when enabled. Queue,
 * topic, table and key statements are in serverless.yml (they name stack resources).
 */
export function notifierChannelStatements(env: NodeJS.ProcessEnv = process.env): NotifierStatement[] {
  const statements: NotifierStatement[] = [];
  // The notifier reads its secrets through the same parser: a bad reference fails the package, not the notifier.
  const refs = [
    'PHIGUARD_SLACK_WEBHOOK',
    'PHIGUARD_SLACK_REVIEW_WEBHOOK',
    'PHIGUARD_JIRA_SECRET',
    'PHIGUARD_SERVICENOW_SECRET',
  ].flatMap((name) => (env[name] ? [parseSecretRef(name, env[name] as string)] : []));
  const parameters = refs.flatMap((r) => (r.store === 'ssm' ? [r.name] : []));
  const secrets = refs.flatMap((r) => (r.store === 'secretsmanager' ? [r.name] : []));
  if (parameters.length > 0) {
    statements.push({
      Sid: 'ReadChannelParameters',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: parameters.map((name) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${name.replace(/^\//, '')}`,
      })),
    });
    // SecureString values are decrypted by SSM on the caller's behalf.
    statements.push({
      Sid: 'DecryptChannelParameters',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': `ssm.\${AWS::Region}.amazonaws.com` } } },
    });
  }
  if (secrets.length > 0) {
    statements.push({
      Sid: 'ReadChannelSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: secrets.map((id) =>
        id.startsWith('arn:')
          ? id
          : {
              'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${id}-*`,
            },
      ),
    });
  }
  if (booleanValue('PHIGUARD_OPSCENTER', env.PHIGUARD_OPSCENTER, false)) {
    statements.push({
      Sid: 'OpsCenterItems',
      Effect: 'Allow',
      Action: ['ssm:CreateOpsItem', 'ssm:UpdateOpsItem', 'ssm:AddTagsToResource'],
      Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:opsitem/*` },
    });
  }
  if (booleanValue('PHIGUARD_SECURITY_HUB', env.PHIGUARD_SECURITY_HUB, false)) {
    // Findings go to this account's default product, and nowhere else.
    statements.push({
      Sid: 'ImportSecurityHubFindings',
      Effect: 'Allow',
      Action: ['securityhub:BatchImportFindings'],
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:securityhub:\${AWS::Region}:\${AWS::AccountId}:product/\${AWS::AccountId}/default`,
      },
    });
  }
  // A role policy needs at least one statement; this one grants nothing usable.
  if (statements.length === 0) {
    statements.push({
      Sid: 'NoChannelSecrets',
      Effect: 'Allow',
      Action: ['ssm:DescribeParameters'],
      Resource: '*',
    });
  }
  return statements;
}

/** DynamoDB actions the notifier uses on the registry table: delivery markers, tickets, history ticket keys. */
export const NOTIFIER_LEDGER_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

/**
 * The rules' settings as the functions' environment: every variable a rule
 * declares, with the deploying shell's value (empty when unset). The values (and
 * PHIGUARD_RULE_MODES) are validated here with the rules' own schemas, so a bad
 * value fails the package, not the first cold start.
 */
export function ruleSettingsEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  rules: readonly Rule[] = registry,
): Record<string, string> {
  const variables = declaredSettings(rules).map(({ setting }) => setting.env);
  const values = Object.fromEntries(variables.map((name) => [name, env[name] ?? '']));
  // Only the settings: the rest of the configuration is the stack's own.
  loadConfig(values, '/nonexistent-config-dir', rules);
  // Each event function holds part of the registry and cannot tell a typo from another
  // function's rule: rule modes are checked against the whole registry here. And
  // PHIGUARD_PHI_NAME_PATTERNS: a pattern that does not compile fails the package.
  checkRuleModes(
    loadConfig(
      {
        PHIGUARD_RULE_MODES: env.PHIGUARD_RULE_MODES,
        PHIGUARD_PHI_NAME_PATTERNS: env.PHIGUARD_PHI_NAME_PATTERNS,
      },
      '/nonexistent-config-dir',
    ),
    rules,
  );
  return values;
}

import {
  DescribeEventBusCommand,
  DescribeRuleCommand,
  type EventBridgeClient,
  type Rule as EventRule,
  ListRulesCommand,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describeAwsError, hasErrorCode } from '../aws-errors';
import { DEAD_LETTER_QUEUES, deadLetterQueueName } from '../deployment-names';
import { eventRuleSources } from '../event-functions';
import { DEFAULT_HEARTBEAT_MINUTES, missingHeartbeats } from '../heartbeat';
import type { HistoryEntry, Ledger } from '../ledger/ledger';
import { pairKey } from '../ledger/ledger';
import { eventFunctionName, organisationBusName } from '../own-event-rules';
import { openTicketPairs } from '../report/evidence';
import { ticketsOpenInTicketSystems } from '../report/tickets-in-ticket-systems';
import type { Rule } from '../rule';

/**
 * Whether a PHI Guard deployment is healthy, read from the AWS account it runs in:
 * the stack's mode, its EventBridge rules (enabled, with a target), its dead-letter
 * queues, the heartbeat of each account and Region, the last scheduled sweep, and
 * the open tickets and fights of the last 30 days. Each check is one line a person
 * can act on. Names come from the stage (the stack names everything
 * `phiguard-<stage>-…`), so no stack lookup is needed.
 */
export type CheckState = 'ok' | 'degraded' | 'info';

export interface StatusCheck {
  check: string;
  state: CheckState;
  detail: string;
}

export interface DeploymentStatus {
  stage: string;
  account: string;
  region: string;
  time: string;
  checks: StatusCheck[];
  healthy: boolean;
}

export interface StatusDeps {
  stage: string;
  account: string;
  region: string;
  rules: readonly Rule[];
  lambda: LambdaClient;
  events: EventBridgeClient;
  sqs: SQSClient;
  ledger: Ledger;
  now: Date;
}

const THIRTY_DAYS_MS = 30 * 86_400_000;

/** What Lambda, EventBridge and SQS answer for a name that does not exist. */
function isNotFound(error: unknown): boolean {
  return hasErrorCode(
    error,
    'ResourceNotFoundException',
    'AWS.SimpleQueueService.NonExistentQueue',
    'QueueDoesNotExist',
  );
}

/** The environment one of the stack's functions runs with, or undefined when it is not deployed. */
async function functionEnvironment(
  lambda: LambdaClient,
  name: string,
): Promise<Record<string, string> | undefined> {
  try {
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    return config.Environment?.Variables ?? {};
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function modeCheck(deps: StatusDeps): Promise<StatusCheck[]> {
  const keys = [...new Set(Object.values(eventRuleSources(deps.rules)))].sort();
  const found = await Promise.all(
    keys.map(async (key) => ({
      key,
      env: await functionEnvironment(deps.lambda, eventFunctionName(deps.stage, key)),
    })),
  );
  const missing = found.filter((f) => !f.env).map((f) => eventFunctionName(deps.stage, f.key));
  const deployed = found.filter((f) => f.env);
  const checks: StatusCheck[] = [];
  const modes = new Set(
    deployed.map((f) => `${f.env?.PHIGUARD_DRY_RUN ?? 'true'}|${f.env?.PHIGUARD_RULE_MODES ?? ''}`),
  );
  const first = deployed[0]?.env;
  if (first) {
    const dryRun = (first.PHIGUARD_DRY_RUN ?? 'true') !== 'false';
    const ruleModes = first.PHIGUARD_RULE_MODES
      ? `; rule modes: ${first.PHIGUARD_RULE_MODES}`
      : '; every rule in its default mode';
    checks.push({
      check: 'mode',
      state: 'info',
      detail: `${dryRun ? 'dry-run: drift is reported, nothing is changed' : 'apply: drift is fixed'}${ruleModes}`,
    });
  }
  if (modes.size > 1) {
    checks.push({
      check: 'mode',
      state: 'degraded',
      detail: 'the event functions run in different modes: redeploy the stack',
    });
  }
  checks.push(
    missing.length === 0
      ? { check: 'event functions', state: 'ok', detail: `${keys.length} of ${keys.length} deployed` }
      : {
          check: 'event functions',
          state: 'degraded',
          detail: `${missing.length} of ${keys.length} not deployed: ${missing.join(', ')}`,
        },
  );
  return checks;
}

async function listRules(events: EventBridgeClient, prefix: string, bus?: string): Promise<EventRule[]> {
  const rules: EventRule[] = [];
  let NextToken: string | undefined;
  do {
    const page = await events.send(
      new ListRulesCommand({ NamePrefix: prefix, ...(bus ? { EventBusName: bus } : {}), NextToken }),
    );
    rules.push(...(page.Rules ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return rules;
}

async function organisationBusExists(events: EventBridgeClient, stage: string): Promise<boolean> {
  try {
    await events.send(new DescribeEventBusCommand({ Name: organisationBusName(stage) }));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Every rule the stack creates must exist, be enabled and have a target: silence looks exactly like compliance. */
async function eventRulesCheck(deps: StatusDeps): Promise<StatusCheck> {
  const prefix = `phiguard-${deps.stage}-`;
  const shorts = Object.keys(eventRuleSources(deps.rules)).sort();
  const orgBus = (await organisationBusExists(deps.events, deps.stage))
    ? organisationBusName(deps.stage)
    : undefined;
  const expected = [
    ...shorts.map((short) => ({ name: `${prefix}${short}`, bus: undefined as string | undefined })),
    ...(orgBus ? shorts.map((short) => ({ name: `${prefix}org-${short}`, bus: orgBus })) : []),
    { name: `${prefix}sweep`, bus: undefined },
    { name: `${prefix}heartbeat-schedule`, bus: undefined },
  ];
  const deployed = new Map<string, EventRule>();
  for (const bus of orgBus ? [undefined, orgBus] : [undefined]) {
    for (const rule of await listRules(deps.events, prefix, bus))
      deployed.set(`${bus ?? ''}/${rule.Name}`, rule);
  }
  const problems: string[] = [];
  for (const { name, bus } of expected) {
    const rule = deployed.get(`${bus ?? ''}/${name}`);
    if (!rule) {
      problems.push(`${name} missing`);
      continue;
    }
    if (rule.State !== 'ENABLED') {
      problems.push(`${name} ${String(rule.State ?? 'not enabled').toLowerCase()}`);
      continue;
    }
    const targets = await deps.events.send(
      new ListTargetsByRuleCommand({ Rule: name, ...(bus ? { EventBusName: bus } : {}) }),
    );
    if ((targets.Targets ?? []).length === 0) problems.push(`${name} has no target`);
  }
  return problems.length === 0
    ? {
        check: 'event rules',
        state: 'ok',
        detail: `${expected.length} of ${expected.length} enabled with a target${orgBus ? ` (organisation bus ${orgBus} included)` : ''}`,
      }
    : {
        check: 'event rules',
        state: 'degraded',
        detail: `${problems.length} of ${expected.length}: ${problems.join('; ')}`,
      };
}

async function deadLetterChecks(deps: StatusDeps): Promise<StatusCheck[]> {
  return Promise.all(
    DEAD_LETTER_QUEUES.map(async ({ suffix, what }): Promise<StatusCheck> => {
      const name = deadLetterQueueName(deps.stage, suffix);
      try {
        const { QueueUrl } = await deps.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
        const { Attributes = {} } = await deps.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        const depth =
          Number(Attributes.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
        return depth === 0
          ? { check: name, state: 'ok', detail: 'empty' }
          : { check: name, state: 'degraded', detail: `${depth} message(s): ${what}` };
      } catch (error) {
        return {
          check: name,
          state: 'degraded',
          detail: isNotFound(error) ? 'queue not deployed' : `not readable: ${describeAwsError(error)}`,
        };
      }
    }),
  );
}

async function heartbeatCheck(deps: StatusDeps): Promise<StatusCheck> {
  const env = await functionEnvironment(deps.lambda, `phiguard-${deps.stage}-heartbeat`);
  const minutes = Number(env?.PHIGUARD_HEARTBEAT_MINUTES) || DEFAULT_HEARTBEAT_MINUTES;
  const records = await deps.ledger.heartbeats();
  if (records.length === 0) {
    return {
      check: 'heartbeat',
      state: 'degraded',
      detail: env
        ? 'no heartbeat recorded yet: is its schedule enabled?'
        : 'the heartbeat function is not deployed',
    };
  }
  const silent = missingHeartbeats(records, records, deps.now, minutes);
  const last = records
    .map((r) => `${r.account}/${r.region} ${r.arrivedAt ?? 'sent, not arrived yet'}`)
    .sort();
  return silent.length === 0
    ? { check: 'heartbeat', state: 'ok', detail: `every ${minutes} min; last arrival: ${last.join(', ')}` }
    : {
        check: 'heartbeat',
        state: 'degraded',
        detail: `silent for ${3 * minutes} min or more: ${silent.map((s) => `${s.account}/${s.region}${s.lastArrival ? ` (last ${s.lastArrival})` : ' (never arrived)'}`).join(', ')}`,
      };
}

/** `rate(1 hour)` → 60; a cron expression is taken as daily. */
function scheduleMinutes(expression: string | undefined): number {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression ?? '');
  if (!rate) return 24 * 60;
  return Number(rate[1]) * { minute: 1, hour: 60, day: 1440 }[rate[2] as 'minute' | 'hour' | 'day'];
}

async function sweepCheck(deps: StatusDeps): Promise<StatusCheck> {
  let schedule: string | undefined;
  try {
    schedule = (await deps.events.send(new DescribeRuleCommand({ Name: `phiguard-${deps.stage}-sweep` })))
      .ScheduleExpression;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const every = scheduleMinutes(schedule);
  const [last] = await deps.ledger.sweepRuns();
  if (!last)
    return { check: 'last sweep', state: 'degraded', detail: 'no scheduled sweep recorded in 30 days' };
  const age = (deps.now.getTime() - Date.parse(last.startedAt)) / 60_000;
  const summary = `${last.startedAt}: ${last.shardsDone} of ${last.shardsPlanned || '?'} shards, ${last.checked} checked, ${last.findings} finding(s), ${last.errors} error(s)${last.failedAttempts ? `, ${last.failedAttempts} failed attempt(s)` : ''}`;
  const problems = [
    ...(age > 2 * every + 15 ? [`older than two schedule intervals (${schedule ?? 'daily'})`] : []),
    ...(last.errors > 0 ? ['it had errors'] : []),
    ...(last.shardsDone < last.shardsPlanned &&
    (deps.now.getTime() - Date.parse(last.lastShardAt)) / 60_000 > 30
      ? ['shards unfinished for 30 min (see the sweep dead-letter queue)']
      : []),
  ];
  return problems.length === 0
    ? { check: 'last sweep', state: 'ok', detail: summary }
    : { check: 'last sweep', state: 'degraded', detail: `${summary}; ${problems.join('; ')}` };
}

async function ticketsCheck(deps: StatusDeps): Promise<StatusCheck> {
  const entries: HistoryEntry[] = await deps.ledger.history({
    since: new Date(deps.now.getTime() - THIRTY_DAYS_MS).toISOString(),
    limit: 100_000,
  });
  const inTicketSystem = await ticketsOpenInTicketSystems(deps.ledger, entries);
  const open = openTicketPairs(entries, inTicketSystem);
  const fights = new Set(entries.filter((e) => e.fight).map((e) => pairKey(e.rule, e.resource)));
  return {
    check: 'tickets',
    state: 'info',
    detail: `${open.size} open, ${fights.size} fight(s) in the last 30 days (phiguard report for the evidence)`,
  };
}

/** Every check; one that cannot be read is degraded, with the reason, never left out. */
export async function deploymentStatus(deps: StatusDeps): Promise<DeploymentStatus> {
  const guarded = async (
    name: string,
    run: () => Promise<StatusCheck | StatusCheck[]>,
  ): Promise<StatusCheck[]> => {
    try {
      const result = await run();
      return Array.isArray(result) ? result : [result];
    } catch (error) {
      return [{ check: name, state: 'degraded', detail: `could not be read: ${describeAwsError(error)}` }];
    }
  };
  const checks = (
    await Promise.all([
      guarded('mode', () => modeCheck(deps)),
      guarded('event rules', () => eventRulesCheck(deps)),
      guarded('dead-letter queues', () => deadLetterChecks(deps)),
      guarded('heartbeat', () => heartbeatCheck(deps)),
      guarded('last sweep', () => sweepCheck(deps)),
      guarded('tickets', () => ticketsCheck(deps)),
    ])
  ).flat();
  return {
    stage: deps.stage,
    account: deps.account,
    region: deps.region,
    time: deps.now.toISOString(),
    checks,
    healthy: checks.every((c) => c.state !== 'degraded'),
  };
}

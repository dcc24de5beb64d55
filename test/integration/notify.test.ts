import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteBucketCommand, GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type AwsSecurityFinding, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NOTIFIER_LEDGER_ACTIONS, notifierChannelStatements } from '../../infra/stack-fragments';
import { localClients } from '../../local/clients';
import { bucketEvent, inRegion } from '../../local/fixtures';
import { startRecordingProxy } from '../../local/recording-proxy';
import * as seed from '../../local/seed';
import { loadConfig } from '../../src/config';
import { NOTIFICATIONS_NOT_ENQUEUED } from '../../src/engine/settle';
import { DynamoDbLedger } from '../../src/ledger/dynamodb-ledger';
import { initLedgerTable } from '../../src/ledger/init-table';
import type { EngineLogger } from '../../src/logger';
import { buildNotifierDeps } from '../../src/notify/build';
import type { Notification } from '../../src/notify/notification';
import { Notifier } from '../../src/notify/notifier';
import { loadNotifierSettings } from '../../src/notify/settings';
import type { Outcome } from '../../src/outcome';
import { runPhiguard } from '../support/cli';
import { type FakeHttpServer, startFakeHttpServer } from '../support/fake-http';
import { captureFunctionLogs } from '../support/function-logs';
import { lambdaContext, loadHandler, loadNotifierHandler } from '../support/handler';
import { iamActionsOf } from '../support/iam-actions';
import { motoClients, motoEndpoint, REGION, uniqueName, useMoto } from '../support/moto';
import { outcome, recordedNotifications } from '../support/outcomes';
import { queueWithDeadLetters } from '../support/queues';

/**
 * The notifier against local stand-ins for Slack, Jira and ServiceNow (loopback
 * HTTP servers that check each request) and moto for SSM, Secrets Manager, SNS,
 * SQS and DynamoDB. OpsCenter is covered with client mocks (moto lacks it).
 */
const SLACK_PATH = '/services/T0000/B0000/phiguard-webhook-secret';
const JIRA_AUTH = `Basic ${Buffer.from('secops@example.org:jira-token').toString('base64')}`;
const SNOW_AUTH = `Basic ${Buffer.from('phiguard:snow-pass').toString('base64')}`;

let slack: FakeHttpServer;
let jira: FakeHttpServer;
let servicenow: FakeHttpServer;
let env: Record<string, string>;
let sqs: SQSClient;
let topicQueueUrl: string;
let ledger: DynamoDbLedger;
const logged: string[] = [];
const logger: EngineLogger = {
  debug: (m, e) => logged.push(JSON.stringify({ m, ...e })),
  info: (m, e) => logged.push(JSON.stringify({ m, ...e })),
  warn: (m, e) => logged.push(JSON.stringify({ m, ...e })),
  error: (m, e) => logged.push(JSON.stringify({ m, ...e })),
};

async function notifier(extraEnv: Record<string, string> = {}): Promise<Notifier> {
  const all = { ...env, ...extraEnv };
  return new Notifier(
    await buildNotifierDeps(loadNotifierSettings(all), loadConfig(all, '/nonexistent'), logger),
  );
}

function records(notifications: readonly Notification[]) {
  return notifications.map((n, i) => ({ messageId: `m-${i}-${n.id.slice(0, 6)}`, body: JSON.stringify(n) }));
}

const recorded = (outcomes: Outcome[]) => recordedNotifications(ledger, outcomes);

async function topicMessages(): Promise<
  { Subject: string; Message: string; MessageAttributes: Record<string, { Value: string }> }[]
> {
  const found = [];
  for (let i = 0; i < 5; i++) {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: topicQueueUrl, MaxNumberOfMessages: 10 }),
    );
    for (const m of out.Messages ?? []) {
      found.push(JSON.parse(m.Body as string));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: topicQueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
    if ((out.Messages ?? []).length === 0) break;
  }
  return found;
}

/**
 * The notifier Lambda routed to Jira only, draining `queueUrl` the way SQS would feed
 * it: each call delivers what is queued and returns the notifications it delivered.
 */
async function jiraNotifier(queueUrl: string): Promise<() => Promise<Notification[]>> {
  const deliver = await loadNotifierHandler({
    ...env,
    PHIGUARD_NOTIFY_ROUTES: '[{"channels":["jira"]}]',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  return async () => {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    const records = (out.Messages ?? []).map((m) => ({
      messageId: m.MessageId as string,
      body: m.Body as string,
    }));
    expect(await deliver({ Records: records }, lambdaContext)).toEqual({ batchItemFailures: [] });
    return records.map((r) => JSON.parse(r.body) as Notification);
  };
}

const bodies = (server: FakeHttpServer) => server.requests.map((r) => r.raw).join('\n');

beforeAll(async () => {
  const moto = useMoto();
  [slack, jira, servicenow] = await Promise.all([
    startFakeHttpServer(),
    startFakeHttpServer(),
    startFakeHttpServer(),
  ]);
  const suffix = uniqueName('n');
  const ssm = new SSMClient({ region: REGION });
  await ssm.send(
    new PutParameterCommand({
      Name: `/${suffix}/slack`,
      Type: 'SecureString',
      Value: `${slack.url}${SLACK_PATH}`,
    }),
  );
  const secrets = new SecretsManagerClient({ region: REGION });
  await secrets.send(
    new CreateSecretCommand({
      Name: `${suffix}/jira`,
      SecretString: JSON.stringify({ email: 'secops@example.org', apiToken: 'jira-token' }),
    }),
  );
  await secrets.send(
    new CreateSecretCommand({
      Name: `${suffix}/servicenow`,
      SecretString: JSON.stringify({ username: 'phiguard', password: 'snow-pass' }),
    }),
  );
  const sns = new SNSClient({ region: REGION });
  const topic = await sns.send(new CreateTopicCommand({ Name: suffix }));
  sqs = new SQSClient({ region: REGION });
  topicQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${suffix}-topic` })))
    .QueueUrl as string;
  const queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: topicQueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn as string;
  await sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: queueArn }));
  const table = uniqueName('notify-ledger');
  const dynamodb = new DynamoDBClient({ region: REGION });
  await initLedgerTable(dynamodb, table);
  ledger = new DynamoDbLedger(table, dynamodb);
  env = {
    ...moto,
    PHIGUARD_LEDGER_TABLE: table,
    PHIGUARD_SLACK_WEBHOOK: `ssm:/${suffix}/slack`,
    PHIGUARD_SNS_TOPIC_ARN: topic.TopicArn as string,
    PHIGUARD_JIRA_URL: jira.url,
    PHIGUARD_JIRA_PROJECT: 'SEC',
    PHIGUARD_JIRA_SECRET: `secretsmanager:${suffix}/jira`,
    PHIGUARD_SERVICENOW_URL: servicenow.url,
    PHIGUARD_SERVICENOW_SECRET: `secretsmanager:${suffix}/servicenow`,
    PHIGUARD_NOTIFY_TIMEOUT_MS: '300',
    PHIGUARD_NOTIFY_ATTEMPTS: '2',
    PHIGUARD_NOTIFY_MAX_RETRY_AFTER_SECONDS: '1',
  };
});

afterAll(async () => {
  await Promise.all([slack?.close(), jira?.close(), servicenow?.close()]);
});

beforeEach(async () => {
  for (const server of [slack, jira, servicenow]) server.requests.length = 0;
  slack.script(`POST ${SLACK_PATH}`, { status: 200, body: 'ok' });
  let issue = 0;
  jira.script('POST /rest/api/3/issue', () => {
    issue++;
    return { status: 201, body: { id: `1000${issue}`, key: `SEC-${issue}` } };
  });
  jira.script('POST /rest/api/3/issue/SEC-*', { status: 201, body: {} });
  jira.script('GET /rest/api/3/issue/SEC-*', {
    status: 200,
    body: { transitions: [{ id: '31', name: 'Done' }] },
  });
  servicenow.script('POST /api/now/table/incident', {
    status: 201,
    body: { result: { sys_id: 'a1b2c3', number: 'INC0010001' } },
  });
  servicenow.script('PATCH /api/now/table/incident/a1b2c3', { status: 200, body: { result: {} } });
  await topicMessages();
  logged.length = 0;
});

describe('Slack', () => {
  it('sends one Block Kit message with a plain-text fallback, and never twice for one outcome', async () => {
    const n = await recorded([outcome({ resource: `arn:aws:s3:::${uniqueName('slack')}` })]);
    const batch = records(n);
    const first = await (await notifier()).processBatch(batch);
    const again = await (await notifier()).processBatch(batch);
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    expect(slack.requests).toHaveLength(1);
    const [request] = slack.requests;
    expect(request).toMatchObject({ method: 'POST', path: SLACK_PATH });
    expect(request?.headers['content-type']).toBe('application/json');
    const body = request?.body as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(body.text).toContain('Remediated: S3 bucket must not be public');
    expect(body.text).toContain('HIPAA safeguard: §164.312(a)(1)');
    expect(body.text).toContain('Caused by: arn:aws:sts::123456789012:assumed-role/DataEngineer/alice');
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions']);
    expect(JSON.stringify(body.blocks)).toContain('https://s3.console.aws.amazon.com/s3/buckets/');
  });

  it('retries after 429 Retry-After and 5xx, and reports a hanging webhook as a failure to retry later', async () => {
    const [n1, n2, n3] = await recorded([
      outcome({ resource: 'arn:aws:s3:::retry-after' }),
      outcome({ resource: 'arn:aws:s3:::server-error' }),
      outcome({ resource: 'arn:aws:s3:::hanging' }),
    ]);
    slack.script(`POST ${SLACK_PATH}`, (r) =>
      JSON.stringify(r.body).includes('retry-after') &&
      slack.requests.filter((q) => q.raw.includes('retry-after')).length === 1
        ? { status: 429, headers: { 'retry-after': '1' } }
        : JSON.stringify(r.body).includes('server-error') &&
            slack.requests.filter((q) => q.raw.includes('server-error')).length === 1
          ? { status: 503 }
          : JSON.stringify(r.body).includes('hanging')
            ? { hang: true }
            : { status: 200, body: 'ok' },
    );
    const batch = records([n1, n2, n3] as Notification[]);
    const result = await (
      await notifier({ PHIGUARD_NOTIFY_ROUTES: '[{"channels":["slack"]}]' })
    ).processBatch(batch);
    const count = (text: string) => slack.requests.filter((r) => r.raw.includes(text)).length;
    expect(count('retry-after')).toBe(2);
    expect(count('server-error')).toBe(2);
    expect(count('hanging')).toBe(2);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: batch[2]?.messageId }]);
    expect(logged.join('\n')).toContain('timed out after 300 ms');
  });

  it('a permanent failure is retried by the queue and ends in the dead-letter queue, sent to Slack once per receive', async () => {
    slack.script(`POST ${SLACK_PATH}`, { status: 404, body: 'no_service' });
    const { queueUrl, dlqUrl } = await queueWithDeadLetters(sqs, 'notify', 2);
    const [n] = await recorded([outcome({ resource: 'arn:aws:s3:::permanent-failure' })]);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(n) }));
    const instance = await notifier({ PHIGUARD_NOTIFY_ROUTES: '[{"channels":["slack"]}]' });
    // What the Lambda event source mapping does: receive, invoke, delete what succeeded.
    for (let receive = 0; receive < 4; receive++) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      const messages = out.Messages ?? [];
      if (messages.length === 0) continue;
      const result = await instance.processBatch(
        messages.map((m) => ({ messageId: m.MessageId as string, body: m.Body as string })),
      );
      const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
      for (const m of messages) {
        if (!failed.has(m.MessageId as string)) {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
        }
      }
    }
    expect(slack.requests).toHaveLength(2);
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }));
    expect(dead.Messages?.map((m) => JSON.parse(m.Body as string).id)).toEqual([n?.id]);
  });
});

describe('SNS', () => {
  it('publishes the versioned document with a readable subject and filterable attributes', async () => {
    const resource = `arn:aws:s3:::${uniqueName('sns')}`;
    const [n] = await recorded([outcome({ resource, status: 'ticket', reason: 'needs a certificate' })]);
    const result = await (await notifier({ PHIGUARD_NOTIFY_ROUTES: '[{"channels":["sns"]}]' })).processBatch(
      records([n as Notification]),
    );
    expect(result.batchItemFailures).toEqual([]);
    const [message] = await topicMessages();
    expect(message?.Subject).toBe(
      `[PHI Guard] Needs a person: s3-bucket-public-access on ${resource}`.slice(0, 100),
    );
    expect(JSON.parse(message?.Message as string)).toMatchObject({
      version: 1,
      kind: 'needs-person',
      resource,
      rule: 's3-bucket-public-access',
    });
    expect(message?.MessageAttributes).toMatchObject({
      severity: { Value: 'critical' },
      rule: { Value: 's3-bucket-public-access' },
      status: { Value: 'ticket' },
      account: { Value: '123456789012' },
    });
  });
});

describe('tickets', () => {
  it('Jira: the same drift three times opens one issue with two comments; resolution comments and transitions it', async () => {
    const resource = `arn:aws:s3:::${uniqueName('jira')}`;
    const drift = (i: number) =>
      outcome({ resource, status: 'ticket', eventId: `evt-${i}`, reason: 'no HTTPS listener' });
    const batches = [await recorded([drift(1)]), await recorded([drift(2)]), await recorded([drift(3)])];
    const instance = await notifier({ PHIGUARD_NOTIFY_ROUTES: '[{"channels":["jira"]}]' });
    for (const batch of batches)
      expect((await instance.processBatch(records(batch))).batchItemFailures).toEqual([]);

    const calls = jira.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([
      'POST /rest/api/3/issue',
      'POST /rest/api/3/issue/SEC-1/comment',
      'POST /rest/api/3/issue/SEC-1/comment',
    ]);
    for (const request of jira.requests) expect(request.headers.authorization).toBe(JIRA_AUTH);
    expect(jira.requests[0]?.body).toMatchObject({
      fields: {
        project: { key: 'SEC' },
        issuetype: { name: 'Task' },
        priority: { name: 'Highest' },
        summary: `[PHI Guard] Needs a person: s3-bucket-public-access on ${resource}`,
        description: {
          type: 'doc',
          version: 1,
          content: expect.arrayContaining([expect.objectContaining({ type: 'paragraph' })]),
        },
      },
    });
    // The key is in the registry: on the history entries, and the claim knows a ticket is open.
    const history = await ledger.history({ resource });
    expect(history.map((h) => h.ticketKey)).toEqual(['SEC-1', 'SEC-1', 'SEC-1']);
    expect(await ledger.claim('s3-bucket-public-access', resource, 'probe')).toMatchObject({
      ticketOpen: true,
    });

    const resolved = await recorded([
      outcome({ resource, status: 'compliant', ticketOpen: true, actions: [] }),
    ]);
    expect((await instance.processBatch(records(resolved))).batchItemFailures).toEqual([]);
    expect(jira.requests.slice(3).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /rest/api/3/issue/SEC-1/comment',
      'GET /rest/api/3/issue/SEC-1/transitions',
      'POST /rest/api/3/issue/SEC-1/transitions',
    ]);
    expect(jira.requests.at(-1)?.body).toEqual({ transition: { id: '31' } });
  });

  it('ServiceNow: an incident, work notes on recurrence, resolved (state 6) when compliant again', async () => {
    const resource = `arn:aws:s3:::${uniqueName('snow')}`;
    const instance = await notifier({ PHIGUARD_NOTIFY_ROUTES: '[{"channels":["servicenow"]}]' });
    await instance.processBatch(
      records(
        await recorded([
          outcome({ resource, status: 'error', reason: 'PutPublicAccessBlock failed: AccessDenied' }),
        ]),
      ),
    );
    await instance.processBatch(
      records(await recorded([outcome({ resource, status: 'error', eventId: 'evt-2' })])),
    );
    await instance.processBatch(
      records(await recorded([outcome({ resource, status: 'compliant', ticketOpen: true })])),
    );
    expect(servicenow.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/now/table/incident',
      'PATCH /api/now/table/incident/a1b2c3',
      'PATCH /api/now/table/incident/a1b2c3',
    ]);
    for (const request of servicenow.requests) expect(request.headers.authorization).toBe(SNOW_AUTH);
    expect(servicenow.requests[0]?.body).toMatchObject({
      short_description: `[PHI Guard] Remediation failed: s3-bucket-public-access on ${resource}`,
      urgency: '1',
      impact: '1',
      correlation_id: `phiguard:s3-bucket-public-access:${resource}`,
    });
    expect(servicenow.requests[1]?.body).toMatchObject({
      work_notes: expect.stringContaining('Remediation failed again'),
    });
    expect(servicenow.requests[2]?.body).toMatchObject({ state: '6' });
  });
});

describe('digest', () => {
  it('200 outcomes in one burst become one message per channel', async () => {
    const burst = await recorded(
      Array.from({ length: 200 }, (_, i) =>
        outcome({
          resource: `arn:aws:s3:::iac-bucket-${i}`,
          status: i % 4 === 0 ? 'ticket' : 'remediated',
          eventId: `burst-${i}`,
        }),
      ),
    );
    const result = await (
      await notifier({ PHIGUARD_NOTIFY_ROUTES: '[{"channels":["slack","sns"]}]' })
    ).processBatch(records(burst));
    expect(result).toMatchObject({ batchItemFailures: [], digests: 2 });
    expect(slack.requests).toHaveLength(1);
    expect((slack.requests[0]?.body as { text?: string } | undefined)?.text).toBe(
      '[PHI Guard] Digest: 200 outcomes: 50 needs a person, 150 remediated',
    );
    const messages = await topicMessages();
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]?.Message as string)).toMatchObject({ type: 'digest', count: 200 });
    expect(JSON.parse(messages[0]?.Message as string).items).toHaveLength(10);
  });
});

/** Every finding in the emulator's Security Hub, page after page. */
async function allFindings(): Promise<AwsSecurityFinding[]> {
  const all: AwsSecurityFinding[] = [];
  let NextToken: string | undefined;
  do {
    const page = await new SecurityHubClient({ region: 'us-east-1' }).send(
      new GetFindingsCommand({ NextToken, MaxResults: 100 }),
    );
    all.push(...(page.Findings ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

describe('Security Hub (moto implements BatchImportFindings and GetFindings)', () => {
  it('a burst of 250 outcomes becomes 250 findings, 100 per import; a redelivery imports nothing twice', async () => {
    const prefix = uniqueName('hub');
    const burst = await recorded(
      Array.from({ length: 250 }, (_, i) =>
        outcome({
          resource: `arn:aws:s3:::${prefix}-${i}`,
          status: i % 5 === 0 ? 'ticket' : 'remediated',
          eventId: `${prefix}-${i}`,
        }),
      ),
    );
    const hubNotifier = await notifier({
      PHIGUARD_SECURITY_HUB: 'true',
      PHIGUARD_NOTIFY_ROUTES: '[{"channels":["securityhub"]}]',
    });
    expect(await hubNotifier.processBatch(records(burst))).toMatchObject({
      batchItemFailures: [],
      digests: 1,
    });
    const findings = async () =>
      (await allFindings()).filter((f) => f.Resources?.[0]?.Id?.startsWith(`arn:aws:s3:::${prefix}-`));
    const first = await findings();
    expect(first).toHaveLength(250);
    expect(first.filter((f) => f.Compliance?.Status === 'FAILED')).toHaveLength(50);
    expect(first.filter((f) => f.Workflow?.Status === 'RESOLVED')).toHaveLength(200);
    expect(await hubNotifier.processBatch(records(burst))).toMatchObject({ batchItemFailures: [] });
    expect(await findings()).toHaveLength(250);
  });
});

describe('least privilege on the wire', () => {
  it('every AWS call of the notifier (secrets, topic, markers, tickets, digests) is an action its role is granted', async () => {
    const proxy = await startRecordingProxy(motoEndpoint());
    const direct = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    try {
      const resource = `arn:aws:s3:::${uniqueName('iam-notify')}`;
      // Generous time-outs: this test is about which calls are made, not about slow channels.
      const patient = { PHIGUARD_NOTIFY_TIMEOUT_MS: '5000', PHIGUARD_NOTIFY_ATTEMPTS: '3' };
      // The default routes: findings to the ticket sinks, everything real to Slack and the topic.
      const instance = await notifier(patient);
      const deliver = async (outcomes: Outcome[]) =>
        expect((await instance.processBatch(records(await recorded(outcomes)))).batchItemFailures).toEqual(
          [],
        );
      // Tickets opened, the same drift again, resolved; then a burst that becomes digests.
      await deliver([outcome({ resource, status: 'ticket', eventId: 'iam-1' })]);
      await deliver([outcome({ resource, status: 'ticket', eventId: 'iam-2' })]);
      await deliver([outcome({ resource, status: 'compliant', ticketOpen: true, actions: [] })]);
      await deliver(
        Array.from({ length: 25 }, (_, i) =>
          outcome({ resource: `${resource}-${i}`, status: 'remediated', eventId: `iam-burst-${i}` }),
        ),
      );
      // A notifier reads its channel secrets once per process (Powertools caches them), so
      // fresh processes read them here (an SSM parameter, a Secrets Manager secret): the
      // CLI's test messages take the notifier's path.
      const dir = mkdtempSync(join(tmpdir(), 'phiguard-iam-notify-'));
      for (const channel of ['slack', 'jira']) {
        const run = await runPhiguard(['notify', 'test', '--channel', channel], {
          env: { ...env, ...patient, AWS_ENDPOINT_URL: proxy.endpoint },
          cwd: dir,
        });
        expect(run.code, run.stderr).toBe(0);
      }
    } finally {
      process.env.AWS_ENDPOINT_URL = direct;
      await proxy.close();
    }
    expect(jira.requests.map((r) => `${r.method} ${r.path}`)).toContain(
      'POST /rest/api/3/issue/SEC-1/transitions',
    );

    const used = new Set(proxy.calls.flatMap(iamActionsOf));
    const granted = new Set([
      ...NOTIFIER_LEDGER_ACTIONS,
      'sns:Publish',
      ...notifierChannelStatements(env).flatMap((statement) => statement.Action),
    ]);
    expect([...used].filter((action) => action.startsWith('dynamodb:')).length).toBeGreaterThanOrEqual(4);
    expect(used).toContain('sns:Publish');
    expect(used).toContain('secretsmanager:GetSecretValue');
    expect(used).toContain('ssm:GetParameter');
    expect([...used].filter((action) => !granted.has(action))).toEqual([]);
  });
});

describe('no PHI', () => {
  it('the canary in an object key, a tag value and a policy body reaches no message, ticket or log line', async () => {
    const CANARY = 'CANARY-PHI-5d1e';
    const params = {
      Bucket: 'phi-claims',
      Policy: `{"Resource":"arn:aws:s3:::phi-claims/${CANARY}/*"}`,
      Key: `${CANARY}/patient-0042.pdf`,
      TagSpecifications: [{ Tags: [{ Key: 'mrn', Value: CANARY }] }],
    };
    const resource = `arn:aws:s3:::${uniqueName('canary')}`;
    const n = await recorded([
      outcome({ resource, status: 'ticket', actions: [{ service: 's3', api: 'PutBucketPolicy', params }] }),
      outcome({
        resource: `${resource}-2`,
        status: 'remediated',
        actions: [{ service: 's3', api: 'PutBucketPolicy', params }],
      }),
    ]);
    const result = await (
      await notifier({ PHIGUARD_NOTIFY_ROUTES: '[{"channels":["slack","sns","jira","servicenow"]}]' })
    ).processBatch(records(n));
    expect(result.batchItemFailures).toEqual([]);
    expect(slack.requests.length + jira.requests.length + servicenow.requests.length).toBeGreaterThanOrEqual(
      4,
    );
    const everything = [
      bodies(slack),
      bodies(jira),
      bodies(servicenow),
      JSON.stringify(await topicMessages()),
      logged.join('\n'),
    ];
    for (const text of everything) expect(text).not.toContain(CANARY);
  });
});

describe('phiguard notify test', () => {
  it('sends a clearly marked message through the real path; unknown channels are refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phiguard-notify-'));
    const slackRun = await runPhiguard(['notify', 'test', '--channel', 'slack'], { env, cwd: dir });
    expect(slackRun).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('sent a test message to slack'),
    });
    expect((slack.requests[0]?.body as { text?: string } | undefined)?.text).toMatch(
      /^\[TEST\] |This is a test message/m,
    );
    const jiraRun = await runPhiguard(['notify', 'test', '--channel', 'jira'], { env, cwd: dir });
    expect(jiraRun.code).toBe(0);
    expect(
      (jira.requests[0]?.body as { fields?: { summary?: string } } | undefined)?.fields?.summary,
    ).toMatch(/^\[TEST\] \[PHI Guard\]/);
    const hubRun = await runPhiguard(['notify', 'test', '--channel', 'securityhub'], {
      env: { ...env, PHIGUARD_SECURITY_HUB: 'true' },
      cwd: dir,
    });
    expect(hubRun).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('sent a test message to securityhub'),
    });
    // moto's GetFindings ignores filters: every page is read.
    const Findings = await allFindings();
    expect(Findings?.map((f) => f.Title)).toContain('PHI Guard wiring test (no resource was changed)');
    const bad = await runPhiguard(['notify', 'test', '--channel', 'pager'], { env, cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--channel must be one of slack, slack-review, sns, securityhub, jira, servicenow, opscenter/,
    );
  });
});

describe('end to end: the remediation Lambda enqueues, the notifier Lambda delivers', () => {
  // Each bucket here has one drift, public access (an event evaluates every rule of the bucket).
  const publicAccess = (result: { outcomes: { rule: string; status: string }[] }) =>
    result.outcomes.find((o) => o.rule === 's3-bucket-public-access')?.status;

  it('a fixed public bucket reaches Slack once through the queue, the fix never waiting on Slack', async () => {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('e2e-notify') })))
      .QueueUrl as string;
    const bucket = uniqueName('e2e-bucket');
    const clients = motoClients();
    await seed.createOpenBucket(clients.s3(), bucket);
    // Slack is down while the fix happens: the remediation must not care.
    slack.script(`POST ${SLACK_PATH}`, { status: 503 });
    const remediate = await loadHandler({
      ...env,
      PHIGUARD_DRY_RUN: 'false',
      PHIGUARD_NOTIFY_QUEUE_URL: queueUrl,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const result = await remediate(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext);
    expect(publicAccess(result)).toBe('remediated');
    expect(slack.requests).toHaveLength(0);

    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(received.Messages).toHaveLength(1);
    slack.script(`POST ${SLACK_PATH}`, { status: 200, body: 'ok' });
    const deliver = await loadNotifierHandler({
      ...env,
      PHIGUARD_NOTIFY_ROUTES: '[{"channels":["slack"]}]',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const records = (received.Messages ?? []).map((m) => ({
      messageId: m.MessageId as string,
      body: m.Body as string,
    }));
    expect(await deliver({ Records: records }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(await deliver({ Records: records }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(slack.requests).toHaveLength(1);
    expect((slack.requests[0]?.body as { text?: string } | undefined)?.text).toContain(
      `Resource: arn:aws:s3:::${bucket}`,
    );
  });

  it('a queue that refuses the notification: the fix stands, the event completes, and the line the stack alarms on is logged', async () => {
    const bucket = uniqueName('e2e-unqueued');
    await seed.createOpenBucket(motoClients().s3(), bucket);
    const { result, entries } = await captureFunctionLogs(async () => {
      const remediate = await loadHandler({
        ...env,
        PHIGUARD_DRY_RUN: 'false',
        // A queue that does not exist: SQS answers with an error, as it would for a deleted queue.
        PHIGUARD_NOTIFY_QUEUE_URL: `${motoEndpoint()}/123456789012/${uniqueName('missing-queue')}`,
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      });
      return remediate(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext);
    });
    expect(publicAccess(result)).toBe('remediated');
    const blocked = await motoClients()
      .s3()
      .send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(blocked.PublicAccessBlockConfiguration?.BlockPublicPolicy).toBe(true);
    // The stack's metric filter matches `{ $.message = "<this>" }` in the function's JSON log.
    const lost = entries.filter((entry) => entry.message === NOTIFICATIONS_NOT_ENQUEUED);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ level: 'ERROR', notifications: 1, rules: ['s3-bucket-public-access'] });
  });

  it('when a ticketed resource is found compliant again, the engine says so and the ticket closes', async () => {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('e2e-resolve') })))
      .QueueUrl as string;
    const bucket = uniqueName('e2e-ticket');
    const clients = motoClients();
    await seed.createOpenBucket(clients.s3(), bucket);
    const engineEnv = { ...env, PHIGUARD_NOTIFY_QUEUE_URL: queueUrl, POWERTOOLS_LOG_LEVEL: 'SILENT' };
    // Ticket mode: PHI Guard reports, a person fixes.
    const report = await loadHandler({
      ...engineEnv,
      PHIGUARD_DRY_RUN: 'false',
      PHIGUARD_RULE_MODES: 's3-bucket-public-access=ticket',
    });
    expect(
      publicAccess(await report(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext)),
    ).toBe('ticket');
    const deliverAll = await jiraNotifier(queueUrl);
    const drain = async () => (await deliverAll()).map((n) => n.kind);
    expect(await drain()).toEqual(['needs-person']);
    expect(jira.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /rest/api/3/issue']);

    // The person fixes it; the next event finds it compliant and the open ticket is resolved.
    await seed.blockPublicAccess(clients.s3(), bucket);
    expect(
      publicAccess(await report(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext)),
    ).toBe('compliant');
    expect(await drain()).toEqual(['resolved']);
    expect(jira.requests.slice(1).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /rest/api/3/issue/SEC-1/comment',
      'GET /rest/api/3/issue/SEC-1/transitions',
      'POST /rest/api/3/issue/SEC-1/transitions',
    ]);
    // Closed: a further compliant event is no news.
    await report(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext);
    expect(await drain()).toEqual([]);
  });

  it('when a person fixes a ticketed resource and no event comes, the sweep resolves the ticket', async () => {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('sweep-resolve') })))
      .QueueUrl as string;
    // A region of its own: the sweep lists every bucket of it.
    const region = 'eu-central-1';
    const s3 = localClients(region).s3();
    const bucket = uniqueName('sweep-ticket');
    await seed.createOpenBucket(s3, bucket);
    const engineEnv = {
      ...env,
      PHIGUARD_NOTIFY_QUEUE_URL: queueUrl,
      PHIGUARD_RULE_MODES: 's3-bucket-public-access=ticket',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    };
    const report = await loadHandler({ ...engineEnv, PHIGUARD_DRY_RUN: 'false' });
    const event = inRegion(bucketEvent('s3/PutBucketAcl.public-read', bucket), region);
    expect(publicAccess(await report(event, lambdaContext))).toBe('ticket');
    const deliverAll = await jiraNotifier(queueUrl);
    const drain = async () => (await deliverAll()).map((n) => `${n.kind} ${n.resource}`);
    expect(await drain()).toEqual([`needs-person arn:aws:s3:::${bucket}`]);
    const opened = jira.requests.length;

    // Fixed by hand, and the event of it lost: the hourly sweep finds the bucket compliant,
    // learns from the registry that a ticket is open, and settles it under the claim.
    await seed.blockPublicAccess(s3, bucket);
    const sweep = await runPhiguard(
      ['scan', '--region', region, '--rule', 's3-bucket-public-access', '--format', 'json'],
      { env: engineEnv, cwd: mkdtempSync(join(tmpdir(), 'phiguard-sweep-')) },
    );
    expect(sweep.code).toBe(0);
    expect(JSON.parse(sweep.stdout).outcomes).toMatchObject([
      { resource: `arn:aws:s3:::${bucket}`, status: 'compliant' },
    ]);
    expect(await drain()).toEqual([`resolved arn:aws:s3:::${bucket}`]);
    expect(jira.requests.slice(opened).map((r) => `${r.method} ${r.path}`)).toEqual([
      expect.stringMatching(/^POST \/rest\/api\/3\/issue\/SEC-\d+\/comment$/),
      expect.stringMatching(/^GET \/rest\/api\/3\/issue\/SEC-\d+\/transitions$/),
      expect.stringMatching(/^POST \/rest\/api\/3\/issue\/SEC-\d+\/transitions$/),
    ]);
    // Settled: the next sweep has nothing to say.
    await runPhiguard(['scan', '--region', region, '--rule', 's3-bucket-public-access'], {
      env: engineEnv,
      cwd: mkdtempSync(join(tmpdir(), 'phiguard-sweep-')),
    });
    expect(await drain()).toEqual([]);
  });
});

describe('a bucket named like PHI, end to end', () => {
  it('its name reaches no registry item, log line, queued message, channel or ticket; the operator’s terminal shows it', async () => {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('phi-name') })))
      .QueueUrl as string;
    const bucket = uniqueName('patient-123-45-6789');
    // A Region no other test sweeps: every sweep of its Region would ticket this bucket too.
    const region = 'me-central-1';
    const s3 = localClients(region).s3();
    await seed.createOpenBucket(s3, bucket);
    const event = () => inRegion(bucketEvent('s3/CreateBucket.basic', bucket), region);
    const key = { PHIGUARD_NAME_REDACTION_KEY: 'e2e-redaction-key-0123456789abcdef0123' };
    try {
      // The event function, logging everything it would log in Lambda.
      const handled = await captureFunctionLogs(async () => {
        const remediate = await loadHandler({
          ...env,
          ...key,
          PHIGUARD_DRY_RUN: 'false',
          // An earlier test's modes would stay in the process otherwise.
          PHIGUARD_RULE_MODES: undefined,
          PHIGUARD_NOTIFY_QUEUE_URL: queueUrl,
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
        });
        return remediate(event(), lambdaContext);
      });
      const byRule = Object.fromEntries(handled.result.outcomes.map((o) => [o.rule, o]));
      const redacted = byRule['s3-bucket-name-phi']?.resource as string;
      expect(byRule['s3-bucket-name-phi']).toMatchObject({ status: 'ticket' });
      expect(redacted).toMatch(/^arn:aws:s3:::\[redacted:[0-9a-f]{12}\]$/);
      // The rest of the bucket is fixed as usual, on the real bucket, under the same redacted ARN.
      expect(byRule['s3-bucket-public-access']?.status).toBe('remediated');
      expect(new Set(handled.result.outcomes.map((o) => o.resource))).toEqual(new Set([redacted]));
      const blocked = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
      expect(blocked.PublicAccessBlockConfiguration?.BlockPublicPolicy).toBe(true);

      // The notifier delivers what was queued to every channel.
      const queued: { messageId: string; body: string }[] = [];
      for (let i = 0; i < 5; i++) {
        const out = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
        );
        if ((out.Messages ?? []).length === 0) break;
        queued.push(
          ...(out.Messages ?? []).map((m) => ({ messageId: m.MessageId as string, body: m.Body as string })),
        );
      }
      expect(queued.length).toBeGreaterThan(0);
      const delivered = await captureFunctionLogs(async () => {
        const deliver = await loadNotifierHandler({
          ...env,
          PHIGUARD_NOTIFY_ROUTES: '[{"channels":["slack","sns","jira","servicenow"]}]',
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
        });
        return deliver({ Records: queued }, lambdaContext);
      });
      expect(delivered.result).toEqual({ batchItemFailures: [] });
      // The name ticket was opened, under the redacted ARN.
      expect(bodies(jira)).toContain(redacted.replace('arn:aws:s3:::', ''));

      const registry = await new DynamoDBClient({ region: REGION }).send(
        new ScanCommand({ TableName: env.PHIGUARD_LEDGER_TABLE }),
      );
      const registryText = JSON.stringify(registry.Items);
      expect(registryText).toContain(redacted);
      const everywhere = {
        'the function result': JSON.stringify(handled.result),
        'the event function logs': handled.text,
        'the queued messages': queued.map((m) => m.body).join('\n'),
        'the notifier logs': delivered.text,
        'the registry': registryText,
        slack: bodies(slack),
        jira: bodies(jira),
        servicenow: bodies(servicenow),
        sns: JSON.stringify(await topicMessages()),
      };
      for (const [where, text] of Object.entries(everywhere)) {
        expect(text, where).not.toContain(bucket);
        expect(text, where).not.toContain('123-45-6789');
      }

      // The operator replaying the event on their own terminal sees which bucket it is.
      const dir = mkdtempSync(join(tmpdir(), 'phiguard-phi-name-'));
      const file = join(dir, 'event.json');
      writeFileSync(file, JSON.stringify(event()));
      const replay = await runPhiguard(['invoke', file, '--json'], { env: { ...env, ...key }, cwd: dir });
      expect(replay.stdout).toContain(`"resource": "arn:aws:s3:::${bucket}"`);
      expect(replay.stdout).not.toContain('[redacted:');
      // And asks the registry's history by the real ARN, reading it back as such.
      const history = await runPhiguard(['history', '--resource', `arn:aws:s3:::${bucket}`, '--json'], {
        env: { ...env, ...key },
        cwd: dir,
      });
      const entries = JSON.parse(history.stdout) as { rule: string; resource: string }[];
      expect(entries.map((e) => e.rule)).toContain('s3-bucket-name-phi');
      expect(new Set(entries.map((e) => e.resource))).toEqual(new Set([`arn:aws:s3:::${bucket}`]));
    } finally {
      // Best effort: the fixes left it versioned and logging, which moto may refuse to delete.
      await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    }
  });
});

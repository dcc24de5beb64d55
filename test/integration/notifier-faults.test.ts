import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultInjector, seededRandom } from '../../local/fault-injection';
import { emulatorEnv } from '../../local/moto-server';
import {
  type InjectedFault,
  type RecordedCall,
  type RecordingProxy,
  startRecordingProxy,
} from '../../local/recording-proxy';
import { DynamoDbLedger } from '../../src/ledger/dynamodb-ledger';
import { initLedgerTable } from '../../src/ledger/init-table';
import type { Notification } from '../../src/notify/notification';
import { SqsNotificationPublisher } from '../../src/notify/queue-publisher';
import type { Outcome } from '../../src/outcome';
import { type FakeHttpServer, type Reply, startFakeHttpServer } from '../support/fake-http';
import { lambdaContext, loadNotifierHandler } from '../support/handler';
import { motoEndpoint, REGION, uniqueName, useMoto } from '../support/moto';
import { outcome, recordedNotifications } from '../support/outcomes';
import { queueWithDeadLetters } from '../support/queues';

/**
 * The notifier under faults (issue 15): 30 % of the calls to SQS (the engine queueing
 * notifications), DynamoDB (delivery markers, tickets) and SNS fail with each
 * protocol's real throttling and server errors or dropped connections — SQS and
 * DynamoDB writes also lose their answers after acting — and 30 % of the requests to
 * Slack and Jira are answered 429 or 503 or dropped. The deployed notifier handler
 * drains the queue the way Lambda's event source mapping does (redrive after five
 * receives). Every notification must reach every channel exactly once, or end in
 * the dead-letter queue having reached it at most once; read back from the stand-ins
 * and the emulator, never from the notifier's own report.
 *
 * SNS, Slack and Jira take no idempotency key, so a send whose answer is lost after
 * the service acted is sent again by any client: those faults are resets before the
 * service acts (`answersKept`). The README's "Faults" section says so.
 */
const SLACK_PATH = '/services/T0000/B0000/phiguard-faults';
const NOTIFICATIONS = 20;
const FAULT_RATE = 0.3;
const MAX_RECEIVES = 5;

let proxy: RecordingProxy;
let fault: ((call: RecordedCall) => InjectedFault | undefined) | undefined;
let slack: FakeHttpServer;
let jira: FakeHttpServer;
let direct: SQSClient;
let env: Record<string, string>;
let topicQueueUrl: string;
let ledger: DynamoDbLedger;
let table: string;

/** 30 % of a stand-in's requests fail: three in four 429, then 503, then a dropped connection. */
function flaky(random: () => number, ok: () => Reply): () => Reply {
  return () => {
    if (random() >= FAULT_RATE) return ok();
    const kind = random();
    if (kind < 0.75) return { status: 429, headers: { 'retry-after': '0' } };
    if (kind < 0.9) return { status: 503 };
    return { reset: true };
  };
}

async function drain(queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let empty = 0; empty < 2; ) {
    const out = await direct.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = out.Messages ?? [];
    empty = messages.length === 0 ? empty + 1 : 0;
    all.push(...messages);
    for (const m of messages) {
      await direct.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return all;
}

const recorded = (outcomes: Outcome[]) => recordedNotifications(ledger, outcomes);

beforeAll(async () => {
  const moto = useMoto();
  direct = new SQSClient({ region: REGION, endpoint: motoEndpoint() });
  [slack, jira] = await Promise.all([startFakeHttpServer(), startFakeHttpServer()]);
  const suffix = uniqueName('nf');
  await new SSMClient({ region: REGION }).send(
    new PutParameterCommand({
      Name: `/${suffix}/slack`,
      Type: 'SecureString',
      Value: `${slack.url}${SLACK_PATH}`,
    }),
  );
  await new SecretsManagerClient({ region: REGION }).send(
    new CreateSecretCommand({
      Name: `${suffix}/jira`,
      SecretString: JSON.stringify({ email: 'secops@example.org', apiToken: 'jira-token' }),
    }),
  );
  const topicArn = (await new SNSClient({ region: REGION }).send(new CreateTopicCommand({ Name: suffix })))
    .TopicArn as string;
  topicQueueUrl = (await direct.send(new CreateQueueCommand({ QueueName: `${suffix}-topic` })))
    .QueueUrl as string;
  const topicQueueArn = (
    await direct.send(
      new GetQueueAttributesCommand({ QueueUrl: topicQueueUrl, AttributeNames: ['QueueArn'] }),
    )
  ).Attributes?.QueueArn as string;
  await new SNSClient({ region: REGION }).send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: topicQueueArn }),
  );
  table = uniqueName('notify-faults-ledger');
  const dynamodb = new DynamoDBClient({ region: REGION });
  await initLedgerTable(dynamodb, table);
  ledger = new DynamoDbLedger(table, dynamodb);
  proxy = await startRecordingProxy(moto.AWS_ENDPOINT_URL as string, {
    fault: (call) => fault?.(call),
  });
  env = {
    // The notifier's AWS calls (markers, tickets, SNS, its secrets) go through the proxy.
    ...emulatorEnv(proxy.endpoint, REGION),
    PHIGUARD_LEDGER_TABLE: table,
    PHIGUARD_SLACK_WEBHOOK: `ssm:/${suffix}/slack`,
    PHIGUARD_SNS_TOPIC_ARN: topicArn,
    PHIGUARD_JIRA_URL: jira.url,
    PHIGUARD_JIRA_PROJECT: 'SEC',
    PHIGUARD_JIRA_SECRET: `secretsmanager:${suffix}/jira`,
    PHIGUARD_NOTIFY_ROUTES: '[{"channels":["slack","sns","jira"]}]',
    PHIGUARD_DIGEST_THRESHOLD: '1000',
    // Far above the stand-ins' answer time: a time-out after a stand-in acted would be a
    // lost answer, which these channels cannot tell from a failure (see above).
    PHIGUARD_NOTIFY_TIMEOUT_MS: '15000',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
});

afterAll(async () => {
  await Promise.all([proxy?.close(), slack?.close(), jira?.close()]);
});

describe('the notifier at 30 % faults', () => {
  it('on SQS, DynamoDB, SNS, Slack and Jira: every notification reaches every channel exactly once, or ends in the dead-letter queue having reached it at most once', async () => {
    const random = seededRandom(15);
    slack.script(
      `POST ${SLACK_PATH}`,
      flaky(random, () => ({ status: 200, body: 'ok' })),
    );
    let issue = 0;
    jira.script(
      'POST /rest/api/3/issue',
      flaky(random, () => {
        issue++;
        return { status: 201, body: { id: `2000${issue}`, key: `SEC-${issue}` } };
      }),
    );
    const { queueUrl, dlqUrl } = await queueWithDeadLetters(direct, 'faults-notify', MAX_RECEIVES);
    const resources = Array.from({ length: NOTIFICATIONS }, (_, i) => `arn:aws:s3:::${uniqueName(`nf${i}`)}`);
    const notifications = await recorded(
      resources.map((resource, i) =>
        outcome({ resource, status: 'ticket', reason: 'needs a person', eventId: `evt-nf-${i}` }),
      ),
    );

    const injector = faultInjector({
      seed: 15,
      rates: { sqs: FAULT_RATE, dynamodb: FAULT_RATE, sns: FAULT_RATE },
      answersKept: ['sns'],
    });
    fault = injector.fault;
    try {
      // The engine's side: queued through the proxy, a few at a time as events settle.
      const publisher = new SqsNotificationPublisher(
        new SQSClient({ region: REGION, endpoint: proxy.endpoint }),
        queueUrl,
      );
      for (let i = 0; i < notifications.length; i += 4)
        await publisher.publish(notifications.slice(i, i + 4));

      // Lambda's side: receive, invoke, delete what the handler did not report as failed.
      const deliver = await loadNotifierHandler(env);
      for (let round = 0, empty = 0; empty < 2 && round < 200; round++) {
        const out = await direct.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
        );
        const messages = out.Messages ?? [];
        empty = messages.length === 0 ? empty + 1 : 0;
        if (messages.length === 0) continue;
        const result = await deliver(
          { Records: messages.map((m) => ({ messageId: m.MessageId as string, body: m.Body as string })) },
          lambdaContext,
        );
        const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
        for (const m of messages) {
          if (!failed.has(m.MessageId as string))
            await direct.send(
              new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }),
            );
        }
      }
    } finally {
      fault = undefined;
    }

    const deadLettered = new Set(
      (await drain(dlqUrl)).map((m) => (JSON.parse(m.Body as string) as Notification).id),
    );
    const onTopic = (await drain(topicQueueUrl)).map((m) => JSON.parse(JSON.parse(m.Body as string).Message));
    const delivered = {
      slack: (r: string) => slack.requests.filter((q) => q.answered === 200 && q.raw.includes(r)).length,
      jira: (r: string) => jira.requests.filter((q) => q.answered === 201 && q.raw.includes(r)).length,
      sns: (r: string) => onTopic.filter((m) => m.resource === r).length,
    };
    const wrong: string[] = [];
    for (const n of notifications) {
      for (const [channel, count] of Object.entries(delivered)) {
        const times = count(n.resource);
        if (times === 1 || (times === 0 && deadLettered.has(n.id))) continue;
        wrong.push(
          `${channel} got ${n.resource} ${times} time(s)${deadLettered.has(n.id) ? ' (dead-lettered)' : ''}`,
        );
      }
    }
    expect(wrong).toEqual([]);
    // The faults were real and many, and the retries, not luck, carried the deliveries.
    expect(injector.stats.throttled + injector.stats.serverErrors).toBeGreaterThan(20);
    expect(injector.stats.lostAnswers + injector.stats.resets).toBeGreaterThan(2);
    expect(slack.requests.filter((q) => q.answered !== 200).length).toBeGreaterThan(3);
    expect(deadLettered.size).toBeLessThanOrEqual(1);
  }, 120_000);
});

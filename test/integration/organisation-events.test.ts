import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { centralEventBusName } from '../../infra/central-event-bus';
import { eventFunctions } from '../../infra/event-function-stack';
import { queueEvent } from '../../local/fixtures';
import { initLedgerTable } from '../../src/ledger/init-table';
import { lambdaContext, loadEmulatorHandler } from '../support/handler';
import { accountClientConfig, deployMemberTemplate } from '../support/member-account';
import { ACCOUNT, REGION, uniqueName, useMoto } from '../support/moto';

/**
 * The organisation's event path end to end, against moto: a member account's
 * drift event goes from its default bus, through the member template's forwarding
 * rule, to the central bus; the central stack's generated rule on that bus hands it
 * on (here to a queue standing in for the event function); the event function then
 * fixes the drift in the member account through its member role.
 */
const MEMBER = '345678901234';
const MEMBER_REGION = 'us-west-2';
const stage = uniqueName('org').replace(/[^a-z0-9-]/g, '');
let central: EventBridgeClient;
let centralSqs: SQSClient;
let memberSqs: SQSClient;
let memberEvents: EventBridgeClient;
let sink: string;
let table: string;

beforeAll(async () => {
  useMoto();
  central = new EventBridgeClient(await accountClientConfig(ACCOUNT, REGION));
  const sinkSqs = new SQSClient(await accountClientConfig(ACCOUNT, REGION));
  sink =
    (await sinkSqs.send(new CreateQueueCommand({ QueueName: uniqueName('central-sink') }))).QueueUrl ?? '';
  const { Attributes } = await sinkSqs.send(
    new GetQueueAttributesCommand({ QueueUrl: sink, AttributeNames: ['QueueArn'] }),
  );

  // The central stack's organisation bus and, on it, each event function's generated rule.
  const bus = centralEventBusName(stage);
  await central.send(new CreateEventBusCommand({ Name: bus }));
  await central.send(
    new PutPermissionCommand({
      EventBusName: bus,
      Action: 'events:PutEvents',
      Principal: MEMBER,
      StatementId: 'member',
    }),
  );
  for (const fn of Object.values(eventFunctions({ stage, extraSelfPrincipals: '' }))) {
    const onBus = fn.events.map((e) => e.eventBridge).find((e) => 'eventBus' in e);
    if (!onBus) throw new Error(`${fn.name} has no rule on the organisation bus`);
    await central.send(
      new PutRuleCommand({
        Name: onBus.name,
        EventBusName: bus,
        EventPattern: JSON.stringify(onBus.pattern),
      }),
    );
    await central.send(
      new PutTargetsCommand({
        Rule: onBus.name,
        EventBusName: bus,
        Targets: [{ Id: 'function', Arn: Attributes?.QueueArn }],
      }),
    );
  }

  const member = await deployMemberTemplate(MEMBER, MEMBER_REGION, {
    CentralAccountId: ACCOUNT,
    CentralRegion: REGION,
    Stage: stage,
    RoleRegion: MEMBER_REGION,
  });
  memberEvents = new EventBridgeClient(member);
  memberSqs = new SQSClient(member);
  centralSqs = new SQSClient(await accountClientConfig(ACCOUNT, MEMBER_REGION));
  table = uniqueName('org-ledger');
  await initLedgerTable(new DynamoDBClient({ region: REGION }), table);
}, 60_000);

/** As CloudTrail hands a record to the account's default bus. */
const putOnDefaultBus = (detail: Record<string, unknown>) =>
  memberEvents.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: `aws.${String(detail.eventSource).replace('.amazonaws.com', '')}`,
          DetailType: 'AWS API Call via CloudTrail',
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );

async function arrived(): Promise<unknown[]> {
  const { Messages } = await new SQSClient({ region: REGION }).send(
    new ReceiveMessageCommand({ QueueUrl: sink, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  for (const m of Messages ?? []) {
    await new SQSClient({ region: REGION }).send(
      new DeleteMessageCommand({ QueueUrl: sink, ReceiptHandle: m.ReceiptHandle }),
    );
  }
  return (Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}'));
}

const encryption = async (client: SQSClient, name: string) => {
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
  const out = await client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['SqsManagedSseEnabled'] }),
  );
  return out.Attributes?.SqsManagedSseEnabled;
};

describe('an organisation member account, against moto', () => {
  it("forwards its drift event to the central bus, where the event function fixes it in the member account's Region", async () => {
    const name = uniqueName('phi-intake');
    const unencrypted = { QueueName: name, Attributes: { SqsManagedSseEnabled: 'false' } };
    await memberSqs.send(new CreateQueueCommand(unencrypted));
    await centralSqs.send(new CreateQueueCommand(unencrypted));
    const record = queueEvent(
      'sqs/SetQueueAttributes.sse-off',
      `arn:aws:sqs:${MEMBER_REGION}:${MEMBER}:${name}`,
    );
    record.detail.recipientAccountId = MEMBER;

    await putOnDefaultBus(record.detail);
    // An API call no rule listens to stays in the member account.
    await putOnDefaultBus({ ...record.detail, eventName: 'GetQueueAttributes' });
    const envelopes = await arrived();
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]).toMatchObject({
      'detail-type': 'AWS API Call via CloudTrail',
      detail: { eventName: 'SetQueueAttributes', recipientAccountId: MEMBER },
    });

    const handler = await loadEmulatorHandler(table);
    const result = await handler(envelopes[0], lambdaContext);
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        rule: 'sqs-queue-encrypted',
        status: 'remediated',
        resource: `arn:aws:sqs:${MEMBER_REGION}:${MEMBER}:${name}`,
      }),
    ]);
    expect(await encryption(memberSqs, name)).toBe('true');
    expect(await encryption(centralSqs, name)).toBe('false');
  });
});

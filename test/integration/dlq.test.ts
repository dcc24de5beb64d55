import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketEvent } from '../../local/fixtures';
import { emulatorEnv } from '../../local/moto-server';
import * as seed from '../../local/seed';
import { type StandInDeployment, seedStandInDeployment } from '../../local/seed-deployment';
import { runPhiguard } from '../support/cli';
import { ACCOUNT, motoClients, motoEndpoint, REGION, uniqueName, useMoto } from '../support/moto';

/**
 * `phiguard dlq list` and `redrive` against the stand-in deployment's queues in moto,
 * holding what Lambda's on-failure destination and EventBridge's target dead letter
 * put there: the list names each without payloads and leaves the queue as it was;
 * a redrive fixes what the events named and deletes only what it processed.
 */
const STAGE = `dl${Math.random().toString(36).slice(2, 8)}`;
let deployment: StandInDeployment;
let env: Record<string, string>;
const sqs = () => new SQSClient({ region: REGION });
const OPEN = uniqueName('phi-dlq-open');
const ALSO_OPEN = uniqueName('phi-dlq-also');

function phiguard(args: string[], extra: Record<string, string> = {}) {
  return runPhiguard(['dlq', ...args, '--stage', STAGE], { env: { ...env, ...extra }, cwd: process.cwd() });
}

async function depth(suffix: string): Promise<number> {
  const { Attributes = {} } = await sqs().send(
    new GetQueueAttributesCommand({
      QueueUrl: deployment.deadLetterQueues[suffix],
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

async function visible(suffix: string): Promise<number> {
  const { Attributes = {} } = await sqs().send(
    new GetQueueAttributesCommand({
      QueueUrl: deployment.deadLetterQueues[suffix],
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages);
}

const isPublicBlocked = async (bucket: string) =>
  (
    await motoClients()
      .s3()
      .send(new GetPublicAccessBlockCommand({ Bucket: bucket }))
      .catch(() => undefined)
  )?.PublicAccessBlockConfiguration?.BlockPublicAcls === true;

beforeAll(async () => {
  useMoto();
  env = { ...emulatorEnv(motoEndpoint(), REGION) };
  deployment = await seedStandInDeployment({ stage: STAGE, region: REGION, account: ACCOUNT, env: {} });
  const s3 = motoClients().s3();
  await seed.createOpenBucket(s3, OPEN);
  await seed.createOpenBucket(s3, ALSO_OPEN);
  const events = deployment.deadLetterQueues['events-dlq'];
  // Lambda's on-failure destination: the function failed every retry.
  const failed = bucketEvent('s3/PutBucketAcl.public-read', OPEN);
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: events,
      MessageBody: JSON.stringify({
        version: '1.0',
        timestamp: new Date().toISOString(),
        requestContext: {
          requestId: 'r-1',
          functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:phiguard-${STAGE}-on-s3`,
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: failed,
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: {
          errorType: 'EventFailedError',
          errorMessage: 'reading live state failed: ThrottlingException',
        },
      }),
    }),
  );
  // EventBridge's target dead letter: the function could not be invoked at all.
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: events,
      MessageBody: JSON.stringify(bucketEvent('s3/PutBucketAcl.public-read', ALSO_OPEN)),
      MessageAttributes: {
        ERROR_CODE: { DataType: 'String', StringValue: 'SDK_CLIENT_ERROR' },
        ERROR_MESSAGE: { DataType: 'String', StringValue: 'Lambda is throttled' },
      },
    }),
  );
  await sqs().send(new SendMessageCommand({ QueueUrl: events, MessageBody: 'not json at all' }));
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: deployment.deadLetterQueues['notify-dlq'],
      MessageBody: JSON.stringify({
        version: 1,
        id: 'a'.repeat(32),
        kind: 'needs-person',
        rule: 'vpc-flow-logs',
        resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-1`,
        eventId: 'e-9',
      }),
    }),
  );
}, 120_000);

describe('phiguard dlq', () => {
  it('list: each message by id, event, resources and error, without payloads; the queues are left as they were', async () => {
    const run = await phiguard(['list', '--json']);
    expect(run.code).toBe(0);
    const letters = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(letters).toHaveLength(4);
    expect(letters).toContainEqual(
      expect.objectContaining({
        queue: 'events',
        eventName: 's3:PutBucketAcl',
        subject: [`arn:aws:s3:::${OPEN}`],
        error: 'EventFailedError: reading live state failed: ThrottlingException',
      }),
    );
    expect(letters).toContainEqual(
      expect.objectContaining({
        queue: 'events',
        subject: [`arn:aws:s3:::${ALSO_OPEN}`],
        error: 'SDK_CLIENT_ERROR: Lambda is throttled',
      }),
    );
    expect(letters).toContainEqual(
      expect.objectContaining({
        queue: 'events',
        error: 'not a dead-lettered event (unreadable message body)',
      }),
    );
    expect(letters).toContainEqual(
      expect.objectContaining({
        queue: 'notifications',
        eventId: 'e-9',
        eventName: 'needs-person vpc-flow-logs',
        subject: [`arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-1`],
      }),
    );
    // No payloads: neither the event nor a receipt handle.
    expect(run.stdout).not.toContain('requestParameters');
    expect(run.stdout).not.toContain('receiptHandle');
    // Left as it was: every message visible again at once.
    expect(await visible('events-dlq')).toBe(3);
    expect(await visible('notify-dlq')).toBe(1);
    const table = await phiguard(['list']);
    expect(table.stdout).toMatch(
      /^4 message\(s\) dead-lettered\nQUEUE\s+SENT\s+ID\s+WHAT\s+RESOURCES\s+ERROR/,
    );
  }, 60_000);

  it('redrive --dry-run plans and changes nothing; redrive fixes, deletes what it processed, keeps what it could not', async () => {
    const dry = await phiguard(['redrive', '--dry-run'], { PHIGUARD_DRY_RUN: 'false' });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/processing in dry-run mode/);
    expect(dry.stdout).toMatch(/planned .*s3:PutBucketAcl: .*would-remediate/);
    expect(await isPublicBlocked(OPEN)).toBe(false);
    expect(await visible('events-dlq')).toBe(3);

    const run = await phiguard(['redrive'], { PHIGUARD_DRY_RUN: 'false' });
    expect(run.stdout).toMatch(/processing in apply mode/);
    expect(run.stdout.match(/redriven /g)).toHaveLength(2);
    expect(run.stdout).toMatch(/kept .*not a dead-lettered event/);
    expect(run.code).toBe(1);
    // Read back: both buckets fixed; only the unreadable message is left, visible for the next look.
    expect(await isPublicBlocked(OPEN)).toBe(true);
    expect(await isPublicBlocked(ALSO_OPEN)).toBe(true);
    expect(await depth('events-dlq')).toBe(1);
    expect(await visible('events-dlq')).toBe(1);
    expect(await depth('notify-dlq')).toBe(1);
  }, 120_000);
});

import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, queueEvent } from '../../../local/fixtures';
import rule from '../../../remediations/sqs-queue-encrypted';
import { processEvent } from '../../../src/process-event';
import { sqs } from '../../../src/resources/sqs/queue';
import type { Rule } from '../../../src/rule';
import { fakeQueue } from '../../scenarios/sqs-queue-encrypted';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';
import { MockAws } from '../../support/scenario';

const ARN = 'arn:aws:sqs:us-east-1:123456789012:phi-claims-intake';
const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/phi-claims-intake';
const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => queueEvent('sqs/SetQueueAttributes.sse-off', ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mocks = new MockAws();
const sets = () =>
  mocks
    .client(sqs)
    .commandCalls(SetQueueAttributesCommand)
    .map((c) => c.args[0].input);

beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('sqs-queue-encrypted (client mocks)', () => {
  it('the record names the queue by its URL, CreateQueue by its answer', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([ARN]);
    expect(rule.resourceIds(loadFixture('sqs/CreateQueue.unencrypted').detail as never)).toEqual([ARN]);
  });

  it('off: sets only SqsManagedSseEnabled=true, the other attributes stay; read back', async () => {
    const attributes = { SqsManagedSseEnabled: 'false', VisibilityTimeout: '60' };
    fakeQueue(mocks, attributes);
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      before: { encryption: 'none' },
      after: { encryption: 'SSE-SQS' },
    });
    expect(sets()).toEqual([{ QueueUrl: URL, Attributes: { SqsManagedSseEnabled: 'true' } }]);
    expect(attributes.VisibilityTimeout).toBe('60');
  });

  it.each([
    ['SSE-SQS', { SqsManagedSseEnabled: 'true' }],
    ['SSE-KMS (its key stays)', { KmsMasterKeyId: 'alias/claims-queue' }],
  ])('%s is compliant: no write', async (_label, attributes) => {
    fakeQueue(mocks, attributes);
    expect((await outcome())?.status).toBe('compliant');
    expect(sets()).toEqual([]);
  });

  it('dry-run, exempt and gone write nothing', async () => {
    fakeQueue(mocks, { SqsManagedSseEnabled: 'false' });
    expect(await outcome(engine({ dryRun: true }))).toMatchObject({
      status: 'would-remediate',
      actions: [{ service: 'sqs', api: 'SetQueueAttributes' }],
    });
    mocks.restore();
    mocks = new MockAws();
    fakeQueue(mocks, { SqsManagedSseEnabled: 'false' }, { 'phiguard:exempt': 'no PHI: build events' });
    expect((await outcome())?.status).toBe('exempt');
    mocks.restore();
    mocks = new MockAws();
    mocks.client(sqs).on(GetQueueUrlCommand).rejects(awsError('QueueDoesNotExist', 400));
    expect((await outcome())?.status).toBe('gone');
    expect(sets()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied on the attributes is an error outcome', async () => {
    const stub = fakeQueue(mocks, { SqsManagedSseEnabled: 'false' });
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(stub.calls()).toEqual([]);
    stub.on(GetQueueAttributesCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(sets()).toEqual([]);
  });
});

import { GetTopicAttributesCommand, SetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, topicEvent } from '../../../local/fixtures';
import rule from '../../../remediations/sns-topic-encrypted';
import { processEvent } from '../../../src/process-event';
import { sns } from '../../../src/resources/sns/topic';
import type { Rule } from '../../../src/rule';
import { fakeTopic } from '../../scenarios/sns-topic-encrypted';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';
import { MockAws } from '../../support/scenario';

const ARN = 'arn:aws:sns:us-east-1:123456789012:phi-lab-results';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0f0e0d0c-1111-2222-3333-444455556666';
const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => topicEvent('sns/SetTopicAttributes.kms-removed', ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];
/** A topic policy letting EventBridge and CloudWatch publish, beside the owner's default statement. */
const SERVICE_POLICY = JSON.stringify({
  Version: '2008-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'SNS:Publish', Resource: ARN },
    {
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] },
      Action: 'sns:Publish',
      Resource: ARN,
    },
  ],
});

let mocks = new MockAws();
const sets = () =>
  mocks
    .client(sns)
    .commandCalls(SetTopicAttributesCommand)
    .map((c) => c.args[0].input);

beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('sns-topic-encrypted (client mocks)', () => {
  it('the record names the topic: SetTopicAttributes by its ARN, CreateTopic by its answer', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([ARN]);
    expect(rule.resourceIds(loadFixture('sns/CreateTopic.unencrypted').detail as never)).toEqual([ARN]);
  });

  it('no key: alias/aws/sns, the only attribute set; read back', async () => {
    fakeTopic(mocks, { TopicArn: ARN });
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      before: { kmsEncrypted: false },
      after: { kmsEncrypted: true },
    });
    expect(sets()).toEqual([
      { TopicArn: ARN, AttributeName: 'KmsMasterKeyId', AttributeValue: 'alias/aws/sns' },
    ]);
  });

  it('the configured key when there is one', async () => {
    fakeTopic(mocks, { TopicArn: ARN });
    expect((await outcome(engine({ env: { PHIGUARD_SNS_KMS_KEY_ID: KEY } })))?.status).toBe('remediated');
    expect(sets()).toEqual([{ TopicArn: ARN, AttributeName: 'KmsMasterKeyId', AttributeValue: KEY }]);
  });

  it('AWS services publishing, no customer key configured: a ticket naming them (the AWS-managed key would lock them out); with one: fixed', async () => {
    fakeTopic(mocks, { TopicArn: ARN, Policy: SERVICE_POLICY });
    const ticket = await outcome();
    expect(ticket).toMatchObject({
      status: 'ticket',
      reason: expect.stringContaining('(cloudwatch.amazonaws.com, events.amazonaws.com)'),
    });
    // The policy body is never reported.
    expect(JSON.stringify(ticket)).not.toContain('SNS:Publish');
    expect(sets()).toEqual([]);
    expect((await outcome(engine({ env: { PHIGUARD_SNS_KMS_KEY_ID: KEY } })))?.status).toBe('remediated');
  });

  it('a topic with any KMS key is compliant: no write', async () => {
    fakeTopic(mocks, { TopicArn: ARN, KmsMasterKeyId: 'alias/lab-results' });
    expect((await outcome(engine({ env: { PHIGUARD_SNS_KMS_KEY_ID: KEY } })))?.status).toBe('compliant');
    expect(sets()).toEqual([]);
  });

  it('dry-run, exempt and gone write nothing', async () => {
    fakeTopic(mocks, { TopicArn: ARN });
    expect(await outcome(engine({ dryRun: true }))).toMatchObject({
      status: 'would-remediate',
      actions: [{ service: 'sns', api: 'SetTopicAttributes' }],
    });
    mocks.restore();
    mocks = new MockAws();
    fakeTopic(mocks, { TopicArn: ARN }, [{ Key: 'phiguard:exempt', Value: 'build notifications only' }]);
    expect((await outcome())?.status).toBe('exempt');
    mocks.restore();
    mocks = new MockAws();
    mocks.client(sns).on(GetTopicAttributesCommand).rejects(awsError('NotFound', 404));
    expect((await outcome())?.status).toBe('gone');
    expect(sets()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied on the attributes is an error outcome', async () => {
    const stub = fakeTopic(mocks, { TopicArn: ARN });
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(stub.calls()).toEqual([]);
    stub.on(GetTopicAttributesCommand).rejects(awsError('AuthorizationError', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AuthorizationError'),
    });
    expect(sets()).toEqual([]);
  });
});

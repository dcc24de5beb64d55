import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { topicEvent } from '../../local/fixtures';
import rule from '../../remediations/sns-topic-encrypted';
import { sts as stsClient } from '../../src/aws-clients';
import { MemberRoleError, memberAccess, memberCredentials, RENEW_BEFORE_MS } from '../../src/member-accounts';
import { processEvent } from '../../src/process-event';
import { sns } from '../../src/resources/sns/topic';
import type { Rule } from '../../src/rule';
import { fakeTopic } from '../scenarios/sns-topic-encrypted';
import { testEngine } from '../support/engine';
import { awsError } from '../support/fake-s3';
import { MockAws } from '../support/scenario';

const MEMBER = '210987654321';
const ROLE = `arn:aws:iam::${MEMBER}:role/phiguard-member`;
const TOPIC = `arn:aws:sns:us-east-1:${MEMBER}:phi-lab-results`;

const credentials = (expiresInMs: number) => ({
  Credentials: {
    AccessKeyId: 'ASIAMEMBER',
    SecretAccessKey: 'secret',
    SessionToken: 'token',
    Expiration: new Date(Date.now() + expiresInMs),
  },
});

/** A SetTopicAttributes event of the member account. */
const memberEvent = () => {
  const event = topicEvent('sns/SetTopicAttributes.kms-removed', TOPIC);
  event.detail.recipientAccountId = MEMBER;
  return event;
};

describe('member-account credentials (client mocks: moto lets every AssumeRole succeed)', () => {
  const stsMock = mockClient(STSClient);
  afterEach(() => stsMock.reset());

  it('one AssumeRole for every call until shortly before expiry, with the external id; then one more', async () => {
    stsMock.on(AssumeRoleCommand).resolves(credentials(RENEW_BEFORE_MS + 60_000));
    let now = Date.now();
    const provider = memberCredentials(
      memberAccess('aws', MEMBER, { roleName: 'phiguard-member', externalId: 'org-7f3a' }),
      () => new STSClient({ region: 'us-east-1' }),
      () => now,
    );
    const all = await Promise.all([provider(), provider(), provider()]);
    expect(all.map((c) => c.accessKeyId)).toEqual(['ASIAMEMBER', 'ASIAMEMBER', 'ASIAMEMBER']);
    await provider();
    expect(stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'phiguard', ExternalId: 'org-7f3a' },
    ]);
    now += 2 * 60_000; // inside the renewal window
    await provider();
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('a role that cannot be assumed is a typed error naming the account and the role', async () => {
    stsMock.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 403));
    const provider = memberCredentials(
      memberAccess('aws', MEMBER, { roleName: 'phiguard-member' }),
      () => new STSClient({ region: 'us-east-1' }),
    );
    const error = await provider().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemberRoleError);
    expect((error as Error).message).toMatch(
      new RegExp(`^cannot act in account ${MEMBER}: assuming ${ROLE} failed \\(AccessDenied`),
    );
  });
});

describe('an event of a member account (client mocks)', () => {
  let mocks = new MockAws();
  beforeEach(() => {
    mocks = new MockAws();
  });
  afterEach(() => mocks.restore());
  const engine = () => testEngine({ rules: [rule as Rule] });

  it('is read and fixed through the member role, assumed once for the account', async () => {
    const sts = mocks.client(stsClient);
    sts.on(AssumeRoleCommand).resolves(credentials(3600_000));
    fakeTopic(mocks, { TopicArn: TOPIC });
    const e = engine();
    expect((await processEvent(e, memberEvent())).outcomes[0]).toMatchObject({
      status: 'remediated',
      account: MEMBER,
      resource: TOPIC,
    });
    await processEvent(e, memberEvent());
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([ROLE]);
  });

  it('a role that cannot be assumed: an error outcome naming account and role, nothing read or written', async () => {
    const sts = mocks.client(stsClient);
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 403));
    const topic = fakeTopic(mocks, { TopicArn: TOPIC });
    const failure = await processEvent(engine(), memberEvent()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      account: MEMBER,
      reason: expect.stringContaining(`cannot act in account ${MEMBER}: assuming ${ROLE} failed`),
    });
    expect(topic.calls()).toEqual([]);
    expect(mocks.client(sns).calls()).toEqual([]);
  });

  it('an event of PHI Guard’s own account uses its own credentials: no AssumeRole', async () => {
    const sts = mocks.client(stsClient);
    fakeTopic(mocks, { TopicArn: 'arn:aws:sns:us-east-1:123456789012:phi-lab-results' });
    const own = topicEvent(
      'sns/SetTopicAttributes.kms-removed',
      'arn:aws:sns:us-east-1:123456789012:phi-lab-results',
    );
    expect((await processEvent(engine(), own)).outcomes[0]?.status).toBe('remediated');
    expect(sts.commandCalls(AssumeRoleCommand)).toEqual([]);
  });
});

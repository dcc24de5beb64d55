import { GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { bucketEvent } from '../../../local/fixtures';
import rule, { TLS_ONLY_SID, tlsOnlyStatement } from '../../../remediations/s3-bucket-tls-only';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { testEngine } from '../../support/engine';
import { awsError, fakeS3 } from '../../support/fake-s3';

const BUCKET = 'phi-claims';
const ARN = `arn:aws:s3:::${BUCKET}`;
const engine = (dryRun = false) => testEngine({ rules: [rule as Rule], dryRun });
const event = () => bucketEvent('s3/PutBucketPolicy.public', BUCKET);
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const ANALYTICS = {
  Sid: 'AnalyticsRead',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:role/analytics' },
  Action: ['s3:GetObject'],
  Resource: `${ARN}/reports/*`,
};

let fake: ReturnType<typeof fakeS3>;
afterEach(() => fake?.mock.restore());

describe('s3-bucket-tls-only', () => {
  it.each([
    ['our statement', policy(ANALYTICS, tlsOnlyStatement(ARN))],
    [
      'an equivalent statement of the owner (AWS principal, boolean false, two statements)',
      policy(
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: '*',
          Resource: ARN,
          Condition: { Bool: { 'aws:securetransport': false } },
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: `${ARN}/*`,
          Condition: { Bool: { 'aws:SecureTransport': ['false'] } },
        },
      ),
    ],
  ])('compliant with %s: no write', async (_label, text) => {
    fake = fakeS3({ policy: text });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('compliant');
    expect(fake.writes()).toEqual([]);
  });

  it('merges the TLS-only statement and keeps every other statement as it was', async () => {
    fake = fakeS3({
      policy: JSON.stringify({ Version: '2012-10-17', Id: 'owner-policy', Statement: [ANALYTICS] }),
    });
    const report = await processEvent(engine(), event());
    expect(report.outcomes[0]).toMatchObject({
      status: 'remediated',
      actions: [
        {
          api: 'PutBucketPolicy',
          params: { Bucket: BUCKET, Policy: { statementsKept: 1, statementAdded: TLS_ONLY_SID } },
        },
      ],
      after: { tlsOnly: true, statements: 2 },
    });
    const written = JSON.parse(
      fake.mock.commandCalls(PutBucketPolicyCommand)[0]?.args[0].input.Policy as string,
    );
    expect(written).toEqual({
      Version: '2012-10-17',
      Id: 'owner-policy',
      Statement: [ANALYTICS, tlsOnlyStatement(ARN)],
    });
  });

  it('a bucket with no policy gets a policy with just the TLS-only statement', async () => {
    fake = fakeS3();
    await processEvent(engine(), event());
    expect(JSON.parse(fake.state.policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [tlsOnlyStatement(ARN)],
    });
  });

  it('a weakened copy of our statement is replaced, not duplicated', async () => {
    const weakened = { ...tlsOnlyStatement(ARN), Resource: ARN };
    fake = fakeS3({ policy: policy(ANALYTICS, weakened) });
    await processEvent(engine(), event());
    const statements = JSON.parse(fake.state.policy as string).Statement;
    expect(statements).toEqual([ANALYTICS, tlsOnlyStatement(ARN)]);
  });

  it('never reports the policy body: only its shape', async () => {
    fake = fakeS3({ policy: policy(ANALYTICS) });
    const report = await processEvent(engine(true), event());
    expect(JSON.stringify(report)).not.toContain('analytics');
    expect(fake.writes()).toEqual([]);
  });

  it('an unparsable policy is a ticket, never overwritten', async () => {
    fake = fakeS3({ policy: '{"Statement": [' });
    const report = await processEvent(engine(), event());
    expect(report.outcomes[0]).toMatchObject({
      status: 'ticket',
      reason: expect.stringContaining('cannot be parsed'),
    });
    expect(fake.writes()).toEqual([]);
  });

  it('exempt, gone and AccessDenied', async () => {
    fake = fakeS3({ tags: { 'phiguard:exempt': 'legacy partner feed' } });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('exempt');
    fake.mock.restore();
    fake = fakeS3({ exists: false });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('gone');
    fake.mock.restore();
    fake = fakeS3();
    fake.mock.on(GetBucketPolicyCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]?.status).toBe('error');
    expect(fake.writes()).toEqual([]);
  });
});

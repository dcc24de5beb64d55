import {
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { bucketEvent } from '../../../local/fixtures';
import rule from '../../../remediations/s3-bucket-public-access';
import { EventFailedError, processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { ALL_USERS_READ, awsError, fakeS3, LOG_DELIVERY_WRITE, OWNER_GRANT } from '../../support/fake-s3';

const BUCKET = 'phi-claims';
const ALL_ON = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const PUBLIC_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` },
  ],
};
const engine = (dryRun = false) => testEngine({ rules: [rule as Rule], dryRun });
const event = () => bucketEvent('s3/PutBucketAcl.public-read', BUCKET);

let fake: ReturnType<typeof fakeS3>;
afterEach(() => fake?.mock.restore());

describe('s3-bucket-public-access', () => {
  it('compliant bucket: no write, and two reads (a public policy cannot matter with all four settings on)', async () => {
    fake = fakeS3({ publicAccessBlock: ALL_ON, policy: JSON.stringify(PUBLIC_POLICY) });
    const report = await processEvent(engine(), event());
    expect(report.outcomes).toMatchObject([{ status: 'compliant', resource: `arn:aws:s3:::${BUCKET}` }]);
    expect(fake.writes()).toEqual([]);
    expect(fake.mock.commandCalls(GetBucketPolicyCommand)).toHaveLength(0);
    expect(fake.mock.commandCalls(GetPublicAccessBlockCommand)).toHaveLength(1);
    expect(fake.mock.commandCalls(GetBucketAclCommand)).toHaveLength(1);
  });

  it('names a public policy while RestrictPublicBuckets is off, and turns it on', async () => {
    fake = fakeS3({
      publicAccessBlock: { ...ALL_ON, RestrictPublicBuckets: false },
      policy: JSON.stringify(PUBLIC_POLICY),
    });
    const report = await processEvent(engine(), event());
    expect(report.outcomes[0]).toMatchObject({
      status: 'remediated',
      findings: [
        'Block Public Access setting RestrictPublicBuckets is off',
        'bucket policy allows public access and RestrictPublicBuckets is off',
      ],
      before: { RestrictPublicBuckets: false, publicThroughPolicy: true },
      after: { RestrictPublicBuckets: true, publicThroughPolicy: false },
    });
    expect(fake.writes()).toEqual(['PutPublicAccessBlock']);
  });

  it('public bucket: removes only the public grants, then turns all four Block Public Access settings on', async () => {
    fake = fakeS3({ grants: [OWNER_GRANT, LOG_DELIVERY_WRITE, ALL_USERS_READ] });
    const report = await processEvent(engine(), event());
    expect(report.outcomes[0]).toMatchObject({
      status: 'remediated',
      findings: expect.arrayContaining([
        'ACL grants READ to AllUsers',
        'Block Public Access setting BlockPublicAcls is off',
      ]),
      after: { ...ALL_ON, publicAclGrants: 0 },
    });
    expect(fake.writes()).toEqual(['PutBucketAcl', 'PutPublicAccessBlock']);
    // Merge, never overwrite: the owner and log-delivery grants stay exactly as they were.
    expect(fake.mock.commandCalls(PutBucketAclCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      AccessControlPolicy: { Owner: fake.state.owner, Grants: [OWNER_GRANT, LOG_DELIVERY_WRITE] },
    });
    expect(fake.mock.commandCalls(PutPublicAccessBlockCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      PublicAccessBlockConfiguration: ALL_ON,
    });
  });

  it('partially blocked bucket without public grants: only PutPublicAccessBlock', async () => {
    fake = fakeS3({ publicAccessBlock: { ...ALL_ON, RestrictPublicBuckets: false } });
    await processEvent(engine(), event());
    expect(fake.writes()).toEqual(['PutPublicAccessBlock']);
  });

  it('dry-run: reports the exact calls and writes nothing', async () => {
    fake = fakeS3({ grants: [OWNER_GRANT, ALL_USERS_READ] });
    const report = await processEvent(engine(true), event());
    expect(report.outcomes[0]).toMatchObject({
      status: 'would-remediate',
      actions: [
        { api: 'PutBucketAcl', params: { Bucket: BUCKET } },
        { api: 'PutPublicAccessBlock', params: { Bucket: BUCKET, PublicAccessBlockConfiguration: ALL_ON } },
      ],
    });
    expect(fake.writes()).toEqual([]);
  });

  it('exempt bucket: reported, never changed', async () => {
    fake = fakeS3({ grants: [OWNER_GRANT, ALL_USERS_READ], tags: { 'phiguard:exempt': 'press kit' } });
    const report = await processEvent(engine(), event());
    expect(report.outcomes[0]?.status).toBe('exempt');
    expect(fake.writes()).toEqual([]);
  });

  it('failed call or own principal: no AWS call at all', async () => {
    fake = fakeS3({ grants: [OWNER_GRANT, ALL_USERS_READ] });
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const self = testEngine({
      rules: [rule as Rule],
      env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' },
    });
    expect((await processEvent(self, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(self, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(fake.mock.calls()).toHaveLength(0);
  });

  it('deleted bucket: gone, no write', async () => {
    fake = fakeS3({ exists: false });
    const report = await processEvent(engine(), event());
    expect(report.outcomes[0]?.status).toBe('gone');
    expect(fake.writes()).toEqual([]);
  });

  it('AccessDenied on a read: reported as error, not thrown past the engine, nothing written', async () => {
    fake = fakeS3({ grants: [OWNER_GRANT, ALL_USERS_READ] });
    fake.mock.on(GetBucketAclCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure).toBeInstanceOf(EventFailedError);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: 'reading live state failed: AccessDenied (HTTP 403)',
    });
    expect(fake.writes()).toEqual([]);
  });

  it('AccessDenied on the write: error naming the call', async () => {
    fake = fakeS3({ grants: [OWNER_GRANT] });
    fake.mock.on(PutPublicAccessBlockCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: 'PutPublicAccessBlock failed: AccessDenied (HTTP 403)',
    });
  });
});

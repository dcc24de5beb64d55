import { GetBucketEncryptionCommand, PutBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { bucketEvent } from '../../../local/fixtures';
import rule from '../../../remediations/s3-bucket-encryption';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { testEngine } from '../../support/engine';
import { awsError, fakeS3 } from '../../support/fake-s3';

const BUCKET = 'phi-claims';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0f0e0d0c-1111-2222-3333-444455556666';
const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => bucketEvent('s3/DeleteBucketEncryption.basic', BUCKET);
const putInput = () => fake.mock.commandCalls(PutBucketEncryptionCommand)[0]?.args[0].input;

let fake: ReturnType<typeof fakeS3>;
afterEach(() => fake?.mock.restore());

describe('s3-bucket-encryption', () => {
  it.each([
    [
      'SSE-KMS with the bucket key',
      [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }],
    ],
    ['DSSE-KMS', [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse' } }]],
  ])('%s is compliant: no write', async (_label, encryption) => {
    fake = fakeS3({ encryption: encryption as never });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('compliant');
    expect(fake.writes()).toEqual([]);
  });

  it('no default encryption: SSE-KMS with the AWS-managed key and the bucket key', async () => {
    fake = fakeS3();
    const report = await processEvent(engine(), event());
    expect(report.outcomes[0]).toMatchObject({
      status: 'remediated',
      findings: ['no default encryption'],
      before: { algorithm: 'none' },
      after: { algorithm: 'aws:kms', bucketKeyEnabled: true, kmsKey: 'aws/s3' },
    });
    expect(putInput()).toEqual({
      Bucket: BUCKET,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }],
      },
    });
  });

  it('SSE-S3 (AES256): switched to the configured customer-managed key', async () => {
    fake = fakeS3({ encryption: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    await processEvent(engine({ env: { PHIGUARD_S3_KMS_KEY_ID: KEY } }), event());
    expect(putInput()?.ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY },
      BucketKeyEnabled: true,
    });
  });

  it('SSE-KMS without the bucket key: keeps the bucket’s own key, only adds the bucket key', async () => {
    const ownKey = 'arn:aws:kms:us-east-1:123456789012:key/own-key';
    fake = fakeS3({
      encryption: [
        { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: ownKey } },
      ],
    });
    await processEvent(engine({ env: { PHIGUARD_S3_KMS_KEY_ID: KEY } }), event());
    expect(putInput()?.ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: ownKey },
      BucketKeyEnabled: true,
    });
  });

  describe('the configured access-log bucket (log delivery accepts only SSE-S3)', () => {
    const logs = { PHIGUARD_ACCESS_LOGS_BUCKET: 'phi-access-logs-{region}' };
    const logEvent = () => bucketEvent('s3/DeleteBucketEncryption.basic', 'phi-access-logs-us-east-1');

    it('SSE-S3 is compliant there (and only there)', async () => {
      const sseS3 = [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }];
      fake = fakeS3({ encryption: sseS3 as never });
      expect((await processEvent(engine({ env: logs }), logEvent())).outcomes[0]).toMatchObject({
        status: 'compliant',
        before: { algorithm: 'AES256', accessLogDestination: true },
      });
      expect(fake.writes()).toEqual([]);
      // The log bucket of another region is an ordinary bucket here.
      const elsewhere = bucketEvent('s3/DeleteBucketEncryption.basic', 'phi-access-logs-eu-west-1');
      expect((await processEvent(engine({ env: logs }), elsewhere)).outcomes[0]?.status).toBe('remediated');
    });

    it('without default encryption it gets SSE-S3, not SSE-KMS; read back', async () => {
      fake = fakeS3();
      expect((await processEvent(engine({ env: logs }), logEvent())).outcomes[0]).toMatchObject({
        status: 'remediated',
        after: { algorithm: 'AES256' },
      });
      expect(putInput()).toEqual({
        Bucket: 'phi-access-logs-us-east-1',
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
    });
  });

  it('dry-run: would-remediate with the exact call, nothing written', async () => {
    fake = fakeS3();
    const report = await processEvent(engine({ dryRun: true }), event());
    expect(report.outcomes[0]).toMatchObject({
      status: 'would-remediate',
      actions: [{ api: 'PutBucketEncryption' }],
    });
    expect(fake.writes()).toEqual([]);
  });

  it('exempt and gone buckets are never written', async () => {
    fake = fakeS3({ tags: { 'phiguard:exempt': 'scratch data, no PHI' } });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('exempt');
    fake.mock.restore();
    fake = fakeS3({ exists: false });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('gone');
    expect(fake.writes()).toEqual([]);
  });

  it('AccessDenied on GetBucketEncryption is an error outcome', async () => {
    fake = fakeS3();
    fake.mock.on(GetBucketEncryptionCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(fake.writes()).toEqual([]);
  });
});

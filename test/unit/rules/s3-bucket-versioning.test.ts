import { GetBucketVersioningCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { bucketEvent } from '../../../local/fixtures';
import rule from '../../../remediations/s3-bucket-versioning';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { awsError, type FakeBucketState, fakeS3 } from '../../support/fake-s3';

const BUCKET = 'phi-claims';
const engine = (dryRun = false) => testEngine({ rules: [rule as Rule], dryRun });
const event = () => bucketEvent('s3/PutBucketVersioning.suspended', BUCKET);

/** A bucket with the given versioning state; PutBucketVersioning changes it as S3 does. */
function fakeVersionedBucket(
  versioning: { Status?: 'Enabled' | 'Suspended'; MFADelete?: 'Enabled' | 'Disabled' },
  bucket: Partial<FakeBucketState> = {},
) {
  const fake = fakeS3(bucket);
  const state = { ...versioning };
  fake.mock.on(GetBucketVersioningCommand).callsFake(() => {
    if (fake.state.exists === false) throw awsError('NoSuchBucket', 404);
    return { ...state };
  });
  fake.mock.on(PutBucketVersioningCommand).callsFake((input) => {
    state.Status = input.VersioningConfiguration?.Status as 'Enabled' | 'Suspended';
    return {};
  });
  return fake;
}
const put = () => fake.mock.commandCalls(PutBucketVersioningCommand).map((c) => c.args[0].input);

let fake: ReturnType<typeof fakeVersionedBucket>;
afterEach(() => fake?.mock.restore());

describe('s3-bucket-versioning', () => {
  it('names the bucket of PutBucketVersioning and CreateBucket records', () => {
    for (const name of ['s3/PutBucketVersioning.suspended', 's3/CreateBucket.basic']) {
      expect(rule.resourceIds(bucketEvent(name, BUCKET).detail as never)).toEqual([`arn:aws:s3:::${BUCKET}`]);
    }
  });

  it.each([
    ['never enabled', {}, 'versioning was never enabled', 'Off'],
    ['suspended', { Status: 'Suspended' as const }, 'versioning is suspended', 'Suspended'],
  ])(
    '%s: turned on, MFA Delete left as it is, and read back',
    async (_label, versioning, finding, before) => {
      fake = fakeVersionedBucket(versioning);
      const report = await processEvent(engine(), event());
      expect(report.outcomes[0]).toMatchObject({
        status: 'remediated',
        findings: [finding],
        before: { versioning: before },
        after: { versioning: 'Enabled' },
        actions: [{ service: 's3', api: 'PutBucketVersioning' }],
      });
      // Exactly the status: no MFADelete in the request, so S3 keeps whatever it was.
      expect(put()).toEqual([{ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }]);
    },
  );

  it('enabled is compliant: nothing written', async () => {
    fake = fakeVersionedBucket({ Status: 'Enabled' });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('compliant');
    expect(put()).toEqual([]);
  });

  it('MFA Delete on: a ticket, since S3 wants the root user’s MFA code for any versioning change', async () => {
    fake = fakeVersionedBucket({ Status: 'Suspended', MFADelete: 'Enabled' });
    expect((await processEvent(engine(), event())).outcomes[0]).toMatchObject({
      status: 'ticket',
      reason: expect.stringContaining('MFA Delete is on'),
    });
    expect(put()).toEqual([]);
  });

  it('dry-run: would-remediate with the exact call, nothing written', async () => {
    fake = fakeVersionedBucket({ Status: 'Suspended' });
    expect((await processEvent(engine(true), event())).outcomes[0]).toMatchObject({
      status: 'would-remediate',
      actions: [
        {
          api: 'PutBucketVersioning',
          params: { Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } },
        },
      ],
    });
    expect(put()).toEqual([]);
  });

  it('exempt and gone buckets are never written', async () => {
    fake = fakeVersionedBucket({}, { tags: { 'phiguard:exempt': 'scratch space' } });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('exempt');
    fake.mock.restore();
    fake = fakeVersionedBucket({}, { exists: false });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('gone');
    expect(put()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are not evidence: nothing read, nothing written', async () => {
    fake = fakeVersionedBucket({});
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = testEngine({
      rules: [rule as Rule],
      env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' },
    });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(fake.mock.calls()).toEqual([]);
  });

  it('AccessDenied on GetBucketVersioning is an error outcome (the event is retried)', async () => {
    fake = fakeVersionedBucket({});
    fake.mock.on(GetBucketVersioningCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(put()).toEqual([]);
  });
});

import { GetBucketLoggingCommand, PutBucketLoggingCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { bucketEvent } from '../../../local/fixtures';
import rule, { accessLogsBucketIn } from '../../../remediations/s3-bucket-access-logging';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { awsError, type FakeBucketState, fakeS3 } from '../../support/fake-s3';

const LOGS = 'phi-access-logs-{region}';
const engine = (options: { dryRun?: boolean; logs?: string | null } = {}) =>
  testEngine({
    rules: [rule as Rule],
    dryRun: options.dryRun,
    env: options.logs === null ? {} : { PHIGUARD_ACCESS_LOGS_BUCKET: options.logs ?? LOGS },
  });
const event = (bucket = 'phi-claims') => bucketEvent('s3/PutBucketLogging.disabled', bucket);

/** A bucket whose server access logging goes to `target` (undefined: off). */
function fakeLoggingBucket(target: string | undefined, bucket: Partial<FakeBucketState> = {}) {
  const fake = fakeS3(bucket);
  let current = target;
  fake.mock.on(GetBucketLoggingCommand).callsFake(() => {
    if (fake.state.exists === false) throw awsError('NoSuchBucket', 404);
    return current ? { LoggingEnabled: { TargetBucket: current, TargetPrefix: 'x/' } } : {};
  });
  fake.mock.on(PutBucketLoggingCommand).callsFake((input) => {
    current = input.BucketLoggingStatus?.LoggingEnabled?.TargetBucket;
    return {};
  });
  return fake;
}
const puts = () => fake.mock.commandCalls(PutBucketLoggingCommand).map((c) => c.args[0].input);

let fake: ReturnType<typeof fakeLoggingBucket>;
afterEach(() => fake?.mock.restore());

describe('s3-bucket-access-logging (client mocks)', () => {
  it('fills {region} of the configured log bucket', () => {
    expect(accessLogsBucketIn(LOGS, 'eu-west-1')).toBe('phi-access-logs-eu-west-1');
    expect(accessLogsBucketIn('central-logs', 'eu-west-1')).toBe('central-logs');
    expect(accessLogsBucketIn(undefined, 'eu-west-1')).toBeUndefined();
  });

  it('off: logs to the region’s log bucket under a prefix naming the bucket; read back', async () => {
    fake = fakeLoggingBucket(undefined);
    expect((await processEvent(engine(), event())).outcomes[0]).toMatchObject({
      status: 'remediated',
      findings: ['server access logging is off'],
      after: { accessLogging: true },
    });
    expect(puts()).toEqual([
      {
        Bucket: 'phi-claims',
        BucketLoggingStatus: {
          LoggingEnabled: { TargetBucket: 'phi-access-logs-us-east-1', TargetPrefix: 'phi-claims/' },
        },
      },
    ]);
  });

  it('logging elsewhere is compliant: its target is kept', async () => {
    fake = fakeLoggingBucket('team-audit-logs');
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('compliant');
    expect(puts()).toEqual([]);
  });

  it('the log bucket itself is never made to log to itself', async () => {
    fake = fakeLoggingBucket(undefined);
    expect((await processEvent(engine(), event('phi-access-logs-us-east-1'))).outcomes[0]).toMatchObject({
      status: 'compliant',
      before: { accessLogging: false, accessLogDestination: true },
    });
    expect(puts()).toEqual([]);
  });

  it('no log bucket configured: a ticket naming the setting', async () => {
    fake = fakeLoggingBucket(undefined);
    expect((await processEvent(engine({ logs: null }), event())).outcomes[0]).toMatchObject({
      status: 'ticket',
      reason: expect.stringContaining('PHIGUARD_ACCESS_LOGS_BUCKET'),
    });
    expect(puts()).toEqual([]);
  });

  it('dry-run, exempt and gone: nothing written', async () => {
    fake = fakeLoggingBucket(undefined);
    expect((await processEvent(engine({ dryRun: true }), event())).outcomes[0]?.status).toBe(
      'would-remediate',
    );
    fake.mock.restore();
    fake = fakeLoggingBucket(undefined, { tags: { 'phiguard:exempt': 'public website' } });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('exempt');
    fake.mock.restore();
    fake = fakeLoggingBucket(undefined, { exists: false });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('gone');
    expect(puts()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied on the read is an error', async () => {
    fake = fakeLoggingBucket(undefined);
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = testEngine({
      rules: [rule as Rule],
      env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' },
    });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(fake.mock.calls()).toEqual([]);
    fake.mock.on(GetBucketLoggingCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(puts()).toEqual([]);
  });
});

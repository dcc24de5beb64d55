import { GetBucketLoggingCommand, PutBucketLoggingCommand } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { bucketEvent, inRegion } from '../../local/fixtures';
import { createCompliantBucket, createLogBucket } from '../../local/seed';
import { requireBucketName, s3 } from '../../src/resources/s3/bucket';
import { fakeBucketOn } from '../support/fake-s3';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

/** The scenarios' access-log bucket, one per region (S3 access logs and Redshift audit logs). */
export const LOGS = 'phiguard-scenario-logs-{region}';

export default {
  drifted: [
    {
      name: 'server access logging off, a log bucket configured',
      arn: 'arn:aws:s3:::phi-claims',
      env: { PHIGUARD_ACCESS_LOGS_BUCKET: LOGS },
      aws(mocks) {
        let target: string | undefined;
        const stub = mocks.client(s3);
        fakeBucketOn(stub);
        stub
          .on(GetBucketLoggingCommand)
          .callsFake(() => (target ? { LoggingEnabled: { TargetBucket: target } } : {}));
        stub.on(PutBucketLoggingCommand).callsFake((input) => {
          target = input.BucketLoggingStatus?.LoggingEnabled?.TargetBucket;
          return {};
        });
      },
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    's3/CreateBucket.1.json': ['arn:aws:s3:::custodian-create-bucket-v4'],
    's3/CreateBucket.2.json': ['arn:aws:s3:::cwe-test'],
    's3/PutBucketLogging.1.json': ['arn:aws:s3:::critical-data-bucket'],
    's3/PutBucketLogging.2.json': ['arn:aws:s3:::critical-data-bucket'],
  },
  emulator: {
    env: { PHIGUARD_ACCESS_LOGS_BUCKET: LOGS },
    async seed(clients, region) {
      const client = clients.get(s3);
      await createLogBucket(client, LOGS.replace('{region}', region));
      // Compliant with every other S3 rule, its logging then turned off.
      const bucket = uniqueName('scenario-unlogged');
      await createCompliantBucket(client, bucket);
      await client.send(new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: {} }));
      return `arn:aws:s3:::${bucket}`;
    },
    expect: 'remediated',
    event: (arn, region) =>
      inRegion(bucketEvent('s3/PutBucketLogging.disabled', requireBucketName(arn)), region),
    async fixed(clients, arn) {
      const bucket = requireBucketName(arn);
      const out = await clients.get(s3).send(new GetBucketLoggingCommand({ Bucket: bucket }));
      const region = await clients.get(s3).config.region();
      expect(out.LoggingEnabled).toEqual({
        TargetBucket: LOGS.replace('{region}', region),
        TargetPrefix: `${bucket}/`,
      });
    },
  },
} satisfies RuleScenarios;

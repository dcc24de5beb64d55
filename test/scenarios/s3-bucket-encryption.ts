import { DeleteBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { createCompliantBucket } from '../../local/seed';
import { s3 } from '../../src/resources/s3/bucket';
import { fakeBucketOn } from '../support/fake-s3';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'no default encryption',
      arn: 'arn:aws:s3:::phi-claims',
      aws: (mocks) => fakeBucketOn(mocks.client(s3)),
    },
    {
      name: 'SSE-S3, with a customer-managed key configured',
      arn: 'arn:aws:s3:::phi-claims',
      env: { PHIGUARD_S3_KMS_KEY_ID: 'alias/phi' },
      aws: (mocks) =>
        fakeBucketOn(mocks.client(s3), {
          encryption: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    's3/CreateBucket.1.json': ['arn:aws:s3:::custodian-create-bucket-v4'],
    's3/CreateBucket.2.json': ['arn:aws:s3:::cwe-test'],
    's3/DeleteBucketEncryption.1.json': ['arn:aws:s3:::sensitive-data-bucket'],
    's3/DeleteBucketEncryption.2.json': ['arn:aws:s3:::sensitive-data-bucket'],
    's3/PutBucketEncryption.1.json': ['arn:aws:s3:::sensitive-data-bucket'],
  },
  emulator: {
    async seed(clients) {
      const bucket = uniqueName('scenario-plain');
      await createCompliantBucket(clients.get(s3), bucket);
      await clients.get(s3).send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
      return `arn:aws:s3:::${bucket}`;
    },
    expect: 'remediated',
  },
} satisfies RuleScenarios;

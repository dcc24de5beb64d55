import { DeleteBucketPolicyCommand } from '@aws-sdk/client-s3';
import { createCompliantBucket } from '../../local/seed';
import { s3 } from '../../src/resources/s3/bucket';
import { fakeBucketOn } from '../support/fake-s3';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'a policy without the TLS-only statement',
      arn: 'arn:aws:s3:::phi-claims',
      aws: (mocks) =>
        fakeBucketOn(mocks.client(s3), {
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'Audit',
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::123456789012:root' },
                Action: 's3:GetObject',
                Resource: 'arn:aws:s3:::phi-claims/*',
              },
            ],
          }),
        }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    's3/CreateBucket.1.json': ['arn:aws:s3:::custodian-create-bucket-v4'],
    's3/CreateBucket.2.json': ['arn:aws:s3:::cwe-test'],
    's3/DeleteBucketPolicy.1.json': ['arn:aws:s3:::myawsbucket'],
    's3/PutBucketPolicy.1.json': ['arn:aws:s3:::example-bucket'],
    's3/PutBucketPolicy.2.json': ['arn:aws:s3:::test'],
    's3/PutBucketPolicy.3.json': ['arn:aws:s3:::example-bucket'],
  },
  emulator: {
    async seed(clients) {
      const bucket = uniqueName('scenario-tls');
      // Without its TLS-only policy only: every other S3 rule holds.
      await createCompliantBucket(clients.get(s3), bucket);
      await clients.get(s3).send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
      return `arn:aws:s3:::${bucket}`;
    },
    expect: 'remediated',
  },
} satisfies RuleScenarios;

import { GetBucketVersioningCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { createCompliantBucket } from '../../local/seed';
import { s3 } from '../../src/resources/s3/bucket';
import { fakeBucketOn } from '../support/fake-s3';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'versioning suspended',
      arn: 'arn:aws:s3:::phi-claims',
      aws(mocks) {
        const stub = mocks.client(s3);
        fakeBucketOn(stub);
        stub.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
        stub.on(PutBucketVersioningCommand).resolves({});
      },
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    's3/CreateBucket.1.json': ['arn:aws:s3:::custodian-create-bucket-v4'],
    's3/CreateBucket.2.json': ['arn:aws:s3:::cwe-test'],
    's3/PutBucketVersioning.1.json': ['arn:aws:s3:::bucket'],
    's3/PutBucketVersioning.2.json': ['arn:aws:s3:::important-files-bucket'],
  },
  emulator: {
    async seed(clients) {
      // Compliant with every other S3 rule, its versioning then suspended.
      const bucket = uniqueName('scenario-unversioned');
      await createCompliantBucket(clients.get(s3), bucket);
      await clients.get(s3).send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Suspended' },
        }),
      );
      return `arn:aws:s3:::${bucket}`;
    },
    expect: 'remediated',
  },
} satisfies RuleScenarios;

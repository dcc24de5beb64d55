import { s3 } from '../../src/resources/s3/bucket';
import { fakeBucketOn } from '../support/fake-s3';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'a bucket named after a social security number',
      arn: 'arn:aws:s3:::patient-123-45-6789-scans',
      aws: (mocks) => fakeBucketOn(mocks.client(s3)),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    's3/CreateBucket.1.json': ['arn:aws:s3:::custodian-create-bucket-v4'],
    's3/CreateBucket.2.json': ['arn:aws:s3:::cwe-test'],
  },
  emulator: {
    unsupported:
      'moto holds such a bucket, but in the shared emulator every other test sweeping us-east-1 would ticket it: the end-to-end test (test/integration/notify.test.ts, "a bucket named like PHI") makes one and deletes it',
  },
} satisfies RuleScenarios;

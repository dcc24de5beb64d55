import { createOpenBucket } from '../../local/seed';
import { s3 } from '../../src/resources/s3/bucket';
import { ALL_USERS_READ, fakeBucketOn, OWNER_GRANT } from '../support/fake-s3';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'an ACL granting AllUsers READ, Block Public Access off',
      arn: 'arn:aws:s3:::phi-claims',
      aws: (mocks) => fakeBucketOn(mocks.client(s3), { grants: [OWNER_GRANT, ALL_USERS_READ] }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    's3/CreateBucket.1.json': ['arn:aws:s3:::custodian-create-bucket-v4'],
    's3/CreateBucket.2.json': ['arn:aws:s3:::cwe-test'],
    's3/DeleteBucketPublicAccessBlock.1.json': ['arn:aws:s3:::corporate-documents'],
    's3/DeleteBucketPublicAccessBlock.2.json': ['arn:aws:s3:::corporate-documents'],
    's3/PutBucketAcl.1.json': ['arn:aws:s3:::bucket'],
    's3/PutBucketAcl.2.json': [],
    's3/PutBucketAcl.3.json': [],
    's3/PutBucketAcl.4.json': ['arn:aws:s3:::bucket'],
    's3/PutBucketPolicy.1.json': ['arn:aws:s3:::example-bucket'],
    's3/PutBucketPolicy.2.json': ['arn:aws:s3:::test'],
    's3/PutBucketPolicy.3.json': ['arn:aws:s3:::example-bucket'],
    's3/PutBucketPublicAccessBlock.1.json': ['arn:aws:s3:::test'],
    's3/PutBucketPublicAccessBlock.2.json': [],
    's3/PutBucketPublicAccessBlock.3.json': ['arn:aws:s3:::corporate-documents'],
  },
  emulator: {
    async seed(clients) {
      const bucket = uniqueName('scenario-public');
      // Public only: every other S3 rule holds (one drift of its kind).
      await createOpenBucket(clients.get(s3), bucket);
      return `arn:aws:s3:::${bucket}`;
    },
    expect: 'remediated',
  },
} satisfies RuleScenarios;

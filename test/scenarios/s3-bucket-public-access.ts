import { createPublicBucket } from '../../local/seed';
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
  emulator: {
    async seed(clients) {
      const bucket = uniqueName('scenario-public');
      await createPublicBucket(clients.get(s3), bucket);
      return `arn:aws:s3:::${bucket}`;
    },
    expect: 'remediated',
  },
} satisfies RuleScenarios;

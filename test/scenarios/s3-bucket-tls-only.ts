import { createPublicBucket } from '../../local/seed';
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
  emulator: {
    async seed(clients) {
      const bucket = uniqueName('scenario-tls');
      await createPublicBucket(clients.get(s3), bucket);
      return `arn:aws:s3:::${bucket}`;
    },
    expect: 'remediated',
  },
} satisfies RuleScenarios;

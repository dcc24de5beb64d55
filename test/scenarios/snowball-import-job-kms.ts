import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { DescribeJobCommand, type JobMetadata } from '@aws-sdk/client-snowball';
import { kms } from '../../src/resources/kms/key';
import { snowball } from '../../src/resources/snowball/job';
import type { MockAws, RuleScenarios } from '../support/scenario';

export const JOB_ID = 'JID123e4567-e89b-12d3-a456-426655440000';
export const JOB_ARN = `arn:aws:snowball:us-east-1:123456789012:job/${JOB_ID}`;
export const AWS_MANAGED_KEY = 'arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-3333-4444-555566667777';
export const CUSTOMER_KEY = 'arn:aws:kms:us-east-1:123456789012:key/9999bbbb-8888-7777-6666-555544443333';

/** A job behind the mocked client, and the account's keys as KMS describes them. */
export function fakeJob(mocks: MockAws, job: Partial<JobMetadata>) {
  const stub = mocks.client(snowball);
  stub.on(DescribeJobCommand as never).callsFake(() => ({
    JobMetadata: { JobId: JOB_ID, JobType: 'IMPORT', JobState: 'New', ...job },
  }));
  mocks
    .client(kms)
    .on(DescribeKeyCommand)
    .callsFake((input: { KeyId: string }) => ({
      KeyMetadata: {
        KeyId: input.KeyId,
        Arn: input.KeyId.startsWith('arn:')
          ? input.KeyId
          : `arn:aws:kms:us-east-1:123456789012:key/${input.KeyId}`,
        KeyManager: input.KeyId.endsWith(CUSTOMER_KEY.split('/')[1] as string) ? 'CUSTOMER' : 'AWS',
      },
    }));
  return stub;
}

export default {
  drifted: [
    {
      name: 'an import job encrypting with the AWS-managed key aws/importexport',
      arn: JOB_ARN,
      aws: (mocks) => fakeJob(mocks, { KmsKeyARN: AWS_MANAGED_KEY }),
    },
  ],
  /** No real CreateJob record in ../shared/cloudtrail-samples. */
  samples: {},
  emulator: { unsupported: 'moto does not implement Snowball' },
} satisfies RuleScenarios;

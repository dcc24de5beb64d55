import {
  DeleteVaultAccessPolicyCommand,
  DescribeVaultCommand,
  GetVaultAccessPolicyCommand,
  ListTagsForVaultCommand,
  SetVaultAccessPolicyCommand,
} from '@aws-sdk/client-glacier';
import { glacier } from '../../src/resources/glacier/vault';
import { awsError } from '../support/fake-s3';
import type { MockAws, RuleScenarios } from '../support/scenario';

export const VAULT_ARN = 'arn:aws:glacier:us-east-1:123456789012:vaults/phi-imaging-archive';

/** The owner's own retrieval statement, which a fix must keep. */
export const OWNER_STATEMENT = {
  Sid: 'owner-retrieval',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:role/Archivist' },
  Action: ['glacier:InitiateJob', 'glacier:GetJobOutput'],
  Resource: VAULT_ARN,
};
export const PUBLIC_STATEMENT = {
  Sid: 'public-read',
  Effect: 'Allow',
  Principal: '*',
  Action: 'glacier:InitiateJob',
  Resource: VAULT_ARN,
};

/**
 * A vault behind the mocked client, as Glacier answers: no policy and no vault are
 * both ResourceNotFoundException; Set and Delete change what the next Get reads.
 */
export function fakeVault(
  mocks: MockAws,
  vault: { policy?: object; tags?: Record<string, string>; exists?: boolean },
) {
  const stub = mocks.client(glacier);
  const notFound = () => awsError('ResourceNotFoundException', 404);
  stub.on(GetVaultAccessPolicyCommand).callsFake(() => {
    if (vault.exists === false || !vault.policy) throw notFound();
    return { policy: { Policy: JSON.stringify(vault.policy) } };
  });
  stub.on(DescribeVaultCommand).callsFake(() => {
    if (vault.exists === false) throw notFound();
    return { VaultARN: VAULT_ARN, VaultName: 'phi-imaging-archive' };
  });
  stub.on(SetVaultAccessPolicyCommand).callsFake((input: { policy: { Policy: string } }) => {
    vault.policy = JSON.parse(input.policy.Policy);
    return {};
  });
  stub.on(DeleteVaultAccessPolicyCommand).callsFake(() => {
    vault.policy = undefined;
    return {};
  });
  stub.on(ListTagsForVaultCommand).callsFake(() => {
    if (vault.exists === false) throw notFound();
    return { Tags: vault.tags ?? {} };
  });
  return stub;
}

export default {
  drifted: [
    {
      name: 'a vault whose policy lets everyone start retrievals beside the owner’s statement',
      arn: VAULT_ARN,
      aws: (mocks) =>
        fakeVault(mocks, {
          policy: { Version: '2012-10-17', Statement: [OWNER_STATEMENT, PUBLIC_STATEMENT] },
        }),
    },
    {
      name: 'a vault whose policy is only a public statement',
      arn: VAULT_ARN,
      aws: (mocks) => fakeVault(mocks, { policy: { Version: '2012-10-17', Statement: [PUBLIC_STATEMENT] } }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    // accountId "-" is the caller's account: the record's recipient.
    'glacier/SetVaultAccessPolicy.1.json': ['arn:aws:glacier:us-east-1:123456789123:vaults/test'],
  },
  emulator: {
    unsupported:
      'moto implements Glacier vaults but not their access policies (GetVaultAccessPolicy, SetVaultAccessPolicy) or tags',
  },
} satisfies RuleScenarios;

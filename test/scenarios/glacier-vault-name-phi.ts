import type { RuleScenarios } from '../support/scenario';
import { fakeVault } from './glacier-vault-policy-public';

export default {
  drifted: [
    {
      name: 'a vault named after a date of birth',
      arn: 'arn:aws:glacier:us-east-1:123456789012:vaults/dob-1984-03-07-imaging',
      aws: (mocks) => fakeVault(mocks, {}),
    },
  ],
  /** No real CreateVault record in ../shared/cloudtrail-samples. */
  samples: {},
  emulator: {
    unsupported:
      'moto implements Glacier vaults but not their tags (ListTagsForVault), which every ticket reads',
  },
} satisfies RuleScenarios;

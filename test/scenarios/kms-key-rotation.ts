import { CreateKeyCommand, GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { expect } from 'vitest';
import { keyEvent } from '../../local/fixtures';
import { keyIdOf, kms } from '../../src/resources/kms/key';
import { fakeKey, KEY_ARN } from '../support/fake-kms';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'a symmetric customer-managed key without rotation',
      arn: KEY_ARN,
      aws: (mocks) => fakeKey(mocks),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    'kms/DisableKeyRotation.1.json': [
      'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ],
  },
  emulator: {
    async seed(clients) {
      const out = await clients.get(kms).send(new CreateKeyCommand({ Description: 'phi scenario' }));
      return out.KeyMetadata?.Arn as string;
    },
    expect: 'remediated',
    event: (arn) => keyEvent('kms/DisableKeyRotation.basic', arn),
    async fixed(clients, arn) {
      const out = await clients.get(kms).send(new GetKeyRotationStatusCommand({ KeyId: keyIdOf(arn) }));
      expect(out.KeyRotationEnabled).toBe(true);
    },
  },
} satisfies RuleScenarios;

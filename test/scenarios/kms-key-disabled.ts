import { CreateKeyCommand, DisableKeyCommand, EnableKeyRotationCommand } from '@aws-sdk/client-kms';
import { keyEvent } from '../../local/fixtures';
import { keyIdOf, kms } from '../../src/resources/kms/key';
import { fakeKey, KEY_ARN } from '../support/fake-kms';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'a disabled customer-managed key (a ticket)',
      arn: KEY_ARN,
      aws: (mocks) => fakeKey(mocks, { KeyState: 'Disabled', Enabled: false }, { rotation: true }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    'kms/DisableKey.1.json': ['arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    'kms/DisableKey.2.json': ['arn:aws:kms:us-west-2:123456789012:key/1'],
    'kms/DisableKey.3.json': ['arn:aws:kms:us-west-2:123456789012:key/1'],
  },
  emulator: {
    async seed(clients) {
      const client = clients.get(kms);
      const out = await client.send(new CreateKeyCommand({ Description: 'phi scenario' }));
      const arn = out.KeyMetadata?.Arn as string;
      // Rotating: its one drift is being disabled.
      await client.send(new EnableKeyRotationCommand({ KeyId: keyIdOf(arn) }));
      await client.send(new DisableKeyCommand({ KeyId: keyIdOf(arn) }));
      return arn;
    },
    expect: 'ticket',
    event: (arn) => keyEvent('kms/DisableKey.basic', arn),
  },
} satisfies RuleScenarios;

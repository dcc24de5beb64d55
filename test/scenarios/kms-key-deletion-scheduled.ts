import {
  CreateKeyCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { expect } from 'vitest';
import { keyEvent } from '../../local/fixtures';
import { keyIdOf, kms } from '../../src/resources/kms/key';
import { fakeKey, KEY_ARN } from '../support/fake-kms';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'a customer-managed key pending deletion',
      arn: KEY_ARN,
      aws: (mocks) => fakeKey(mocks, { KeyState: 'PendingDeletion', Enabled: false }, { rotation: true }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    'kms/ScheduleKeyDeletion.1.json': [
      'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ],
    'kms/ScheduleKeyDeletion.2.json': [
      'arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    ],
    'kms/ScheduleKeyDeletion.3.json': [
      'arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321',
    ],
  },
  emulator: {
    async seed(clients) {
      const client = clients.get(kms);
      const out = await client.send(new CreateKeyCommand({ Description: 'phi scenario' }));
      const arn = out.KeyMetadata?.Arn as string;
      await client.send(new EnableKeyRotationCommand({ KeyId: keyIdOf(arn) }));
      await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyIdOf(arn), PendingWindowInDays: 7 }));
      return arn;
    },
    expect: 'remediated',
    // Cancelled, the key stays disabled until a person enables it.
    leavesTickets: ['kms-key-disabled'],
    event: (arn) => keyEvent('kms/ScheduleKeyDeletion.basic', arn),
    async fixed(clients, arn) {
      const out = await clients.get(kms).send(new DescribeKeyCommand({ KeyId: keyIdOf(arn) }));
      // Cancelled, and left disabled for a person to decide.
      expect(out.KeyMetadata?.KeyState).toBe('Disabled');
      expect(out.KeyMetadata?.DeletionDate).toBeUndefined();
    },
  },
} satisfies RuleScenarios;

/**
 * §164.308(a)(7)(ii)(A) Data backup and §164.312(a)(2)(iv) Encryption: deleting a
 * customer-managed key that encrypted PHI destroys that data for good (every
 * ciphertext under the key becomes unreadable, backups included). A key scheduled
 * for deletion has its deletion cancelled.
 *
 * CancelKeyDeletion leaves the key Disabled, and that is where PHI Guard stops: a
 * person decides whether to enable it again (kms-key-disabled opens the ticket
 * that tells them). A multi-Region primary waiting for its replicas
 * (PendingReplicaDeletion) is cancelled the same way.
 *
 * Events: ScheduleKeyDeletion.
 */
import { CancelKeyDeletionCommand } from '@aws-sdk/client-kms';
import { awsCall } from '../src/planned-action';
import { describeKey, keyIdOf, kms, kmsKey, notJudged } from '../src/resources/kms/key';
import { defineRule } from '../src/rule';

const SCHEDULED = new Set(['PendingDeletion', 'PendingReplicaDeletion']);

export default defineRule<Record<string, never>>({
  id: 'kms-key-deletion-scheduled',
  title: 'KMS customer-managed key must not be scheduled for deletion',
  severity: 'critical',
  safeguards: ['164.308(a)(7)(ii)(A)', '164.312(a)(2)(iv)'],
  fix: 'CancelKeyDeletion (the key stays Disabled: a person decides whether to enable it)',
  resource: kmsKey,
  triggers: [{ source: 'kms.amazonaws.com', events: ['ScheduleKeyDeletion'] }],
  permissions: { read: [], write: ['kms:CancelKeyDeletion'] },

  async check(arn, ctx) {
    const key = await describeKey(ctx, arn);
    const skip = notJudged(key);
    if (skip) return { state: 'compliant', findings: [], observed: {}, summary: { notJudged: skip } };
    const scheduled = SCHEDULED.has(key.KeyState ?? '');
    return {
      state: scheduled ? 'non-compliant' : 'compliant',
      findings: scheduled ? [`the key is scheduled for deletion (${key.KeyState})`] : [],
      observed: {},
      summary: { keyState: key.KeyState ?? 'unknown' },
    };
  },

  plan(arn) {
    return { kind: 'fix', actions: [awsCall(kms, CancelKeyDeletionCommand, { KeyId: keyIdOf(arn) })] };
  },
});

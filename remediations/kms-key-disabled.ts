/**
 * §164.308(a)(7)(ii)(A) Data backup and §164.312(a)(2)(iv) Encryption: while a
 * customer-managed key is disabled, nothing encrypted under it can be read, PHI
 * included. Enabling it again is a person's decision (it may have been disabled
 * on purpose, during an incident), so this is always a ticket.
 *
 * Events: DisableKey; and ScheduleKeyDeletion, whose cancellation leaves the key
 * disabled.
 */
import { describeKey, kmsKey, notJudged } from '../src/resources/kms/key';
import { defineRule } from '../src/rule';

export default defineRule<Record<string, never>>({
  id: 'kms-key-disabled',
  title: 'KMS customer-managed key must not be disabled',
  severity: 'high',
  safeguards: ['164.308(a)(7)(ii)(A)', '164.312(a)(2)(iv)'],
  fix: 'ticket (enabling a key a person disabled is their decision)',
  resource: kmsKey,
  triggers: [{ source: 'kms.amazonaws.com', events: ['DisableKey'] }],
  // The key's state is in the description the resource type reads.
  permissions: { read: [], write: [] },

  async check(arn, ctx) {
    const key = await describeKey(ctx, arn);
    const skip = notJudged(key);
    if (skip) return { state: 'compliant', findings: [], observed: {}, summary: { notJudged: skip } };
    const disabled = key.KeyState === 'Disabled';
    return {
      state: disabled ? 'non-compliant' : 'compliant',
      findings: disabled ? ['the key is disabled: data encrypted under it cannot be read'] : [],
      observed: {},
      summary: { keyState: key.KeyState ?? 'unknown' },
    };
  },

  plan() {
    return {
      kind: 'ticket',
      reason:
        'a disabled key makes everything encrypted under it unreadable: enable it (EnableKey) once its owner confirms',
    };
  },
});

/**
 * §164.312(a)(2)(iv) Encryption and decryption: a customer-managed key that
 * protects PHI rotates its key material every year, so one exposed key version
 * reads only part of the data.
 *
 * Judged: symmetric encryption keys with key material from KMS (AWS_KMS origin),
 * the only ones KMS rotates; a multi-Region key on its primary (replicas follow
 * it). Asymmetric and HMAC keys, imported or custom-key-store material and
 * AWS-managed keys are out of scope. A key pending deletion is not judged here
 * (kms-key-deletion-scheduled is); turning rotation on for a disabled key is
 * deferred until it is enabled again (kms-key-disabled has the ticket meanwhile).
 * EnableKeyRotation keeps the rotation period already set.
 *
 * Events: CreateKey (rotation starts off) and DisableKeyRotation.
 */
import { EnableKeyRotationCommand, GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { ResourceGoneError } from '../src/errors';
import { awsCall } from '../src/planned-action';
import { describeKey, isKeyGone, keyIdOf, kms, kmsKey, notJudged } from '../src/resources/kms/key';
import { defineRule } from '../src/rule';

interface Observed {
  keyState: string;
}

export default defineRule<Observed>({
  id: 'kms-key-rotation',
  title: 'KMS customer-managed key must rotate its key material',
  severity: 'medium',
  safeguards: ['164.312(a)(2)(iv)'],
  fix: 'EnableKeyRotation (symmetric customer-managed keys; a disabled key waits until it is enabled)',
  resource: kmsKey,
  triggers: [{ source: 'kms.amazonaws.com', events: ['CreateKey', 'DisableKeyRotation'] }],
  permissions: { read: ['kms:GetKeyRotationStatus'], write: ['kms:EnableKeyRotation'] },

  async check(arn, ctx) {
    const key = await describeKey(ctx, arn);
    const skip =
      notJudged(key) ??
      // SYMMETRIC_DEFAULT is the symmetric encryption key (HMAC and asymmetric keys have
      // specs of their own); the emulator leaves KeyUsage out, so the spec decides.
      ((key.KeySpec ?? key.CustomerMasterKeySpec) !== 'SYMMETRIC_DEFAULT'
        ? `${key.KeySpec ?? key.CustomerMasterKeySpec ?? 'unknown'} keys do not rotate automatically`
        : key.Origin !== 'AWS_KMS'
          ? `key material from ${key.Origin ?? 'unknown'} does not rotate automatically`
          : key.MultiRegionConfiguration?.MultiRegionKeyType === 'REPLICA'
            ? 'a multi-Region replica rotates with its primary'
            : undefined);
    const keyState = key.KeyState ?? 'unknown';
    const notNow =
      skip ??
      (keyState !== 'Enabled' && keyState !== 'Disabled'
        ? `the key is ${keyState}` // pending deletion or import, unavailable: nothing to rotate now
        : undefined);
    if (notNow)
      return { state: 'compliant', findings: [], observed: { keyState }, summary: { notJudged: notNow } };
    const rotating = await ctx.reads.get(arn, 'kms:rotation', async () => {
      try {
        const out = await ctx.clients.get(kms).send(new GetKeyRotationStatusCommand({ KeyId: keyIdOf(arn) }));
        return out.KeyRotationEnabled === true;
      } catch (error) {
        if (isKeyGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    });
    return {
      state: rotating ? 'compliant' : 'non-compliant',
      findings: rotating ? [] : ['automatic key rotation is off'],
      observed: { keyState },
      summary: { rotation: rotating },
    };
  },

  plan(arn, observed) {
    if (observed.keyState !== 'Enabled') {
      return {
        kind: 'defer',
        reason: `the key is ${observed.keyState}; its rotation is turned on once it is enabled`,
      };
    }
    return {
      kind: 'fix',
      settle: { timeoutSeconds: 10, intervalSeconds: 2 },
      actions: [awsCall(kms, EnableKeyRotationCommand, { KeyId: keyIdOf(arn) })],
    };
  },
});

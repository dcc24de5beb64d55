/**
 * §164.312(a)(2)(iv) Encryption and decryption: an EBS volume that may hold PHI
 * is encrypted at rest. A volume cannot be encrypted in place (it has to be
 * snapshotted, copied encrypted, restored and swapped under its instance, which
 * stops the instance), so this is always a ticket; EBS encryption by default
 * (`ebs-encryption-by-default`) keeps new volumes from needing one.
 *
 * Events: CreateVolume (its answer names the volume) and RunInstances (the new
 * instances' volumes, found by their attachment).
 */
import { describeVolume, ebsVolume } from '../src/resources/ec2/volume';
import { defineRule } from '../src/rule';

interface Observed {
  attachedTo: string[];
}

export default defineRule<Observed>({
  id: 'ebs-volume-encrypted',
  title: 'EBS volume must be encrypted',
  severity: 'high',
  safeguards: ['164.312(a)(2)(iv)'],
  fix: 'ticket (a volume cannot be encrypted in place: snapshot, encrypted copy, restore, swap)',
  resource: ebsVolume,
  triggers: [{ source: 'ec2.amazonaws.com', events: ['CreateVolume', 'RunInstances'] }],
  // The description the resource type reads carries the encryption flag.
  permissions: { read: [], write: [] },

  async check(arn, ctx) {
    const volume = await describeVolume(ctx, arn);
    const encrypted = volume.Encrypted === true;
    const attachedTo = (volume.Attachments ?? []).flatMap((a) => (a.InstanceId ? [a.InstanceId] : []));
    return {
      state: encrypted ? 'compliant' : 'non-compliant',
      findings: encrypted ? [] : ['volume is not encrypted'],
      observed: { attachedTo },
      summary: { encrypted, attachedTo: attachedTo.join(', ') || 'none' },
    };
  },

  plan(_arn, observed) {
    return {
      kind: 'ticket',
      reason: `an EBS volume cannot be encrypted in place: snapshot it, copy the snapshot encrypted, restore a new volume and swap it in${observed.attachedTo.length > 0 ? ` (stops ${observed.attachedTo.join(', ')})` : ''}`,
    };
  },
});

/**
 * §164.312(a)(1) Access control: an EBS snapshot of a volume holding PHI must not
 * be restorable by every AWS account. Compliant means its createVolumePermission
 * has no `all` group. The fix removes `all` and nothing else: the accounts it was
 * shared with by id stay (sharing with a known account is a decision, not drift).
 *
 * Events: ModifySnapshotAttribute (making it public).
 */
import {
  type CreateVolumePermission,
  DescribeSnapshotAttributeCommand,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import { ResourceGoneError } from '../src/errors';
import { awsCall } from '../src/planned-action';
import { ebsSnapshot, isSnapshotGone, snapshotIdOf } from '../src/resources/ec2/snapshot';
import { ec2 } from '../src/resources/ec2/vpc';
import { defineRule } from '../src/rule';

interface Observed {
  public: boolean;
  sharedWithAccounts: number;
}

export default defineRule<Observed>({
  id: 'ebs-snapshot-public',
  title: 'EBS snapshot must not be public',
  severity: 'critical',
  safeguards: ['164.312(a)(1)'],
  fix: 'remove the group `all` from its createVolumePermission; accounts it is shared with stay',
  resource: ebsSnapshot,
  triggers: [{ source: 'ec2.amazonaws.com', events: ['ModifySnapshotAttribute'] }],
  permissions: { read: ['ec2:DescribeSnapshotAttribute'], write: ['ec2:ModifySnapshotAttribute'] },

  async check(arn, ctx) {
    let permissions: CreateVolumePermission[];
    try {
      const out = await ctx.reads.get(arn, 'ec2:snapshot-permissions', () =>
        ctx.clients.get(ec2).send(
          new DescribeSnapshotAttributeCommand({
            SnapshotId: snapshotIdOf(arn),
            Attribute: 'createVolumePermission',
          }),
        ),
      );
      permissions = out.CreateVolumePermissions ?? [];
    } catch (error) {
      if (isSnapshotGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
    const isPublic = permissions.some((p) => p.Group === 'all');
    const sharedWithAccounts = permissions.filter((p) => p.UserId).length;
    return {
      state: isPublic ? 'non-compliant' : 'compliant',
      findings: isPublic ? ['snapshot is restorable by every AWS account (group all)'] : [],
      observed: { public: isPublic, sharedWithAccounts },
      summary: { public: isPublic, sharedWithAccounts },
    };
  },

  plan(arn) {
    return {
      kind: 'fix',
      actions: [
        awsCall(ec2, ModifySnapshotAttributeCommand, {
          SnapshotId: snapshotIdOf(arn),
          Attribute: 'createVolumePermission',
          OperationType: 'remove',
          GroupNames: ['all'],
        }),
      ],
    };
  },
});

/**
 * §164.312(a)(1) Access control: a snapshot of a database holding PHI must not be
 * restorable by every AWS account. Compliant means the snapshot's `restore`
 * attribute does not hold `all`. The fix removes `all` and nothing else: the
 * accounts it was shared with by id stay (sharing with a known account is a
 * decision, not drift).
 *
 * Events: ModifyDBSnapshotAttribute (making it public).
 */
import { ModifyDBSnapshotAttributeCommand } from '@aws-sdk/client-rds';
import { awsCall } from '../src/planned-action';
import { dbSnapshot, dbSnapshotIdOf, dbSnapshotRestorers } from '../src/resources/rds/db-snapshot';
import { rds } from '../src/resources/rds/rds-client';
import { defineRule } from '../src/rule';

export default defineRule<Record<string, never>>({
  id: 'rds-snapshot-public',
  title: 'RDS DB snapshot must not be public',
  severity: 'critical',
  safeguards: ['164.312(a)(1)'],
  fix: 'remove `all` from its restore attribute; accounts it is shared with stay',
  resource: dbSnapshot,
  triggers: [{ source: 'rds.amazonaws.com', events: ['ModifyDBSnapshotAttribute'] }],
  permissions: { read: ['rds:DescribeDBSnapshotAttributes'], write: ['rds:ModifyDBSnapshotAttribute'] },

  async check(arn, ctx) {
    const restorers = await dbSnapshotRestorers(ctx, arn);
    const isPublic = restorers.includes('all');
    const accounts = restorers.filter((value) => value !== 'all').length;
    return {
      state: isPublic ? 'non-compliant' : 'compliant',
      findings: isPublic ? ['any AWS account can restore the snapshot'] : [],
      observed: {},
      summary: { public: isPublic, sharedWithAccounts: accounts },
    };
  },

  plan(arn) {
    return {
      kind: 'fix',
      actions: [
        awsCall(rds, ModifyDBSnapshotAttributeCommand, {
          DBSnapshotIdentifier: dbSnapshotIdOf(arn),
          AttributeName: 'restore',
          ValuesToRemove: ['all'],
        }),
      ],
    };
  },
});

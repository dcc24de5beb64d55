/**
 * §164.312(a)(1) Access control: a snapshot of an Aurora or Multi-AZ DB cluster
 * holding PHI must not be restorable by every AWS account. Compliant means its
 * `restore` attribute does not hold `all`. The fix removes `all` and nothing else:
 * the accounts it was shared with by id stay.
 *
 * Events: ModifyDBClusterSnapshotAttribute (making it public).
 */
import { ModifyDBClusterSnapshotAttributeCommand } from '@aws-sdk/client-rds';
import { awsCall } from '../src/planned-action';
import {
  dbClusterSnapshot,
  dbClusterSnapshotIdOf,
  dbClusterSnapshotRestorers,
} from '../src/resources/rds/db-cluster-snapshot';
import { rds } from '../src/resources/rds/rds-client';
import { defineRule } from '../src/rule';

export default defineRule<Record<string, never>>({
  id: 'rds-cluster-snapshot-public',
  title: 'RDS DB cluster snapshot must not be public',
  severity: 'critical',
  safeguards: ['164.312(a)(1)'],
  fix: 'remove `all` from its restore attribute; accounts it is shared with stay',
  resource: dbClusterSnapshot,
  triggers: [{ source: 'rds.amazonaws.com', events: ['ModifyDBClusterSnapshotAttribute'] }],
  permissions: {
    read: ['rds:DescribeDBClusterSnapshotAttributes'],
    write: ['rds:ModifyDBClusterSnapshotAttribute'],
  },

  async check(arn, ctx) {
    const restorers = await dbClusterSnapshotRestorers(ctx, arn);
    const isPublic = restorers.includes('all');
    const accounts = restorers.filter((value) => value !== 'all').length;
    return {
      state: isPublic ? 'non-compliant' : 'compliant',
      findings: isPublic ? ['any AWS account can restore the cluster snapshot'] : [],
      observed: {},
      summary: { public: isPublic, sharedWithAccounts: accounts },
    };
  },

  plan(arn) {
    return {
      kind: 'fix',
      actions: [
        awsCall(rds, ModifyDBClusterSnapshotAttributeCommand, {
          DBClusterSnapshotIdentifier: dbClusterSnapshotIdOf(arn),
          AttributeName: 'restore',
          ValuesToRemove: ['all'],
        }),
      ],
    };
  },
});

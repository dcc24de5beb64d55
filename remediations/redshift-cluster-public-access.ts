/**
 * §164.312(a)(1) Access control: a data warehouse holding PHI is reachable from
 * its VPC only. A publicly accessible Redshift cluster has a public address; its
 * security group is then all that stands between PHI and the internet.
 *
 * The fix is ModifyCluster PubliclyAccessible=false (no reboot). The change takes
 * a while to show: the engine reads it back for up to
 * {@link CLUSTER_PUBLIC_ACCESS_SETTLE}.timeoutSeconds, then reports `pending` and
 * the next event or sweep confirms it. A cluster still being created (or paused)
 * refuses modifications: the fix waits for the next event or sweep.
 *
 * Events: CreateCluster, ModifyCluster and RestoreFromClusterSnapshot.
 */
import { ModifyClusterCommand } from '@aws-sdk/client-redshift';
import { awsCall } from '../src/planned-action';
import {
  CLUSTER_NOT_MODIFIABLE,
  describeRedshiftCluster,
  redshift,
  redshiftCluster,
  redshiftClusterIdOf,
} from '../src/resources/redshift/cluster';
import { defineRule, type Settle } from '../src/rule';

/** How long an event waits for the change to show before reporting `pending`. */
export const CLUSTER_PUBLIC_ACCESS_SETTLE: Settle = { timeoutSeconds: 20, intervalSeconds: 5 };

interface Observed {
  status: string;
}

export default defineRule<Observed>({
  id: 'redshift-cluster-public-access',
  title: 'Redshift cluster must not be publicly accessible',
  severity: 'critical',
  safeguards: ['164.312(a)(1)'],
  fix: 'PubliclyAccessible=false (no reboot); a cluster still being created is fixed by the next event or sweep',
  resource: redshiftCluster,
  triggers: [
    {
      source: 'redshift.amazonaws.com',
      events: ['CreateCluster', 'ModifyCluster', 'RestoreFromClusterSnapshot'],
    },
  ],
  permissions: { read: [], write: ['redshift:ModifyCluster'] },

  async check(arn, ctx) {
    const cluster = await describeRedshiftCluster(ctx, arn);
    const exposed = cluster.PubliclyAccessible === true;
    return {
      state: exposed ? 'non-compliant' : 'compliant',
      findings: exposed ? ['the cluster is publicly accessible'] : [],
      observed: { status: cluster.ClusterStatus ?? 'unknown' },
      summary: { publiclyAccessible: exposed, status: cluster.ClusterStatus },
    };
  },

  plan(arn, observed) {
    if (CLUSTER_NOT_MODIFIABLE.has(observed.status)) {
      return {
        kind: 'defer',
        reason: `the cluster is ${observed.status} and refuses modifications until it is available; the next event or sweep makes it private`,
      };
    }
    return {
      kind: 'fix',
      actions: [
        awsCall(redshift, ModifyClusterCommand, {
          ClusterIdentifier: redshiftClusterIdOf(arn),
          PubliclyAccessible: false,
        }),
      ],
      settle: CLUSTER_PUBLIC_ACCESS_SETTLE,
    };
  },
});

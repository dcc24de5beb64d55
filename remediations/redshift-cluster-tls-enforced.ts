/**
 * §164.312(e)(1) Transmission security: a Redshift cluster holding PHI refuses
 * clients that do not use TLS: `require_ssl=true` in its cluster parameter group.
 * The parameter is static (it takes a reboot) and cuts off every client still
 * connecting in plaintext, and the default group cannot be changed: a ticket.
 *
 * Events: ModifyClusterParameterGroup and ResetClusterParameterGroup (the clusters
 * using the group are found by a read), and CreateCluster and ModifyCluster (which
 * may switch groups).
 */
import {
  clusterParameterValue,
  describeRedshiftCluster,
  redshiftCluster,
} from '../src/resources/redshift/cluster';
import { defineRule } from '../src/rule';

interface Observed {
  groups: string[];
}

export default defineRule<Observed>({
  id: 'redshift-cluster-tls-enforced',
  title: 'Redshift cluster must refuse connections without TLS (require_ssl)',
  severity: 'high',
  safeguards: ['164.312(e)(1)'],
  fix: 'ticket (require_ssl=true in a custom parameter group takes a reboot and cuts off plaintext clients)',
  resource: redshiftCluster,
  triggers: [
    {
      source: 'redshift.amazonaws.com',
      events: ['CreateCluster', 'ModifyCluster', 'ModifyClusterParameterGroup', 'ResetClusterParameterGroup'],
    },
  ],
  permissions: { read: ['redshift:DescribeClusterParameters'], write: [] },

  async check(arn, ctx) {
    const cluster = await describeRedshiftCluster(ctx, arn);
    const groups = (cluster.ClusterParameterGroups ?? []).flatMap((g) =>
      g.ParameterGroupName ? [g.ParameterGroupName] : [],
    );
    const values = await Promise.all(groups.map((group) => clusterParameterValue(ctx, group, 'require_ssl')));
    const enforced = values.length > 0 && values.every((value) => value?.toLowerCase() === 'true');
    return {
      state: enforced ? 'compliant' : 'non-compliant',
      findings: enforced ? [] : [`require_ssl is off in parameter group ${groups.join(', ') || '(none)'}`],
      observed: { groups },
      summary: { requireSsl: enforced },
    };
  },

  plan(_arn, observed) {
    return {
      kind: 'ticket',
      reason: `set require_ssl=true in the cluster's parameter group (${observed.groups.join(', ')}; the default group must first be replaced by a custom one), then reboot: clients without TLS are refused`,
    };
  },
});

/**
 * §164.312(e)(1) Transmission security: an Aurora or Multi-AZ DB cluster holding
 * PHI refuses clients that do not use TLS: `rds.force_ssl=1` (PostgreSQL) or
 * `require_secure_transport=ON` (MySQL) in its DB cluster parameter group.
 * Turning it on can need a reboot and cuts off every client still connecting in
 * plaintext, and default groups cannot be changed: a ticket.
 *
 * Events: a cluster parameter group changed or reset (the clusters using it are
 * found by a read), and the calls that create, restore or modify a cluster.
 */
import { dbCluster, describeDbCluster } from '../src/resources/rds/db-cluster';
import { parameterValue, tlsParameterOf } from '../src/resources/rds/tls-parameter';
import { defineRule } from '../src/rule';

interface Observed {
  parameter: string;
  group: string;
}

export default defineRule<Observed>({
  id: 'rds-cluster-tls-enforced',
  title: 'RDS Aurora / Multi-AZ DB cluster must refuse connections without TLS',
  severity: 'high',
  safeguards: ['164.312(e)(1)'],
  fix: 'ticket (rds.force_ssl / require_secure_transport in a custom cluster parameter group; can need a reboot and cuts off plaintext clients)',
  resource: dbCluster,
  triggers: [
    {
      source: 'rds.amazonaws.com',
      events: [
        'CreateDBCluster',
        'ModifyDBCluster',
        'ModifyDBClusterParameterGroup',
        'ResetDBClusterParameterGroup',
        'RestoreDBClusterFromS3',
        'RestoreDBClusterFromSnapshot',
        'RestoreDBClusterToPointInTime',
      ],
    },
  ],
  permissions: { read: ['rds:DescribeDBClusterParameters'], write: [] },

  async check(arn, ctx) {
    const cluster = await describeDbCluster(ctx, arn);
    const parameter = tlsParameterOf(cluster.Engine);
    if (!parameter) {
      return {
        state: 'compliant',
        findings: [],
        observed: { parameter: '', group: '' },
        summary: { tlsParameter: 'none for this engine', engine: cluster.Engine },
      };
    }
    const group = cluster.DBClusterParameterGroup ?? '';
    const enforced =
      group !== '' && parameter.enforces(await parameterValue(ctx, 'cluster', group, parameter.name));
    return {
      state: enforced ? 'compliant' : 'non-compliant',
      findings: enforced ? [] : [`${parameter.name} is off in cluster parameter group ${group || '(none)'}`],
      observed: { parameter: parameter.name, group },
      summary: { tlsEnforced: enforced, tlsParameter: parameter.name, engine: cluster.Engine },
    };
  },

  plan(_arn, observed) {
    return {
      kind: 'ticket',
      reason: `set ${observed.parameter} on in the cluster parameter group ${observed.group} (a default group must first be replaced by a custom one); it can need a reboot and cuts off clients without TLS`,
    };
  },
});

/**
 * §164.312(e)(1) Transmission security: a database holding PHI refuses clients
 * that do not use TLS. For RDS that is a parameter of the instance's DB parameter
 * group: `rds.force_ssl=1` (PostgreSQL, SQL Server) or
 * `require_secure_transport=ON` (MySQL, MariaDB). Turning it on can need a
 * reboot and cuts off every client still connecting in plaintext, and default
 * groups cannot be changed at all: a ticket, never an automatic fix.
 *
 * Instances of an Aurora or Multi-AZ DB cluster take the parameter from the
 * cluster's parameter group (rds-cluster-tls-enforced). Engines with no such
 * parameter (Oracle, Db2) are not judged here.
 *
 * Events: a parameter group changed or reset (the instances using it are found by
 * a read), and the calls that create, restore or modify an instance (which may
 * switch groups).
 */
import { dbInstance, describeDbInstance } from '../src/resources/rds/db-instance';
import { parameterValue, tlsParameterOf } from '../src/resources/rds/tls-parameter';
import { defineRule } from '../src/rule';

interface Observed {
  parameter: string;
  groups: string[];
}

export default defineRule<Observed>({
  id: 'rds-instance-tls-enforced',
  title: 'RDS DB instance must refuse connections without TLS',
  severity: 'high',
  safeguards: ['164.312(e)(1)'],
  fix: 'ticket (rds.force_ssl / require_secure_transport in a custom parameter group; can need a reboot and cuts off plaintext clients)',
  resource: dbInstance,
  triggers: [
    {
      source: 'rds.amazonaws.com',
      events: [
        'CreateDBInstance',
        'ModifyDBInstance',
        'ModifyDBParameterGroup',
        'ResetDBParameterGroup',
        'RestoreDBInstanceFromDBSnapshot',
        'RestoreDBInstanceFromS3',
        'RestoreDBInstanceToPointInTime',
      ],
    },
  ],
  permissions: { read: ['rds:DescribeDBParameters'], write: [] },

  async check(arn, ctx) {
    const instance = await describeDbInstance(ctx, arn);
    if (instance.DBClusterIdentifier) {
      return {
        state: 'compliant',
        findings: [],
        observed: { parameter: '', groups: [] },
        summary: { judgedOnCluster: instance.DBClusterIdentifier },
      };
    }
    const parameter = tlsParameterOf(instance.Engine);
    if (!parameter) {
      return {
        state: 'compliant',
        findings: [],
        observed: { parameter: '', groups: [] },
        summary: { tlsParameter: 'none for this engine', engine: instance.Engine },
      };
    }
    const groups = (instance.DBParameterGroups ?? []).flatMap((g) =>
      g.DBParameterGroupName ? [g.DBParameterGroupName] : [],
    );
    const values = await Promise.all(groups.map((group) => parameterValue(ctx, 'db', group, parameter.name)));
    const enforced = values.length > 0 && values.every((value) => parameter.enforces(value));
    return {
      state: enforced ? 'compliant' : 'non-compliant',
      findings: enforced
        ? []
        : [`${parameter.name} is off in parameter group ${groups.join(', ') || '(none)'}`],
      observed: { parameter: parameter.name, groups },
      summary: { tlsEnforced: enforced, tlsParameter: parameter.name, engine: instance.Engine },
    };
  },

  plan(_arn, observed) {
    return {
      kind: 'ticket',
      reason: `set ${observed.parameter} on in the instance's parameter group (${observed.groups.join(', ')}; a default group must first be replaced by a custom one); it can need a reboot and cuts off clients without TLS`,
    };
  },
});

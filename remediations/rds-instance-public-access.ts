/**
 * §164.312(a)(1) Access control: a database holding PHI is reachable from its VPC
 * only. A publicly accessible DB instance has a DNS name that resolves to a public
 * address; its security group is then the only thing between PHI and the internet.
 *
 * The fix is ModifyDBInstance PubliclyAccessible=false with ApplyImmediately=false:
 * RDS applies PubliclyAccessible at once whatever ApplyImmediately says, while
 * ApplyImmediately=true would also apply every modification queued for the
 * maintenance window (an instance class change restarts the database). The change
 * takes a minute or more to show: the engine reads it back for up to
 * {@link PUBLIC_ACCESS_SETTLE}.timeoutSeconds, then reports `pending` and the next
 * event or sweep confirms it. An instance still being created (or stopped) refuses
 * modifications: the fix waits for the next event or sweep (deferred, not failed).
 *
 * Events: the calls that create, restore or modify an instance.
 */
import { ModifyDBInstanceCommand } from '@aws-sdk/client-rds';
import { awsCall } from '../src/planned-action';
import {
  dbInstance,
  dbInstanceIdOf,
  describeDbInstance,
  INSTANCE_NOT_MODIFIABLE,
} from '../src/resources/rds/db-instance';
import { rds } from '../src/resources/rds/rds-client';
import { defineRule, type Settle } from '../src/rule';

/** How long an event waits for the change to show before reporting `pending`. */
export const PUBLIC_ACCESS_SETTLE: Settle = { timeoutSeconds: 20, intervalSeconds: 5 };

interface Observed {
  status: string;
}

export default defineRule<Observed>({
  id: 'rds-instance-public-access',
  title: 'RDS DB instance must not be publicly accessible',
  severity: 'critical',
  safeguards: ['164.312(a)(1)'],
  fix: 'PubliclyAccessible=false (applies at once; changes queued for the maintenance window stay queued); an instance still being created is fixed by the next event or sweep',
  resource: dbInstance,
  triggers: [
    {
      source: 'rds.amazonaws.com',
      events: [
        'CreateDBInstance',
        'CreateDBInstanceReadReplica',
        'ModifyDBInstance',
        'RestoreDBInstanceFromDBSnapshot',
        'RestoreDBInstanceFromS3',
        'RestoreDBInstanceToPointInTime',
      ],
    },
  ],
  permissions: { read: [], write: ['rds:ModifyDBInstance'] },

  async check(arn, ctx) {
    const instance = await describeDbInstance(ctx, arn);
    const exposed = instance.PubliclyAccessible === true;
    return {
      state: exposed ? 'non-compliant' : 'compliant',
      findings: exposed ? ['the instance is publicly accessible'] : [],
      observed: { status: instance.DBInstanceStatus ?? 'unknown' },
      summary: { publiclyAccessible: exposed, status: instance.DBInstanceStatus },
    };
  },

  plan(arn, observed) {
    if (INSTANCE_NOT_MODIFIABLE.has(observed.status)) {
      return {
        kind: 'defer',
        reason: `the instance is ${observed.status} and refuses modifications until it is available; the next event or sweep makes it private`,
      };
    }
    return {
      kind: 'fix',
      actions: [
        awsCall(rds, ModifyDBInstanceCommand, {
          DBInstanceIdentifier: dbInstanceIdOf(arn),
          PubliclyAccessible: false,
          ApplyImmediately: false,
        }),
      ],
      settle: PUBLIC_ACCESS_SETTLE,
    };
  },
});

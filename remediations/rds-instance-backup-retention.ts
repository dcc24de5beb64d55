/**
 * §164.308(a)(7)(ii)(A) Data backup plan: a DB instance holding PHI keeps
 * automated backups (point-in-time restore) for at least the configured number of
 * days ({@link minBackupDays}, 7 unless set).
 *
 * A retention between 1 day and the minimum is raised to the minimum; a longer one
 * is never lowered. Retention 0 means backups are off: turning them on suspends I/O
 * and can restart the instance, so that is a ticket. The fix passes
 * ApplyImmediately=false: RDS applies a change between two non-zero retentions as
 * soon as it can anyway, while ApplyImmediately=true would also apply every
 * modification queued for the maintenance window. An instance still being created
 * (or stopped) refuses modifications: the fix waits for the next event or sweep.
 *
 * An instance of an Aurora or Multi-AZ DB cluster keeps the cluster's backups:
 * rds-cluster-backup-retention judges it there.
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
import { ruleSetting } from '../src/rule-settings';
import * as z from '../src/zod';

/** The shortest backup retention PHI Guard accepts, for DB instances and clusters alike. */
export const minBackupDays = ruleSetting({
  env: 'PHIGUARD_MIN_BACKUP_DAYS',
  file: 'backups.minRetentionDays',
  description:
    'shortest automated-backup retention accepted for RDS instances and clusters, in days (1 to 35); shorter ones are raised to it, longer ones kept',
  unset: '7',
  schema: z.coerce
    .number()
    .check(
      z.int('must be a whole number of days'),
      z.minimum(1),
      z.maximum(35, 'RDS keeps backups 35 days at most'),
    ),
});

export const DEFAULT_MIN_BACKUP_DAYS = 7;

/** How long an event waits for the new retention to show before reporting `pending`. */
export const BACKUP_RETENTION_SETTLE: Settle = { timeoutSeconds: 20, intervalSeconds: 5 };

/** An instance's or a cluster's retention judged against the minimum: shared by both rules. */
export function judgeRetention(retentionDays: number, minimum: number, status: string) {
  const compliant = retentionDays >= minimum;
  return {
    state: compliant ? ('compliant' as const) : ('non-compliant' as const),
    findings: compliant
      ? []
      : [
          retentionDays === 0
            ? 'automated backups are off'
            : `backups are kept ${retentionDays} of ${minimum} days`,
        ],
    observed: { retentionDays, status },
    summary: { backupRetentionDays: retentionDays, minimumDays: minimum },
  };
}

interface Observed {
  retentionDays: number;
  status: string;
}

const settings = { minDays: minBackupDays };

export default defineRule<Observed, typeof settings>({
  id: 'rds-instance-backup-retention',
  title: 'RDS DB instance must keep automated backups for the minimum retention',
  severity: 'medium',
  safeguards: ['164.308(a)(7)(ii)(A)'],
  fix: 'raise BackupRetentionPeriod to the minimum (never lowered; queued maintenance stays queued); backups off (0) → ticket (turning them on suspends I/O)',
  resource: dbInstance,
  triggers: [
    {
      source: 'rds.amazonaws.com',
      events: [
        'CreateDBInstance',
        'ModifyDBInstance',
        'RestoreDBInstanceFromDBSnapshot',
        'RestoreDBInstanceFromS3',
        'RestoreDBInstanceToPointInTime',
      ],
    },
  ],
  settings,
  permissions: { read: [], write: ['rds:ModifyDBInstance'] },

  async check(arn, ctx) {
    const instance = await describeDbInstance(ctx, arn);
    if (instance.DBClusterIdentifier) {
      return {
        state: 'compliant',
        findings: [],
        observed: { retentionDays: 0, status: '' },
        summary: { judgedOnCluster: instance.DBClusterIdentifier },
      };
    }
    return judgeRetention(
      instance.BackupRetentionPeriod ?? 0,
      ctx.settings.minDays ?? DEFAULT_MIN_BACKUP_DAYS,
      instance.DBInstanceStatus ?? 'unknown',
    );
  },

  plan(arn, observed, ctx) {
    if (observed.retentionDays === 0) {
      return {
        kind: 'ticket',
        reason: 'automated backups are off; turning them on suspends I/O and can restart the instance',
      };
    }
    if (INSTANCE_NOT_MODIFIABLE.has(observed.status)) {
      return {
        kind: 'defer',
        reason: `the instance is ${observed.status} and refuses modifications until it is available; the next event or sweep raises its retention`,
      };
    }
    return {
      kind: 'fix',
      actions: [
        awsCall(rds, ModifyDBInstanceCommand, {
          DBInstanceIdentifier: dbInstanceIdOf(arn),
          BackupRetentionPeriod: ctx.settings.minDays ?? DEFAULT_MIN_BACKUP_DAYS,
          ApplyImmediately: false,
        }),
      ],
      settle: BACKUP_RETENTION_SETTLE,
    };
  },
});

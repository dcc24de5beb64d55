/**
 * §164.308(a)(7)(ii)(A) Data backup plan: an Aurora or Multi-AZ DB cluster
 * holding PHI keeps automated backups for at least the configured number of days
 * (PHIGUARD_MIN_BACKUP_DAYS, shared with rds-instance-backup-retention; 7 unless
 * set). A shorter retention is raised to the minimum, a longer one never lowered.
 * Clusters always keep at least one day; a retention of 0 (not expected) would be a
 * ticket, as for instances. A cluster still being created (or stopped) refuses
 * modifications: the fix waits for the next event or sweep.
 *
 * Events: the calls that create, restore or modify a cluster.
 */
import { ModifyDBClusterCommand } from '@aws-sdk/client-rds';
import { awsCall } from '../src/planned-action';
import {
  CLUSTER_NOT_MODIFIABLE,
  dbCluster,
  dbClusterIdOf,
  describeDbCluster,
} from '../src/resources/rds/db-cluster';
import { rds } from '../src/resources/rds/rds-client';
import { defineRule } from '../src/rule';
import {
  BACKUP_RETENTION_SETTLE,
  DEFAULT_MIN_BACKUP_DAYS,
  judgeRetention,
  minBackupDays,
} from './rds-instance-backup-retention';

interface Observed {
  retentionDays: number;
  status: string;
}

const settings = { minDays: minBackupDays };

export default defineRule<Observed, typeof settings>({
  id: 'rds-cluster-backup-retention',
  title: 'RDS Aurora / Multi-AZ DB cluster must keep automated backups for the minimum retention',
  severity: 'medium',
  safeguards: ['164.308(a)(7)(ii)(A)'],
  fix: 'raise BackupRetentionPeriod to the minimum (never lowered)',
  resource: dbCluster,
  triggers: [
    {
      source: 'rds.amazonaws.com',
      events: [
        'CreateDBCluster',
        'ModifyDBCluster',
        'RestoreDBClusterFromS3',
        'RestoreDBClusterFromSnapshot',
        'RestoreDBClusterToPointInTime',
      ],
    },
  ],
  settings,
  permissions: { read: [], write: ['rds:ModifyDBCluster'] },

  async check(arn, ctx) {
    const cluster = await describeDbCluster(ctx, arn);
    return judgeRetention(
      cluster.BackupRetentionPeriod ?? 0,
      ctx.settings.minDays ?? DEFAULT_MIN_BACKUP_DAYS,
      cluster.Status ?? 'unknown',
    );
  },

  plan(arn, observed, ctx) {
    if (observed.retentionDays === 0) {
      return { kind: 'ticket', reason: 'automated backups are off; turning them on suspends I/O' };
    }
    if (CLUSTER_NOT_MODIFIABLE.has(observed.status)) {
      return {
        kind: 'defer',
        reason: `the cluster is ${observed.status} and refuses modifications until it is available; the next event or sweep raises its retention`,
      };
    }
    return {
      kind: 'fix',
      actions: [
        awsCall(rds, ModifyDBClusterCommand, {
          DBClusterIdentifier: dbClusterIdOf(arn),
          BackupRetentionPeriod: ctx.settings.minDays ?? DEFAULT_MIN_BACKUP_DAYS,
          ApplyImmediately: false,
        }),
      ],
      settle: BACKUP_RETENTION_SETTLE,
    };
  },
});

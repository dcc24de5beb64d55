/**
 * AWS::RDS::DBClusterSnapshot, a manual snapshot of an Aurora or Multi-AZ DB
 * cluster (automated ones are the cluster's backups and cannot be shared). The
 * sweep lists the account's own manual cluster snapshots and keeps their
 * descriptions, tags included. Who may restore one is its `restore` attribute:
 * account ids, or `all` when it is public.
 */
import {
  type DBClusterSnapshot,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
} from '@aws-sdk/client-rds';
import { hasErrorCode } from '../../aws-errors';
import type { CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';
import { rds, rdsArn, rdsArnsOf, rdsIdOf, rdsPageSize } from './rds-client';

const DESCRIPTION = 'rds:db-cluster-snapshot';

export function dbClusterSnapshotIdOf(arn: string): string {
  return rdsIdOf(arn, 'cluster-snapshot');
}

function clusterSnapshotArns(record: CloudTrailRecord): string[] {
  return rdsArnsOf(record, 'cluster-snapshot', 'dBClusterSnapshotArn', [
    'dBClusterSnapshotIdentifier',
    'targetDBClusterSnapshotIdentifier',
  ]);
}

function gone(arn: string, error: unknown): unknown {
  return hasErrorCode(error, 'DBClusterSnapshotNotFoundFault', 'DBClusterSnapshotNotFound')
    ? new ResourceGoneError(arn, { cause: error })
    : error;
}

export function describeDbClusterSnapshot(ctx: ResourceContext, arn: string): Promise<DBClusterSnapshot> {
  return ctx.reads.get(arn, DESCRIPTION, async () => {
    try {
      const out = await ctx.clients
        .get(rds)
        .send(
          new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: dbClusterSnapshotIdOf(arn) }),
        );
      const snapshot = out.DBClusterSnapshots?.[0];
      if (!snapshot) throw new ResourceGoneError(arn);
      return snapshot;
    } catch (error) {
      throw gone(arn, error);
    }
  });
}

/** Who may restore the cluster snapshot: account ids, and `all` when it is public. */
export function dbClusterSnapshotRestorers(ctx: ResourceContext, arn: string): Promise<string[]> {
  return ctx.reads.get(arn, 'rds:db-cluster-snapshot-restore', async () => {
    try {
      const out = await ctx.clients.get(rds).send(
        new DescribeDBClusterSnapshotAttributesCommand({
          DBClusterSnapshotIdentifier: dbClusterSnapshotIdOf(arn),
        }),
      );
      return (
        out.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes?.find(
          (a) => a.AttributeName === 'restore',
        )?.AttributeValues ?? []
      );
    } catch (error) {
      throw gone(arn, error);
    }
  });
}

export const dbClusterSnapshot = defineResourceType({
  type: 'AWS::RDS::DBClusterSnapshot',
  client: rds,
  permissions: { read: ['rds:DescribeDBClusterSnapshots'] },

  resourceIds: clusterSnapshotArns,

  async listPage(ctx, token) {
    const page = await ctx.clients.get(rds).send(
      new DescribeDBClusterSnapshotsCommand({
        SnapshotType: 'manual',
        Marker: token,
        MaxRecords: rdsPageSize(ctx.pageSize),
      }),
    );
    const arns: string[] = [];
    for (const snapshot of page.DBClusterSnapshots ?? []) {
      if (!snapshot.DBClusterSnapshotIdentifier) continue;
      const arn =
        snapshot.DBClusterSnapshotArn ??
        rdsArn(
          ctx.partition,
          ctx.region,
          ctx.accountId,
          'cluster-snapshot',
          snapshot.DBClusterSnapshotIdentifier,
        );
      ctx.reads.prime(arn, DESCRIPTION, snapshot);
      arns.push(arn);
    }
    return { arns, next: page.Marker || undefined };
  },

  tags: async (arn, ctx) => tagRecord((await describeDbClusterSnapshot(ctx, arn)).TagList),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/rds/home?region=${region}#db-cluster-snapshot:id=${dbClusterSnapshotIdOf(arn)}`;
  },
});

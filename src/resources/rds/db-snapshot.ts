/**
 * AWS::RDS::DBSnapshot, a manual snapshot of a DB instance (automated snapshots
 * cannot be shared or copied out; they are the instance's backups). The sweep lists
 * the account's own manual snapshots and keeps their descriptions, tags included.
 * Who may restore a snapshot is its `restore` attribute: account ids, or `all`.
 */
import {
  type DBSnapshot,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
} from '@aws-sdk/client-rds';
import { hasErrorCode } from '../../aws-errors';
import type { CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';
import { rds, rdsArn, rdsArnsOf, rdsIdOf, rdsPageSize } from './rds-client';

const DESCRIPTION = 'rds:db-snapshot';

export function dbSnapshotIdOf(arn: string): string {
  return rdsIdOf(arn, 'snapshot');
}

function snapshotArns(record: CloudTrailRecord): string[] {
  return rdsArnsOf(record, 'snapshot', 'dBSnapshotArn', [
    'dBSnapshotIdentifier',
    'targetDBSnapshotIdentifier',
  ]);
}

function gone(arn: string, error: unknown): unknown {
  return hasErrorCode(error, 'DBSnapshotNotFound', 'DBSnapshotNotFoundFault')
    ? new ResourceGoneError(arn, { cause: error })
    : error;
}

export function describeDbSnapshot(ctx: ResourceContext, arn: string): Promise<DBSnapshot> {
  return ctx.reads.get(arn, DESCRIPTION, async () => {
    try {
      const out = await ctx.clients
        .get(rds)
        .send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: dbSnapshotIdOf(arn) }));
      const snapshot = out.DBSnapshots?.[0];
      if (!snapshot) throw new ResourceGoneError(arn);
      return snapshot;
    } catch (error) {
      throw gone(arn, error);
    }
  });
}

/** Who may restore the snapshot: account ids, and `all` when it is public. */
export function dbSnapshotRestorers(ctx: ResourceContext, arn: string): Promise<string[]> {
  return ctx.reads.get(arn, 'rds:db-snapshot-restore', async () => {
    try {
      const out = await ctx.clients
        .get(rds)
        .send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: dbSnapshotIdOf(arn) }));
      return (
        out.DBSnapshotAttributesResult?.DBSnapshotAttributes?.find((a) => a.AttributeName === 'restore')
          ?.AttributeValues ?? []
      );
    } catch (error) {
      throw gone(arn, error);
    }
  });
}

export const dbSnapshot = defineResourceType({
  type: 'AWS::RDS::DBSnapshot',
  client: rds,
  permissions: { read: ['rds:DescribeDBSnapshots'] },

  resourceIds: snapshotArns,

  async listPage(ctx, token) {
    const page = await ctx.clients.get(rds).send(
      new DescribeDBSnapshotsCommand({
        SnapshotType: 'manual',
        Marker: token,
        MaxRecords: rdsPageSize(ctx.pageSize),
      }),
    );
    const arns: string[] = [];
    for (const snapshot of page.DBSnapshots ?? []) {
      if (!snapshot.DBSnapshotIdentifier) continue;
      const arn =
        snapshot.DBSnapshotArn ??
        rdsArn(ctx.partition, ctx.region, ctx.accountId, 'snapshot', snapshot.DBSnapshotIdentifier);
      ctx.reads.prime(arn, DESCRIPTION, snapshot);
      arns.push(arn);
    }
    return { arns, next: page.Marker || undefined };
  },

  tags: async (arn, ctx) => tagRecord((await describeDbSnapshot(ctx, arn)).TagList),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/rds/home?region=${region}#db-snapshot:id=${dbSnapshotIdOf(arn)}`;
  },
});

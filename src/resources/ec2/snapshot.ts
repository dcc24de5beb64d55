/**
 * AWS::EC2::Snapshot, an EBS snapshot. Its ARN names no account
 * (`arn:aws:ec2:us-east-1::snapshot/snap-…`). The sweep lists the account's own
 * snapshots only (never the public and shared ones it can see), and each
 * listed snapshot's description, tags included, is kept for its rules.
 */
import { DescribeSnapshotsCommand, type Snapshot } from '@aws-sdk/client-ec2';
import { parseArn, partitionOf } from '../../arn';
import { hasErrorCode } from '../../aws-errors';
import type { CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { stringField } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';
import { ec2 } from './vpc';

const SNAPSHOT_ID = /^snap-[0-9a-f]+$/;
const DESCRIPTION = 'ec2:snapshot';

export function snapshotArn(partition: string, region: string, snapshotId: string): string {
  return `arn:${partition}:ec2:${region}::snapshot/${snapshotId}`;
}

export function snapshotIdOf(arn: string): string {
  const resource = parseArn(arn)?.resource ?? '';
  const id = resource.startsWith('snapshot/') ? resource.slice('snapshot/'.length) : '';
  if (!SNAPSHOT_ID.test(id)) throw new TypeError(`not an EBS snapshot ARN: ${arn}`);
  return id;
}

export function isSnapshotGone(error: unknown): boolean {
  return hasErrorCode(error, 'InvalidSnapshot.NotFound', 'InvalidSnapshotID.Malformed');
}

function snapshotArns(record: CloudTrailRecord): string[] {
  const id = stringField(record.requestParameters, 'snapshotId');
  const region = record.awsRegion;
  if (!id || !SNAPSHOT_ID.test(id) || !region) return [];
  return [snapshotArn(partitionOf(region), region, id)];
}

/** The snapshot's description (tags included); ResourceGoneError when it no longer exists. */
export function describeSnapshot(ctx: ResourceContext, arn: string): Promise<Snapshot> {
  return ctx.reads.get(arn, DESCRIPTION, async () => {
    try {
      const out = await ctx.clients
        .get(ec2)
        .send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotIdOf(arn)] }));
      const snapshot = out.Snapshots?.[0];
      if (!snapshot) throw new ResourceGoneError(arn);
      return snapshot;
    } catch (error) {
      if (isSnapshotGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

export const ebsSnapshot = defineResourceType({
  type: 'AWS::EC2::Snapshot',
  client: ec2,
  permissions: { read: ['ec2:DescribeSnapshots'] },

  resourceIds: snapshotArns,

  async listPage(ctx, token) {
    // The account's own snapshots: an owner filter (OwnerIds 'self' would do in AWS; the
    // filter reads the same there and also in emulators that ignore OwnerIds).
    const page = await ctx.clients.get(ec2).send(
      new DescribeSnapshotsCommand({
        NextToken: token,
        MaxResults: Math.min(Math.max(ctx.pageSize ?? 1000, 5), 1000),
        OwnerIds: ['self'],
        Filters: ctx.accountId ? [{ Name: 'owner-id', Values: [ctx.accountId] }] : undefined,
      }),
    );
    const arns: string[] = [];
    for (const snapshot of page.Snapshots ?? []) {
      if (!snapshot.SnapshotId) continue;
      const arn = snapshotArn(ctx.partition, ctx.region, snapshot.SnapshotId);
      ctx.reads.prime(arn, DESCRIPTION, snapshot);
      arns.push(arn);
    }
    return { arns, next: page.NextToken || undefined };
  },

  tags: async (arn, ctx) => tagRecord((await describeSnapshot(ctx, arn)).Tags),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/ec2/home?region=${region}#SnapshotDetails:snapshotId=${snapshotIdOf(arn)}`;
  },
});

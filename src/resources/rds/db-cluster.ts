/**
 * AWS::RDS::DBCluster: an Aurora cluster or a Multi-AZ DB cluster. Its storage
 * encryption, backups and TLS parameters hold for every instance in it. Records
 * name a cluster by identifier (or its answer by ARN); a cluster parameter group
 * change names the group, and the clusters using it are found by a read. The sweep
 * keeps each listed cluster's description (settings and tags).
 */
import { type DBCluster, DescribeDBClustersCommand, paginateDescribeDBClusters } from '@aws-sdk/client-rds';
import { partitionOf } from '../../arn';
import { hasErrorCode } from '../../aws-errors';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { stringField } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext, type ResourceSelection } from '../resource-type';
import { rds, rdsArn, rdsArnsOf, rdsIdOf, rdsPageSize } from './rds-client';

const DESCRIPTION = 'rds:db-cluster';
const PARAMETER_GROUP_EVENTS = new Set(['ModifyDBClusterParameterGroup', 'ResetDBClusterParameterGroup']);

export function dbClusterIdOf(arn: string): string {
  return rdsIdOf(arn, 'cluster');
}

function clusterSelection(record: CloudTrailRecord): ResourceSelection {
  if (PARAMETER_GROUP_EVENTS.has(record.eventName)) {
    const group = stringField(record.requestParameters, 'dBClusterParameterGroupName');
    const region = record.awsRegion;
    const account = accountOf(record);
    if (!group || !region || !account) return [];
    return {
      because: `${record.eventName} names a cluster parameter group; the clusters using it are found by a read`,
      async lookup(ctx) {
        const arns: string[] = [];
        for await (const page of paginateDescribeDBClusters({ client: ctx.clients.get(rds) }, {})) {
          for (const cluster of page.DBClusters ?? []) {
            if (!cluster.DBClusterIdentifier || cluster.DBClusterParameterGroup !== group) continue;
            const arn =
              cluster.DBClusterArn ??
              rdsArn(partitionOf(region), region, account, 'cluster', cluster.DBClusterIdentifier);
            ctx.reads.prime(arn, DESCRIPTION, cluster);
            arns.push(arn);
          }
        }
        return arns;
      },
    };
  }
  return rdsArnsOf(record, 'cluster', 'dBClusterArn', ['dBClusterIdentifier', 'newDBClusterIdentifier']);
}

export function isDbClusterGone(error: unknown): boolean {
  return hasErrorCode(error, 'DBClusterNotFoundFault', 'DBClusterNotFound');
}

/** The cluster's description (settings, tags); ResourceGoneError when it no longer exists. */
export function describeDbCluster(ctx: ResourceContext, arn: string): Promise<DBCluster> {
  return ctx.reads.get(arn, DESCRIPTION, async () => {
    try {
      const out = await ctx.clients
        .get(rds)
        .send(new DescribeDBClustersCommand({ DBClusterIdentifier: dbClusterIdOf(arn) }));
      const cluster = out.DBClusters?.[0];
      if (!cluster) throw new ResourceGoneError(arn);
      return cluster;
    } catch (error) {
      if (isDbClusterGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

/** RDS refuses every modification while a cluster is in these states. */
export const CLUSTER_NOT_MODIFIABLE = new Set(['creating', 'deleting', 'stopped', 'stopping', 'starting']);

export const dbCluster = defineResourceType({
  type: 'AWS::RDS::DBCluster',
  client: rds,
  permissions: { read: ['rds:DescribeDBClusters'] },

  resourceIds: clusterSelection,

  async listPage(ctx, token) {
    const page = await ctx.clients
      .get(rds)
      .send(new DescribeDBClustersCommand({ Marker: token, MaxRecords: rdsPageSize(ctx.pageSize) }));
    const arns: string[] = [];
    for (const cluster of page.DBClusters ?? []) {
      if (!cluster.DBClusterIdentifier) continue;
      const arn =
        cluster.DBClusterArn ??
        rdsArn(ctx.partition, ctx.region, ctx.accountId, 'cluster', cluster.DBClusterIdentifier);
      ctx.reads.prime(arn, DESCRIPTION, cluster);
      arns.push(arn);
    }
    return { arns, next: page.Marker || undefined };
  },

  tags: async (arn, ctx) => tagRecord((await describeDbCluster(ctx, arn)).TagList),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/rds/home?region=${region}#database:id=${dbClusterIdOf(arn)};is-cluster=true`;
  },
});

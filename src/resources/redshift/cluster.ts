/**
 * AWS::Redshift::Cluster. Records name a cluster by identifier (a rename names the
 * new one too); a cluster parameter group change names the group, and the clusters
 * using it are found by a read. The sweep keeps each listed cluster's description
 * (settings and tags), so its rules read nothing more for a compliant cluster
 * beyond what the description lacks (logging status, parameter values).
 */
import {
  type Cluster,
  DescribeClusterParametersCommand,
  DescribeClustersCommand,
  paginateDescribeClusters,
  RedshiftClient,
} from '@aws-sdk/client-redshift';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { stringField } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext, type ResourceSelection } from '../resource-type';

export const redshift = awsClient(RedshiftClient, { iamPrefix: 'redshift' });

/** Redshift stores identifiers in lower case: a letter, then letters, digits and hyphens. */
const CLUSTER_ID = /^[a-z][a-z0-9-]{0,62}$/;
const DESCRIPTION = 'redshift:cluster';

export function redshiftClusterArn(partition: string, region: string, accountId: string, id: string): string {
  return `arn:${partition}:redshift:${region}:${accountId}:cluster:${id}`;
}

export function redshiftClusterIdOf(arn: string): string {
  const parsed = parseArn(arn);
  const id =
    parsed?.service === 'redshift' && parsed.resource.startsWith('cluster:')
      ? parsed.resource.slice('cluster:'.length)
      : '';
  if (!CLUSTER_ID.test(id)) throw new TypeError(`not a Redshift cluster ARN: ${arn}`);
  return id;
}

function clusterSelection(record: CloudTrailRecord): ResourceSelection {
  const region = record.awsRegion;
  const account = accountOf(record);
  if (!region || !account) return [];
  const partition = partitionOf(region);
  if (
    record.eventName === 'ModifyClusterParameterGroup' ||
    record.eventName === 'ResetClusterParameterGroup'
  ) {
    const group = stringField(record.requestParameters, 'parameterGroupName');
    if (!group) return [];
    return {
      because: `${record.eventName} names a parameter group; the clusters using it are found by a read`,
      async lookup(ctx) {
        const arns: string[] = [];
        for await (const page of paginateDescribeClusters({ client: ctx.clients.get(redshift) }, {})) {
          for (const cluster of page.Clusters ?? []) {
            if (!cluster.ClusterIdentifier) continue;
            if (!cluster.ClusterParameterGroups?.some((g) => g.ParameterGroupName === group)) continue;
            const arn = redshiftClusterArn(partition, region, account, cluster.ClusterIdentifier);
            ctx.reads.prime(arn, DESCRIPTION, cluster);
            arns.push(arn);
          }
        }
        return arns;
      },
    };
  }
  const ids = ['clusterIdentifier', 'newClusterIdentifier']
    .map((name) => stringField(record.requestParameters, name)?.toLowerCase())
    .filter((id): id is string => id !== undefined && CLUSTER_ID.test(id));
  return [...new Set(ids)].map((id) => redshiftClusterArn(partition, region, account, id));
}

export function isClusterGone(error: unknown): boolean {
  return hasErrorCode(error, 'ClusterNotFound', 'ClusterNotFoundFault');
}

/** The cluster's description (settings, tags); ResourceGoneError when it no longer exists. */
export function describeRedshiftCluster(ctx: ResourceContext, arn: string): Promise<Cluster> {
  return ctx.reads.get(arn, DESCRIPTION, async () => {
    try {
      const out = await ctx.clients
        .get(redshift)
        .send(new DescribeClustersCommand({ ClusterIdentifier: redshiftClusterIdOf(arn) }));
      const cluster = out.Clusters?.[0];
      if (!cluster) throw new ResourceGoneError(arn);
      return cluster;
    } catch (error) {
      if (isClusterGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

/** Redshift takes ModifyCluster and EnableLogging only from an available cluster; these last minutes or more. */
export const CLUSTER_NOT_MODIFIABLE = new Set([
  'creating',
  'deleting',
  'paused',
  'pausing',
  'resuming',
  'rebooting',
]);

/**
 * The value of `parameter` in a cluster parameter group; `undefined` when unset.
 * Read once per group for every cluster using it, page by page until found.
 */
export function clusterParameterValue(
  ctx: ResourceContext,
  group: string,
  parameter: string,
): Promise<string | undefined> {
  const groupArn = `arn:${ctx.partition}:redshift:${ctx.region}:${ctx.accountId}:parametergroup:${group}`;
  return ctx.reads.get(groupArn, `redshift:parameter:${parameter}`, async () => {
    let Marker: string | undefined;
    do {
      const page = await ctx.clients
        .get(redshift)
        .send(new DescribeClusterParametersCommand({ ParameterGroupName: group, Marker }));
      const found = page.Parameters?.find((p) => p.ParameterName === parameter);
      if (found) return found.ParameterValue;
      Marker = page.Marker || undefined;
    } while (Marker);
    return undefined;
  });
}

export const redshiftCluster = defineResourceType({
  type: 'AWS::Redshift::Cluster',
  client: redshift,
  permissions: { read: ['redshift:DescribeClusters'] },

  resourceIds: clusterSelection,

  async listPage(ctx, token) {
    const page = await ctx.clients.get(redshift).send(
      new DescribeClustersCommand({
        Marker: token,
        MaxRecords: Math.min(Math.max(ctx.pageSize ?? 100, 20), 100),
      }),
    );
    const arns: string[] = [];
    for (const cluster of page.Clusters ?? []) {
      if (!cluster.ClusterIdentifier) continue;
      const arn = redshiftClusterArn(ctx.partition, ctx.region, ctx.accountId, cluster.ClusterIdentifier);
      ctx.reads.prime(arn, DESCRIPTION, cluster);
      arns.push(arn);
    }
    return { arns, next: page.Marker || undefined };
  },

  tags: async (arn, ctx) => tagRecord((await describeRedshiftCluster(ctx, arn)).Tags),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return (
      base && `${base}/redshiftv2/home?region=${region}#cluster-details?cluster=${redshiftClusterIdOf(arn)}`
    );
  },
});

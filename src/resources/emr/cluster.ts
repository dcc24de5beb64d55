/**
 * AWS::EMR::Cluster. EMR's APIs name a cluster by its id (`j-…`); RunJobFlow's
 * answer carries the id and the ARN. A terminated cluster still answers
 * DescribeCluster for a while: it reads as gone, its data went with it.
 */

import { type Cluster, DescribeClusterCommand, EMRClient, ListClustersCommand } from '@aws-sdk/client-emr';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { TAGS_READ } from '../../read-cache';
import { stringField } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';

export const emr = awsClient(EMRClient, { iamPrefix: 'elasticmapreduce' });

const CLUSTER_ID = /^j-[A-Z0-9]{1,64}$/;
/** The states of a cluster that runs (or is about to): the ones a sweep judges. */
export const ACTIVE_STATES = ['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING'] as const;

export function clusterArn(partition: string, region: string, accountId: string, id: string): string {
  return `arn:${partition}:elasticmapreduce:${region}:${accountId}:cluster/${id}`;
}

export function clusterIdOf(arn: string): string {
  const resource = parseArn(arn)?.resource ?? '';
  const id = resource.startsWith('cluster/') ? resource.slice('cluster/'.length) : '';
  if (!CLUSTER_ID.test(id)) throw new TypeError(`not an EMR cluster ARN: ${arn}`);
  return id;
}

/** The cluster as DescribeCluster answers (tags included), shared by its rules; gone once terminated. */
export function describeCluster(ctx: ResourceContext, arn: string): Promise<Cluster> {
  return ctx.reads.get(arn, 'emr:cluster', async () => {
    let cluster: Cluster | undefined;
    try {
      cluster = (await ctx.clients.get(emr).send(new DescribeClusterCommand({ ClusterId: clusterIdOf(arn) })))
        .Cluster;
    } catch (error) {
      // EMR answers an unknown id with InvalidRequestException ("Cluster id … is not valid").
      if (hasErrorCode(error, 'InvalidRequestException', 'ResourceNotFoundException'))
        throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
    const state = cluster?.Status?.State;
    if (!cluster || state === 'TERMINATED' || state === 'TERMINATED_WITH_ERRORS' || state === 'TERMINATING')
      throw new ResourceGoneError(arn);
    return cluster;
  });
}

function clusterArns(record: CloudTrailRecord): string[] {
  const fromResponse = stringField(record.responseElements, 'clusterArn');
  if (fromResponse && /^arn:[^:]+:elasticmapreduce:[^:]+:\d{12}:cluster\/j-[A-Z0-9]+$/.test(fromResponse))
    return [fromResponse];
  const id =
    stringField(record.responseElements, 'jobFlowId') ?? stringField(record.requestParameters, 'clusterId');
  const region = record.awsRegion;
  const account = accountOf(record);
  if (!id || !CLUSTER_ID.test(id) || !region || !account) return [];
  return [clusterArn(partitionOf(region), region, account, id)];
}

export const emrCluster = defineResourceType({
  type: 'AWS::EMR::Cluster',
  client: emr,
  permissions: { read: ['elasticmapreduce:ListClusters', 'elasticmapreduce:DescribeCluster'] },

  resourceIds: clusterArns,

  async listPage(ctx, token) {
    // ListClusters pages by 50; it takes no page size.
    const page = await ctx.clients
      .get(emr)
      .send(new ListClustersCommand({ ClusterStates: [...ACTIVE_STATES], Marker: token }));
    const arns = (page.Clusters ?? []).flatMap((c) =>
      c.Id && CLUSTER_ID.test(c.Id)
        ? [c.ClusterArn ?? clusterArn(ctx.partition, ctx.region, ctx.accountId, c.Id)]
        : [],
    );
    return { arns, next: page.Marker || undefined };
  },

  tags: (arn, ctx) =>
    ctx.reads.get(arn, TAGS_READ, async () => tagRecord((await describeCluster(ctx, arn)).Tags)),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/emr/home?region=${region}#/clusterDetails/${clusterIdOf(arn)}`;
  },
});

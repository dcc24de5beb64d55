/**
 * AWS::ElasticLoadBalancing::LoadBalancer: Classic Load Balancers. The Classic API
 * names a balancer, never its ARN, so ARNs are built from the record's region and
 * account. Its records carry apiVersion 2012-06-01 (the v2 API shares the event
 * source and some event names).
 */

import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingClient,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import { chunksOf } from '../../chunks';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { TAGS_READ } from '../../read-cache';
import { stringField } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';

export const elb = awsClient(ElasticLoadBalancingClient, { iamPrefix: 'elasticloadbalancing' });

/** One balancer's description, shared between the sweep's batch read and the rules. */
const DESCRIPTION = 'elb:classic-description';

/** Names per DescribeLoadBalancers call when a sweep page is read in batches. */
const NAMES_PER_CALL = 20;

/** The error codes of a Classic Load Balancer that no longer exists. */
export function isClassicLoadBalancerGone(error: unknown): boolean {
  return hasErrorCode(error, 'LoadBalancerNotFound', 'AccessPointNotFound', 'AccessPointNotFoundException');
}

export function classicLoadBalancerArn(partition: string, region: string, accountId: string, name: string) {
  return `arn:${partition}:elasticloadbalancing:${region}:${accountId}:loadbalancer/${name}`;
}

export function classicNameOf(arn: string): string | undefined {
  const resource = parseArn(arn)?.resource;
  const match = resource ? /^loadbalancer\/([^/]+)$/.exec(resource) : null;
  return match?.[1];
}

/** The balancer name of a Classic Load Balancer ARN; a TypeError for any other ARN. */
export function requireClassicName(arn: string): string {
  const name = classicNameOf(arn);
  if (!name) throw new TypeError(`not a Classic Load Balancer ARN: ${arn}`);
  return name;
}

function loadBalancerArns(record: CloudTrailRecord): string[] {
  const name = stringField(record.requestParameters, 'loadBalancerName');
  const region = record.awsRegion;
  const account = accountOf(record);
  if (!name || !region || account === undefined || !/^[a-zA-Z0-9-]{1,32}$/.test(name)) return [];
  if (record.apiVersion && record.apiVersion !== '2012-06-01') return [];
  return [classicLoadBalancerArn(partitionOf(region), region, String(account), name)];
}

/** The balancer's description (listeners and all); ResourceGoneError when it no longer exists. */
export function describeClassicLoadBalancer(
  ctx: ResourceContext,
  arn: string,
): Promise<LoadBalancerDescription> {
  const name = requireClassicName(arn);
  return ctx.reads.get(arn, DESCRIPTION, async () => {
    try {
      const out = await ctx.clients
        .get(elb)
        .send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [name] }));
      const description = out.LoadBalancerDescriptions?.[0];
      if (!description) throw new ResourceGoneError(arn);
      return description;
    } catch (error) {
      if (isClassicLoadBalancerGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

export const classicLoadBalancer = defineResourceType({
  type: 'AWS::ElasticLoadBalancing::LoadBalancer',
  client: elb,
  permissions: {
    read: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags'],
  },

  resourceIds: loadBalancerArns,

  async listPage(ctx, token) {
    const page = await ctx.clients
      .get(elb)
      .send(
        new DescribeLoadBalancersCommand({ Marker: token, PageSize: Math.min(ctx.pageSize ?? 400, 400) }),
      );
    const arns = (page.LoadBalancerDescriptions ?? []).flatMap((lb) =>
      lb.LoadBalancerName
        ? [classicLoadBalancerArn(ctx.partition, ctx.region, ctx.accountId, lb.LoadBalancerName)]
        : [],
    );
    return { arns, next: page.NextMarker || undefined };
  },

  tags: (arn, ctx) =>
    ctx.reads.get(arn, TAGS_READ, async () => {
      try {
        const out = await ctx.clients
          .get(elb)
          .send(new DescribeTagsCommand({ LoadBalancerNames: [requireClassicName(arn)] }));
        return tagRecord(out.TagDescriptions?.[0]?.Tags);
      } catch (error) {
        if (isClassicLoadBalancerGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    }),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    const name = classicNameOf(arn);
    return base && name
      ? `${base}/ec2/home?region=${region}#LoadBalancers:search=${encodeURIComponent(name)}`
      : undefined;
  },

  async prefetch(arns, ctx) {
    // A sweep page: twenty balancers per call instead of one. A single event reads its own.
    if (arns.length < 2) return;
    const arnOf = new Map<string, string>();
    for (const arn of arns) {
      const name = classicNameOf(arn);
      if (name) arnOf.set(name, arn);
    }
    await Promise.all(
      chunksOf([...arnOf.keys()], NAMES_PER_CALL).map(async (chunk) => {
        try {
          const out = await ctx.clients
            .get(elb)
            .send(new DescribeLoadBalancersCommand({ LoadBalancerNames: chunk }));
          for (const lb of out.LoadBalancerDescriptions ?? []) {
            const arn = lb.LoadBalancerName ? arnOf.get(lb.LoadBalancerName) : undefined;
            if (arn) ctx.reads.prime(arn, DESCRIPTION, lb);
          }
        } catch {
          // One balancer deleted since the listing fails its whole batch: each reads its own.
        }
      }),
    );
  },
});

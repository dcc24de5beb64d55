/**
 * AWS::ElasticLoadBalancingV2::LoadBalancer: Application, Network and Gateway Load
 * Balancers (the v2 API). The type is part of the ARN
 * (`loadbalancer/app/…`, `loadbalancer/net/…`), so no describe call is needed to
 * know it. CloudTrail records of the v2 API carry apiVersion 2015-12-01; the
 * Classic API shares the event source and some event names.
 */

import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import type { CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { TAGS_READ } from '../../read-cache';
import { asList, field, stringField, unique } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType } from '../resource-type';

export const elbv2 = awsClient(ElasticLoadBalancingV2Client, { iamPrefix: 'elasticloadbalancing' });

const LB_ARN = /^arn:[^:]+:elasticloadbalancing:[^:]+:\d{12}:loadbalancer\/(app|net|gwy)\/[^/]+\/[^/]+$/;
const LISTENER_ARN =
  /^(arn:[^:]+:elasticloadbalancing:[^:]+:\d{12}:)listener\/((?:app|net|gwy)\/[^/]+\/[^/]+)\/[^/]+$/;

/** The type segment of a load balancer ARN, as DescribeLoadBalancers names it. */
const LB_TYPES: Record<string, 'application' | 'network' | 'gateway'> = {
  app: 'application',
  net: 'network',
  gwy: 'gateway',
};

export type LoadBalancerKind = 'application' | 'network' | 'gateway';

/** `application`, `network` or `gateway` from the ARN; undefined when it is not a v2 load balancer ARN. */
export function loadBalancerKindOf(arn: string): LoadBalancerKind | undefined {
  return LB_TYPES[LB_ARN.exec(arn)?.[1] ?? ''];
}

/** `…:listener/app/name/lbid/listenerid` → `…:loadbalancer/app/name/lbid` */
export function loadBalancerArnOfListener(listenerArn: string): string | undefined {
  const match = LISTENER_ARN.exec(listenerArn);
  return match ? `${match[1]}loadbalancer/${match[2]}` : undefined;
}

/** The error codes of a load balancer that no longer exists. */
export function isLoadBalancerGone(error: unknown): boolean {
  return hasErrorCode(error, 'LoadBalancerNotFound', 'LoadBalancerNotFoundException');
}

function isV2Record(record: CloudTrailRecord): boolean {
  if (record.apiVersion) return record.apiVersion === '2015-12-01';
  // Classic requests name the balancer `loadBalancerName`; v2 requests use `name`.
  return stringField(record.requestParameters, 'loadBalancerName') === undefined;
}

/** CreateLoadBalancer: the ARN in the response; CreateListener and ModifyListener: the balancer of the listener. */
function loadBalancerArns(record: CloudTrailRecord): string[] {
  if (!isV2Record(record)) return [];
  const request = record.requestParameters ?? {};
  const response = record.responseElements ?? {};
  const candidates: (string | undefined)[] = [];
  switch (record.eventName) {
    case 'CreateLoadBalancer':
      for (const lb of asList(field(response, 'loadBalancers')))
        candidates.push(stringField(lb, 'loadBalancerArn'));
      break;
    case 'CreateListener':
      candidates.push(stringField(request, 'loadBalancerArn'));
      for (const l of asList(field(response, 'listeners')))
        candidates.push(stringField(l, 'loadBalancerArn'));
      break;
    case 'ModifyListener': {
      const listenerArn = stringField(request, 'listenerArn');
      if (listenerArn) candidates.push(loadBalancerArnOfListener(listenerArn));
      for (const l of asList(field(response, 'listeners')))
        candidates.push(stringField(l, 'loadBalancerArn'));
      break;
    }
    default:
      candidates.push(stringField(request, 'loadBalancerArn'));
  }
  return unique(candidates.filter((arn): arn is string => arn !== undefined && LB_ARN.test(arn)));
}

export const loadBalancerV2 = defineResourceType({
  type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  client: elbv2,
  permissions: {
    read: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags'],
  },

  resourceIds: loadBalancerArns,

  async listPage(ctx, token) {
    const page = await ctx.clients
      .get(elbv2)
      .send(
        new DescribeLoadBalancersCommand({ Marker: token, PageSize: Math.min(ctx.pageSize ?? 400, 400) }),
      );
    const arns = (page.LoadBalancers ?? []).flatMap((lb) => (lb.LoadBalancerArn ? [lb.LoadBalancerArn] : []));
    return { arns, next: page.NextMarker || undefined };
  },

  tags: (arn, ctx) =>
    ctx.reads.get(arn, TAGS_READ, async () => {
      try {
        const out = await ctx.clients.get(elbv2).send(new DescribeTagsCommand({ ResourceArns: [arn] }));
        return tagRecord(out.TagDescriptions?.[0]?.Tags);
      } catch (error) {
        if (isLoadBalancerGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    }),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return (
      base && `${base}/ec2/home?region=${region}#LoadBalancer:loadBalancerArn=${encodeURIComponent(arn)}`
    );
  },
});

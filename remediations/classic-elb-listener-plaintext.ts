/**
 * §164.312(e)(1) Transmission security: a Classic Load Balancer listener that is
 * HTTP or TCP on either side (client to balancer, or balancer to instance)
 * carries PHI in plaintext. Classic ELB has no redirect action and changing a
 * listener drops its connections, so the outcome is always a ticket.
 *
 * Events: CreateLoadBalancer (classic API: `loadBalancerName` and `listeners`
 * in the request, no ARN anywhere) and CreateLoadBalancerListeners.
 */
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  type ElasticLoadBalancingClient,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import { parseArn, partitionOf } from '../src/arn';
import { hasErrorCode } from '../src/aws-errors';
import { chunksOf } from '../src/chunks';
import type { CloudTrailRecord } from '../src/cloudtrail-event';
import { classicLoadBalancerConsoleUrl } from '../src/console-url';
import { stringField } from '../src/record-fields';
import { defineRule } from '../src/rule';

const PLAINTEXT = new Set(['HTTP', 'TCP']);

/** One balancer's description, shared between the sweep's batch read and the check. */
const DESCRIPTION_READ = 'elb:classic-description';

/** Names per DescribeLoadBalancers call when a sweep page is read in batches. */
const NAMES_PER_CALL = 20;

/** `undefined` when the balancer no longer exists. */
async function describeLoadBalancer(
  elb: ElasticLoadBalancingClient,
  name: string,
): Promise<LoadBalancerDescription | undefined> {
  try {
    const out = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [name] }));
    return out.LoadBalancerDescriptions?.[0];
  } catch (error) {
    if (hasErrorCode(error, 'LoadBalancerNotFound', 'AccessPointNotFound', 'AccessPointNotFoundException')) {
      return undefined;
    }
    throw error;
  }
}

function classicArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:elasticloadbalancing:${region}:${accountId}:loadbalancer/${name}`;
}

function nameOf(arn: string): string | undefined {
  const resource = parseArn(arn)?.resource;
  const match = resource ? /^loadbalancer\/([^/]+)$/.exec(resource) : null;
  return match?.[1];
}

function loadBalancerArns(record: CloudTrailRecord): string[] {
  const name = stringField(record.requestParameters, 'loadBalancerName');
  const region = record.awsRegion;
  const account = record.recipientAccountId ?? record.userIdentity?.accountId;
  if (!name || !region || account === undefined || !/^[a-zA-Z0-9-]{1,32}$/.test(name)) return [];
  if (record.apiVersion && record.apiVersion !== '2012-06-01') return [];
  return [classicArn(partitionOf(region), region, String(account), name)];
}

interface ListenerView {
  protocol: string;
  port: number | undefined;
  instanceProtocol: string;
  instancePort: number | undefined;
}

interface Observed {
  plaintext: ListenerView[];
}

export default defineRule<Observed>({
  id: 'classic-elb-listener-plaintext',
  title: 'Classic Load Balancer listeners must use HTTPS/SSL on both sides',
  severity: 'high',
  safeguards: ['164.312(e)(1)'],
  resourceType: 'AWS::ElasticLoadBalancing::LoadBalancer',
  triggers: [
    {
      source: 'elasticloadbalancing.amazonaws.com',
      events: ['CreateLoadBalancer', 'CreateLoadBalancerListeners'],
    },
  ],
  permissions: {
    read: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags'],
    write: [],
  },

  resourceIds: loadBalancerArns,

  consoleUrl: classicLoadBalancerConsoleUrl,

  async listPage(ctx, token) {
    const page = await ctx.clients
      .elb()
      .send(
        new DescribeLoadBalancersCommand({ Marker: token, PageSize: Math.min(ctx.pageSize ?? 400, 400) }),
      );
    const arns = (page.LoadBalancerDescriptions ?? []).flatMap((lb) =>
      lb.LoadBalancerName ? [classicArn(ctx.partition, ctx.region, ctx.accountId, lb.LoadBalancerName)] : [],
    );
    return { arns, next: page.NextMarker || undefined };
  },

  async check(arn, ctx) {
    const name = nameOf(arn);
    if (!name) throw new TypeError(`not a Classic Load Balancer ARN: ${arn}`);
    const elb = ctx.clients.elb();
    const lb = await ctx.reads.get(arn, DESCRIPTION_READ, () => describeLoadBalancer(elb, name));
    if (!lb) return { state: 'gone' };
    const listeners: ListenerView[] = (lb.ListenerDescriptions ?? []).map(({ Listener: l }) => ({
      protocol: (l?.Protocol ?? 'UNKNOWN').toUpperCase(),
      port: l?.LoadBalancerPort,
      instanceProtocol: (l?.InstanceProtocol ?? l?.Protocol ?? 'UNKNOWN').toUpperCase(),
      instancePort: l?.InstancePort,
    }));
    const tags = async () => {
      const out = await elb.send(new DescribeTagsCommand({ LoadBalancerNames: [name] }));
      return Object.fromEntries(
        (out.TagDescriptions?.[0]?.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']),
      );
    };
    const plaintext = listeners.filter((l) => PLAINTEXT.has(l.protocol) || PLAINTEXT.has(l.instanceProtocol));
    return {
      state: plaintext.length === 0 ? 'compliant' : 'non-compliant',
      findings: plaintext.map(
        (l) =>
          `listener ${l.protocol}:${l.port} -> ${l.instanceProtocol}:${l.instancePort} is plaintext on at least one side`,
      ),
      observed: { plaintext },
      summary: {
        listeners: listeners.map((l) => `${l.protocol}:${l.port}->${l.instanceProtocol}:${l.instancePort}`),
      },
      tags,
    };
  },

  async prefetch(arns, ctx) {
    // A sweep page: twenty balancers per call instead of one. A single event reads its own.
    if (arns.length < 2) return;
    const elb = ctx.clients.elb();
    const arnOf = new Map<string, string>();
    for (const arn of arns) {
      const name = nameOf(arn);
      if (name) arnOf.set(name, arn);
    }
    await Promise.all(
      chunksOf([...arnOf.keys()], NAMES_PER_CALL).map(async (chunk) => {
        try {
          const out = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: chunk }));
          for (const lb of out.LoadBalancerDescriptions ?? []) {
            const arn = lb.LoadBalancerName ? arnOf.get(lb.LoadBalancerName) : undefined;
            if (arn) ctx.reads.prime(arn, DESCRIPTION_READ, lb);
          }
        } catch {
          // One balancer deleted since the listing fails its whole batch: each check reads its own.
        }
      }),
    );
  },

  plan(_arn, observed) {
    return {
      kind: 'ticket',
      reason: `Classic Load Balancer has ${observed.plaintext.length} plaintext listener(s); replacing them needs a certificate, back-end TLS and a maintenance window`,
    };
  },
});

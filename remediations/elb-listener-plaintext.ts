/**
 * §164.312(e)(1) Transmission security: an Application or Network Load Balancer
 * must not accept PHI over a plaintext listener.
 *
 * - ALB HTTP listener on a load balancer that also has an HTTPS listener: the
 *   default action becomes a 301 redirect to HTTPS, which browsers and most
 *   clients follow without breaking.
 * - ALB without an HTTPS listener, an HTTP listener whose rules forward traffic,
 *   or an NLB TCP/UDP listener: there is no certificate or client behaviour PHI
 *   Guard can safely assume, so a person must act (ticket).
 *
 * Events: CreateLoadBalancer (v2 API: `name` in the request, ARN in the
 * response), CreateListener and ModifyListener.
 */
import {
  type Action,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  type Listener,
  ModifyListenerCommand,
  paginateDescribeListeners,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { hasErrorCode } from '../src/aws-errors';
import type { CloudTrailRecord } from '../src/cloudtrail-event';
import { loadBalancerConsoleUrl } from '../src/console-url';
import { asList, field, stringField, unique } from '../src/record-fields';
import { defineRule, type PlannedAction } from '../src/rule';

const LB_ARN = /^arn:[^:]+:elasticloadbalancing:[^:]+:\d{12}:loadbalancer\/(app|net|gwy)\/[^/]+\/[^/]+$/;
const LISTENER_ARN =
  /^(arn:[^:]+:elasticloadbalancing:[^:]+:\d{12}:)listener\/((?:app|net|gwy)\/[^/]+\/[^/]+)\/[^/]+$/;

/** `…:listener/app/name/lbid/listenerid` → `…:loadbalancer/app/name/lbid` */
export function loadBalancerArnOfListener(listenerArn: string): string | undefined {
  const match = LISTENER_ARN.exec(listenerArn);
  return match ? `${match[1]}loadbalancer/${match[2]}` : undefined;
}

function isV2Record(record: CloudTrailRecord): boolean {
  if (record.apiVersion) return record.apiVersion === '2015-12-01';
  // Classic requests name the balancer `loadBalancerName`; v2 requests use `name`.
  return stringField(record.requestParameters, 'loadBalancerName') === undefined;
}

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
  }
  return unique(candidates.filter((arn): arn is string => arn !== undefined && LB_ARN.test(arn)));
}

/** The type segment of a load balancer ARN, as DescribeLoadBalancers names it. */
const LB_TYPES: Record<string, string> = { app: 'application', net: 'network', gwy: 'gateway' };

const PLAINTEXT_NLB = new Set(['TCP', 'UDP', 'TCP_UDP']);

interface ListenerView {
  arn: string;
  protocol: string;
  port: number | undefined;
  defaultActionTypes: string[];
  redirectsToHttps: boolean;
  forwardingRules: number;
}

interface Observed {
  type: string;
  listeners: ListenerView[];
  /** Plaintext listeners that must change. */
  plaintext: ListenerView[];
}

function redirectsToHttps(actions: Action[]): boolean {
  return (
    actions.length > 0 &&
    actions.every((a) => a.Type === 'redirect' && a.RedirectConfig?.Protocol?.toUpperCase() === 'HTTPS')
  );
}

export const HTTPS_REDIRECT = (port: number): Action => ({
  Type: 'redirect',
  RedirectConfig: {
    Protocol: 'HTTPS',
    Port: String(port),
    Host: '#{host}',
    Path: '/#{path}',
    Query: '#{query}',
    StatusCode: 'HTTP_301',
  },
});

export default defineRule<Observed>({
  id: 'elb-listener-plaintext',
  title: 'Application/Network Load Balancer listeners must not serve plaintext',
  severity: 'high',
  safeguards: ['164.312(e)(1)'],
  resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  triggers: [
    {
      source: 'elasticloadbalancing.amazonaws.com',
      events: ['CreateLoadBalancer', 'CreateListener', 'ModifyListener'],
    },
  ],
  permissions: {
    read: [
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeRules',
      'elasticloadbalancing:DescribeTags',
    ],
    write: ['elasticloadbalancing:ModifyListener'],
  },

  resourceIds: loadBalancerArns,

  consoleUrl: loadBalancerConsoleUrl,

  async listPage(ctx, token) {
    const page = await ctx.clients
      .elbv2()
      .send(
        new DescribeLoadBalancersCommand({ Marker: token, PageSize: Math.min(ctx.pageSize ?? 400, 400) }),
      );
    const arns = (page.LoadBalancers ?? []).flatMap((lb) => (lb.LoadBalancerArn ? [lb.LoadBalancerArn] : []));
    return { arns, next: page.NextMarker || undefined };
  },

  async check(arn, ctx) {
    // The type is in the ARN, and DescribeListeners answers LoadBalancerNotFound for a
    // deleted balancer: no DescribeLoadBalancers call is needed to read one.
    const type = LB_TYPES[LB_ARN.exec(arn)?.[1] ?? ''];
    if (!type) throw new TypeError(`not an Application/Network/Gateway Load Balancer ARN: ${arn}`);
    const elbv2 = ctx.clients.elbv2();
    const listeners: Listener[] = [];
    try {
      for await (const page of paginateDescribeListeners({ client: elbv2 }, { LoadBalancerArn: arn })) {
        listeners.push(...(page.Listeners ?? []));
      }
    } catch (error) {
      if (hasErrorCode(error, 'LoadBalancerNotFound', 'LoadBalancerNotFoundException'))
        return { state: 'gone' };
      throw error;
    }
    const tags = async () => {
      const out = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
      return Object.fromEntries(
        (out.TagDescriptions?.[0]?.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']),
      );
    };

    const views: ListenerView[] = [];
    for (const listener of listeners) {
      const protocol = listener.Protocol ?? 'UNKNOWN';
      const actions = listener.DefaultActions ?? [];
      let forwardingRules = 0;
      if (type === 'application' && protocol === 'HTTP' && listener.ListenerArn) {
        // A redirecting default action is not enough if a path rule still forwards plaintext.
        const rules = await elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }));
        forwardingRules = (rules.Rules ?? []).filter(
          (rule) => !rule.IsDefault && (rule.Actions ?? []).some((a) => a.Type === 'forward'),
        ).length;
      }
      views.push({
        arn: listener.ListenerArn ?? '',
        protocol,
        port: listener.Port,
        defaultActionTypes: actions.map((a) => a.Type ?? 'unknown'),
        redirectsToHttps: redirectsToHttps(actions),
        forwardingRules,
      });
    }
    const plaintext = views.filter((view) =>
      type === 'application'
        ? view.protocol === 'HTTP' && (!view.redirectsToHttps || view.forwardingRules > 0)
        : type === 'network' && PLAINTEXT_NLB.has(view.protocol),
    );
    return {
      state: plaintext.length === 0 ? 'compliant' : 'non-compliant',
      findings: plaintext.map((view) =>
        view.redirectsToHttps
          ? `HTTP listener on port ${view.port} has ${view.forwardingRules} rule(s) forwarding plaintext`
          : `${view.protocol} listener on port ${view.port} serves plaintext (default action ${view.defaultActionTypes.join(', ') || 'none'})`,
      ),
      observed: { type, listeners: views, plaintext },
      summary: {
        type,
        listeners: views
          .map((v) => `${v.protocol}:${v.port} ${v.defaultActionTypes.join('+') || 'none'}`)
          .join(', '),
      },
      tags,
    };
  },

  plan(_arn, observed) {
    if (observed.type !== 'application') {
      return {
        kind: 'ticket',
        reason: `${observed.type} load balancer has plaintext ${observed.plaintext.map((l) => `${l.protocol}:${l.port}`).join(', ')} listener(s); moving to TLS needs a certificate and client changes`,
      };
    }
    const https = observed.listeners.filter((l) => l.protocol === 'HTTPS');
    if (https.length === 0) {
      return { kind: 'ticket', reason: 'ALB has an HTTP listener and no HTTPS listener to redirect to' };
    }
    if (observed.plaintext.some((l) => l.forwardingRules > 0)) {
      return {
        kind: 'ticket',
        reason: 'HTTP listener rules forward traffic; removing them automatically could break routing',
      };
    }
    const port = https.find((l) => l.port === 443)?.port ?? https[0]?.port ?? 443;
    const redirect = HTTPS_REDIRECT(port);
    const actions: PlannedAction[] = observed.plaintext.map((listener) => ({
      service: 'elasticloadbalancing',
      api: 'ModifyListener',
      params: { ListenerArn: listener.arn, DefaultActions: [redirect] },
      run: (ctx) =>
        ctx.clients
          .elbv2()
          .send(new ModifyListenerCommand({ ListenerArn: listener.arn, DefaultActions: [redirect] })),
    }));
    return { kind: 'fix', actions };
  },
});

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
  DescribeRulesCommand,
  type Listener,
  ModifyListenerCommand,
  paginateDescribeListeners,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ResourceGoneError } from '../src/errors';
import { awsCall } from '../src/planned-action';
import {
  elbv2,
  isLoadBalancerGone,
  loadBalancerKindOf,
  loadBalancerV2,
} from '../src/resources/elbv2/load-balancer';
import { defineRule } from '../src/rule';

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
  fix: 'ALB HTTP listener → 301 redirect to HTTPS when an HTTPS listener exists; no HTTPS listener, forwarding rules on the HTTP listener, or NLB TCP/UDP → ticket',
  resource: loadBalancerV2,
  triggers: [
    {
      source: 'elasticloadbalancing.amazonaws.com',
      events: ['CreateLoadBalancer', 'CreateListener', 'ModifyListener'],
    },
  ],
  permissions: {
    read: ['elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeRules'],
    write: ['elasticloadbalancing:ModifyListener'],
  },

  async check(arn, ctx) {
    // The type is in the ARN, and DescribeListeners answers LoadBalancerNotFound for a
    // deleted balancer: no DescribeLoadBalancers call is needed to read one.
    const type = loadBalancerKindOf(arn);
    if (!type) throw new TypeError(`not an Application/Network/Gateway Load Balancer ARN: ${arn}`);
    const client = ctx.clients.get(elbv2);
    const listeners: Listener[] = [];
    try {
      for await (const page of paginateDescribeListeners({ client }, { LoadBalancerArn: arn })) {
        listeners.push(...(page.Listeners ?? []));
      }
    } catch (error) {
      if (isLoadBalancerGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }

    const views: ListenerView[] = [];
    for (const listener of listeners) {
      const protocol = listener.Protocol ?? 'UNKNOWN';
      const actions = listener.DefaultActions ?? [];
      let forwardingRules = 0;
      if (type === 'application' && protocol === 'HTTP' && listener.ListenerArn) {
        // A redirecting default action is not enough if a path rule still forwards plaintext.
        const rules = await client.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }));
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
    return {
      kind: 'fix',
      actions: observed.plaintext.map((listener) =>
        awsCall(elbv2, ModifyListenerCommand, { ListenerArn: listener.arn, DefaultActions: [redirect] }),
      ),
    };
  },
});

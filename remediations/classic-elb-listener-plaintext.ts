/**
 * §164.312(e)(1) Transmission security: a Classic Load Balancer listener that is
 * HTTP or TCP on either side (client to balancer, or balancer to instance)
 * carries PHI in plaintext. Classic ELB has no redirect action and changing a
 * listener drops its connections, so the outcome is always a ticket.
 *
 * Events: CreateLoadBalancer (classic API: `loadBalancerName` and `listeners`
 * in the request, no ARN anywhere) and CreateLoadBalancerListeners.
 */
import { classicLoadBalancer, describeClassicLoadBalancer } from '../src/resources/elb/load-balancer';
import { defineRule } from '../src/rule';

const PLAINTEXT = new Set(['HTTP', 'TCP']);

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
  fix: 'ticket (HTTP/TCP on either side)',
  resource: classicLoadBalancer,
  triggers: [
    {
      source: 'elasticloadbalancing.amazonaws.com',
      events: ['CreateLoadBalancer', 'CreateLoadBalancerListeners'],
    },
  ],
  // The listeners are in the balancer's description, which the resource type reads.
  permissions: { read: [], write: [] },

  async check(arn, ctx) {
    const lb = await describeClassicLoadBalancer(ctx, arn);
    const listeners: ListenerView[] = (lb.ListenerDescriptions ?? []).map(({ Listener: l }) => ({
      protocol: (l?.Protocol ?? 'UNKNOWN').toUpperCase(),
      port: l?.LoadBalancerPort,
      instanceProtocol: (l?.InstanceProtocol ?? l?.Protocol ?? 'UNKNOWN').toUpperCase(),
      instancePort: l?.InstancePort,
    }));
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
    };
  },

  plan(_arn, observed) {
    return {
      kind: 'ticket',
      reason: `Classic Load Balancer has ${observed.plaintext.length} plaintext listener(s); replacing them needs a certificate, back-end TLS and a maintenance window`,
    };
  },
});

import {
  type Action,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  type Listener,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { listenerEvent, loadFixture } from '../../../local/fixtures';
import rule, { HTTPS_REDIRECT } from '../../../remediations/elb-listener-plaintext';
import { processEvent } from '../../../src/process-event';
import { loadBalancerArnOfListener } from '../../../src/resources/elbv2/load-balancer';
import type { Rule } from '../../../src/rule';
import { testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/phi-portal/50dc6c495c0c9188';
const NLB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/phi-db/6d0ecf831eec9f09';
/** The load balancer of each type the tests use; the type is part of the ARN. */
const arnOf = (type = 'application') => (type === 'network' ? NLB : LB);
const HTTP_LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/phi-portal/50dc6c495c0c9188/aaaa';
const HTTPS_LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/phi-portal/50dc6c495c0c9188/bbbb';
const FORWARD: Action[] = [
  { Type: 'forward', TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1' },
];

function fakeElbv2(options: {
  type?: string;
  listeners: Listener[];
  tags?: Record<string, string>;
  forwardingRules?: number;
  exists?: boolean;
}) {
  const mock = mockClient(ElasticLoadBalancingV2Client);
  const arn = arnOf(options.type);
  const listeners = options.listeners.map((l) => ({ ...l, LoadBalancerArn: arn }));
  mock.on(DescribeListenersCommand).callsFake(() => {
    if (options.exists === false) throw awsError('LoadBalancerNotFound', 400);
    return { Listeners: listeners };
  });
  mock.on(DescribeTagsCommand).resolves({
    TagDescriptions: [
      { ResourceArn: arn, Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) },
    ],
  });
  mock.on(DescribeRulesCommand).resolves({
    Rules: [
      { IsDefault: true, Actions: FORWARD },
      ...Array.from({ length: options.forwardingRules ?? 0 }, () => ({ IsDefault: false, Actions: FORWARD })),
    ],
  });
  mock.on(ModifyListenerCommand).callsFake((input) => {
    const listener = listeners.find((l) => l.ListenerArn === input.ListenerArn);
    if (listener) listener.DefaultActions = input.DefaultActions;
    return { Listeners: listener ? [listener] : [] };
  });
  return mock;
}

const http = (actions = FORWARD): Listener => ({
  ListenerArn: HTTP_LISTENER,
  Protocol: 'HTTP',
  Port: 80,
  DefaultActions: actions,
});
const https = (port = 443): Listener => ({
  ListenerArn: HTTPS_LISTENER,
  Protocol: 'HTTPS',
  Port: port,
  DefaultActions: FORWARD,
});
const engine = (dryRun = false) => testEngine({ rules: [rule as Rule], dryRun });
const event = (type?: string) =>
  listenerEvent(
    'elasticloadbalancing/CreateListener.http',
    arnOf(type),
    `${arnOf(type).replace(':loadbalancer/', ':listener/')}/aaaa`,
  );

let mock: ReturnType<typeof fakeElbv2>;
afterEach(() => mock?.restore());

describe('elb-listener-plaintext', () => {
  it('finds the load balancer from CreateLoadBalancer, CreateListener and ModifyListener records', () => {
    expect(loadBalancerArnOfListener(HTTP_LISTENER)).toBe(LB);
    const modify = listenerEvent('elasticloadbalancing/ModifyListener.forward', LB, HTTP_LISTENER);
    (modify.detail.responseElements as Record<string, unknown>).listeners = undefined;
    expect(rule.resourceIds(modify.detail as never)).toEqual([LB]);
    const created = loadFixture('elasticloadbalancing/CreateLoadBalancer.application');
    expect(rule.resourceIds(created.detail as never)).toEqual([
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/phi-portal/50dc6c495c0c9188',
    ]);
    expect(
      rule.resourceIds(loadFixture('elasticloadbalancing/CreateLoadBalancer.classic').detail as never),
    ).toEqual([]);
  });

  it('ALB with HTTP beside HTTPS: the HTTP listener becomes a 301 redirect to HTTPS:443', async () => {
    mock = fakeElbv2({ listeners: [https(), http()] });
    const report = await processEvent(engine(), event());
    expect(report.outcomes[0]).toMatchObject({ status: 'remediated', resource: LB });
    // The type comes from the ARN: reading a balancer is its listeners (and an HTTP listener's rules).
    expect(mock.commandCalls(DescribeLoadBalancersCommand)).toHaveLength(0);
    const calls = mock.commandCalls(ModifyListenerCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      ListenerArn: HTTP_LISTENER,
      DefaultActions: [HTTPS_REDIRECT(443)],
    });
    expect(HTTPS_REDIRECT(443).RedirectConfig).toMatchObject({
      Protocol: 'HTTPS',
      Port: '443',
      StatusCode: 'HTTP_301',
    });
  });

  it('an HTTP listener that already redirects to HTTPS is compliant', async () => {
    mock = fakeElbv2({ listeners: [https(), http([HTTPS_REDIRECT(443)])] });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('compliant');
    expect(mock.commandCalls(ModifyListenerCommand)).toHaveLength(0);
  });

  it('dry-run: would-remediate with the ModifyListener call, nothing written', async () => {
    mock = fakeElbv2({ listeners: [https(), http()] });
    const report = await processEvent(engine(true), event());
    expect(report.outcomes[0]).toMatchObject({
      status: 'would-remediate',
      actions: [
        {
          api: 'ModifyListener',
          params: { ListenerArn: HTTP_LISTENER, DefaultActions: [HTTPS_REDIRECT(443)] },
        },
      ],
    });
    expect(mock.commandCalls(ModifyListenerCommand)).toHaveLength(0);
  });

  it.each([
    ['an ALB without HTTPS', { listeners: [http()] }, /no HTTPS listener/],
    [
      'an HTTP listener whose rules forward',
      { listeners: [https(), http()], forwardingRules: 2 },
      /rules forward traffic/,
    ],
    [
      'an NLB TCP listener',
      {
        type: 'network',
        listeners: [
          { ListenerArn: HTTP_LISTENER, Protocol: 'TCP' as const, Port: 5432, DefaultActions: FORWARD },
        ],
      },
      /network load balancer has plaintext TCP:5432/,
    ],
  ])('%s: ticket, no write', async (_label, options, reason) => {
    mock = fakeElbv2(options);
    const report = await processEvent(engine(), event('type' in options ? options.type : undefined));
    expect(report.outcomes[0]).toMatchObject({ status: 'ticket', reason: expect.stringMatching(reason) });
    expect(mock.commandCalls(ModifyListenerCommand)).toHaveLength(0);
  });

  it('an NLB with only TLS listeners is compliant', async () => {
    mock = fakeElbv2({
      type: 'network',
      listeners: [{ ListenerArn: HTTPS_LISTENER, Protocol: 'TLS', Port: 443 }],
    });
    expect((await processEvent(engine(), event('network'))).outcomes[0]?.status).toBe('compliant');
  });

  it('exempt, gone and AccessDenied', async () => {
    mock = fakeElbv2({ listeners: [https(), http()], tags: { 'phiguard:exempt': 'health-check endpoint' } });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('exempt');
    mock.restore();
    mock = fakeElbv2({ listeners: [], exists: false });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('gone');
    mock.restore();
    mock = fakeElbv2({ listeners: [https(), http()] });
    mock.on(DescribeListenersCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(mock.commandCalls(ModifyListenerCommand)).toHaveLength(0);
  });
});

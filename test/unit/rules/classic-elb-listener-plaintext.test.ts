import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingClient,
  type ListenerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/classic-elb-listener-plaintext';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { Sweeper } from '../../../src/sweep/sweeper';
import { testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';

const ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/phi-legacy';

function fakeElb(
  listeners: ListenerDescription[],
  options: { exists?: boolean; tags?: Record<string, string> } = {},
) {
  const mock = mockClient(ElasticLoadBalancingClient);
  mock.on(DescribeLoadBalancersCommand).callsFake(() => {
    if (options.exists === false) throw awsError('LoadBalancerNotFound', 400);
    return {
      LoadBalancerDescriptions: [{ LoadBalancerName: 'phi-legacy', ListenerDescriptions: listeners }],
    };
  });
  mock.on(DescribeTagsCommand).resolves({
    TagDescriptions: [
      {
        LoadBalancerName: 'phi-legacy',
        Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      },
    ],
  });
  return mock;
}

const listener = (Protocol: string, InstanceProtocol: string): ListenerDescription => ({
  Listener: { Protocol, LoadBalancerPort: 443, InstanceProtocol, InstancePort: 8443 },
});
const engine = () => testEngine({ rules: [rule as Rule] });

let mock: ReturnType<typeof fakeElb>;
afterEach(() => mock?.restore());

describe('classic-elb-listener-plaintext', () => {
  it('names the classic load balancer from CreateLoadBalancer and CreateLoadBalancerListeners', () => {
    for (const name of ['CreateLoadBalancer.classic', 'CreateLoadBalancerListeners.tcp']) {
      expect(rule.resourceIds(loadFixture(`elasticloadbalancing/${name}`).detail as never)).toEqual([ARN]);
    }
    expect(
      rule.resourceIds(loadFixture('elasticloadbalancing/CreateLoadBalancer.application').detail as never),
    ).toEqual([]);
  });

  it.each([
    ['HTTP front end', 'HTTP', 'HTTPS'],
    ['TCP front end', 'TCP', 'SSL'],
    ['HTTP back end behind HTTPS', 'HTTPS', 'HTTP'],
  ])('%s: ticket (classic listeners cannot be fixed safely)', async (_label, front, back) => {
    mock = fakeElb([listener('HTTPS', 'HTTPS'), listener(front, back)]);
    const report = await processEvent(
      engine(),
      loadFixture('elasticloadbalancing/CreateLoadBalancer.classic'),
    );
    expect(report.outcomes[0]).toMatchObject({
      status: 'ticket',
      resource: ARN,
      findings: [expect.stringContaining(front)],
    });
  });

  it('HTTPS/SSL on both sides is compliant', async () => {
    mock = fakeElb([listener('HTTPS', 'HTTPS'), listener('SSL', 'SSL')]);
    const report = await processEvent(
      engine(),
      loadFixture('elasticloadbalancing/CreateLoadBalancerListeners.tcp'),
    );
    expect(report.outcomes[0]?.status).toBe('compliant');
  });

  it('exempt, gone and AccessDenied', async () => {
    mock = fakeElb([listener('HTTP', 'HTTP')], { tags: { 'phiguard:exempt': 'decommission in Q1' } });
    expect(
      (await processEvent(engine(), loadFixture('elasticloadbalancing/CreateLoadBalancer.classic')))
        .outcomes[0]?.status,
    ).toBe('exempt');
    mock.restore();
    mock = fakeElb([], { exists: false });
    expect(
      (await processEvent(engine(), loadFixture('elasticloadbalancing/CreateLoadBalancer.classic')))
        .outcomes[0]?.status,
    ).toBe('gone');
    mock.restore();
    mock = fakeElb([]);
    mock.on(DescribeLoadBalancersCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(
      engine(),
      loadFixture('elasticloadbalancing/CreateLoadBalancer.classic'),
    ).catch((e) => e);
    expect(failure.report.outcomes[0]?.status).toBe('error');
  });
});

describe('classic-elb-listener-plaintext in a sweep', () => {
  // Prepare: 25 balancers, every third one plaintext; the listing returns them all.
  const names = Array.from({ length: 25 }, (_, i) => `phi-legacy-${i}`);
  const description = (name: string, i: number) => ({
    LoadBalancerName: name,
    ListenerDescriptions: [i % 3 === 0 ? listener('HTTP', 'HTTP') : listener('HTTPS', 'HTTPS')],
  });
  const sweep = () =>
    new Sweeper(engine(), { concurrency: 8 }).runShard({
      runId: 'unit',
      account: '123456789012',
      region: 'us-east-1',
      resourceType: rule.resourceType,
      rules: [rule.id],
      pages: 0,
    });

  function fakeAccount(options: { deleted?: string } = {}) {
    const elb = mockClient(ElasticLoadBalancingClient);
    elb.on(DescribeLoadBalancersCommand).callsFake((input: { LoadBalancerNames?: string[] }) => {
      const asked = input.LoadBalancerNames;
      if (!asked) return { LoadBalancerDescriptions: names.map(description) };
      // Like AWS: a name that does not exist fails the whole call.
      if (options.deleted && asked.includes(options.deleted)) throw awsError('LoadBalancerNotFound', 400);
      return { LoadBalancerDescriptions: asked.map((name) => description(name, names.indexOf(name))) };
    });
    elb.on(DescribeTagsCommand).resolves({ TagDescriptions: [] });
    return elb;
  }
  const describeCalls = () =>
    mock
      .commandCalls(DescribeLoadBalancersCommand)
      .map((c) => c.args[0].input.LoadBalancerNames?.length ?? 0);

  it('reads a page of balancers twenty names per call, not one by one', async () => {
    mock = fakeAccount();
    const result = await sweep();
    expect(result.outcomes.filter((o) => o.status === 'ticket')).toHaveLength(9);
    expect(result.outcomes.filter((o) => o.status === 'compliant')).toHaveLength(16);
    // The listing (no names), then the page in batches of 20 and 5.
    expect(describeCalls().sort((a, b) => a - b)).toEqual([0, 5, 20]);
  });

  it('a balancer deleted since the listing: its batch falls back to one read per balancer, and it is gone', async () => {
    mock = fakeAccount({ deleted: 'phi-legacy-4' });
    const result = await sweep();
    expect(result.outcomes.find((o) => o.resource.endsWith('/phi-legacy-4'))?.status).toBe('gone');
    expect(result.outcomes.filter((o) => o.status === 'ticket')).toHaveLength(9);
    // The listing, the failed batch of 20, the batch of 5, then the 20 one by one.
    expect(describeCalls().sort((a, b) => a - b)).toEqual([0, ...Array(20).fill(1), 5, 20]);
  });
});

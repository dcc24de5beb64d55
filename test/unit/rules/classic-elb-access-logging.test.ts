import {
  DescribeLoadBalancerAttributesCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingClient,
  type LoadBalancerAttributes,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/classic-elb-access-logging';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/phi-legacy';
const LOGS = { PHIGUARD_ACCESS_LOGS_BUCKET: 'phi-access-logs-{region}' };
const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options, env: { ...LOGS, ...options.env } });
const FIXTURE = 'elasticloadbalancing/ModifyLoadBalancerAttributes.classic-access-log-off';
const event = () => loadFixture(FIXTURE);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mock = mockClient(ElasticLoadBalancingClient);
/** The balancer's attributes; ModifyLoadBalancerAttributes replaces the attributes it is given, as ELB does. */
function balancer(attributes: LoadBalancerAttributes, tags: { Key: string; Value: string }[] = []) {
  mock.on(DescribeLoadBalancerAttributesCommand).callsFake(() => ({ LoadBalancerAttributes: attributes }));
  mock
    .on(DescribeTagsCommand)
    .resolves({ TagDescriptions: [{ LoadBalancerName: 'phi-legacy', Tags: tags }] });
  mock
    .on(ModifyLoadBalancerAttributesCommand)
    .callsFake((input: { LoadBalancerAttributes: LoadBalancerAttributes }) => {
      Object.assign(attributes, input.LoadBalancerAttributes);
      return { LoadBalancerName: 'phi-legacy', LoadBalancerAttributes: attributes };
    });
  return attributes;
}
const OFF = (): LoadBalancerAttributes => ({
  AccessLog: { Enabled: false },
  ConnectionDraining: { Enabled: true, Timeout: 120 },
  CrossZoneLoadBalancing: { Enabled: true },
});
const modifies = () => mock.commandCalls(ModifyLoadBalancerAttributesCommand).map((c) => c.args[0].input);

beforeEach(() => {
  mock = mockClient(ElasticLoadBalancingClient);
});
afterEach(() => mock.restore());

describe('classic-elb-access-logging (client mocks)', () => {
  it('the record names the balancer by name; a v2 record of the same event is not a Classic balancer', () => {
    expect(rule.resource.resourceIds(event().detail as never)).toEqual([LB]);
    expect(
      rule.resource.resourceIds(
        loadFixture('elasticloadbalancing/ModifyLoadBalancerAttributes.access-logs-off').detail as never,
      ),
    ).toEqual([]);
  });

  it('off: AccessLog on to the region’s bucket under a prefix naming the balancer, nothing else sent; read back', async () => {
    const attributes = balancer(OFF());
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      before: { accessLogging: false },
      after: { accessLogging: true },
    });
    expect(modifies()).toEqual([
      {
        LoadBalancerName: 'phi-legacy',
        LoadBalancerAttributes: {
          AccessLog: {
            Enabled: true,
            S3BucketName: 'phi-access-logs-us-east-1',
            S3BucketPrefix: 'elb/phi-legacy',
            EmitInterval: 60,
          },
        },
      },
    ]);
    expect(attributes.ConnectionDraining).toEqual({ Enabled: true, Timeout: 120 });
  });

  it('keeps the 5-minute emit interval a person chose', async () => {
    balancer({ AccessLog: { Enabled: false, EmitInterval: 5 } });
    expect((await outcome())?.status).toBe('remediated');
    expect(modifies()[0]?.LoadBalancerAttributes?.AccessLog?.EmitInterval).toBe(5);
  });

  it('logging on is compliant; no bucket configured is a ticket', async () => {
    balancer({ AccessLog: { Enabled: true, S3BucketName: 'their-own-logs', EmitInterval: 60 } });
    expect((await outcome())?.status).toBe('compliant');
    mock.reset();
    balancer(OFF());
    expect(await outcome(engine({ env: { PHIGUARD_ACCESS_LOGS_BUCKET: '' } }))).toMatchObject({
      status: 'ticket',
      reason: 'no access-log bucket configured (set PHIGUARD_ACCESS_LOGS_BUCKET)',
    });
    expect(modifies()).toEqual([]);
  });

  it('dry-run, exempt and gone write nothing', async () => {
    balancer(OFF());
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('would-remediate');
    mock.reset();
    balancer(OFF(), [{ Key: 'phiguard:exempt', Value: 'decommissioning' }]);
    expect((await outcome())?.status).toBe('exempt');
    mock.reset();
    mock.on(DescribeLoadBalancerAttributesCommand).rejects(awsError('LoadBalancerNotFound', 400));
    expect((await outcome())?.status).toBe('gone');
    expect(modifies()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied on the attributes is an error outcome', async () => {
    balancer(OFF());
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    mock.on(DescribeLoadBalancerAttributesCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(modifies()).toEqual([]);
  });
});

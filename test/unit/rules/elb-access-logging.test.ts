import {
  DescribeLoadBalancerAttributesCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  type LoadBalancerAttribute,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBalancerEvent, loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/elb-access-logging';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';

const ALB =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/phi-portal/50dc6c495c0c9188';
const LOGS = { PHIGUARD_ACCESS_LOGS_BUCKET: 'phi-access-logs-{region}' };
const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options, env: { ...LOGS, ...options.env } });
const FIXTURE = 'elasticloadbalancing/ModifyLoadBalancerAttributes.access-logs-off';
const event = (arn = ALB) => loadBalancerEvent(FIXTURE, arn);
const outcome = async (e = engine(), ev = event()) => (await processEvent(e, ev)).outcomes[0];

let mock = mockClient(ElasticLoadBalancingV2Client);
/** The balancer's attributes; ModifyLoadBalancerAttributes merges as ELB does. */
function balancer(attributes: LoadBalancerAttribute[], tags: { Key: string; Value: string }[] = []) {
  mock.on(DescribeLoadBalancerAttributesCommand).callsFake(() => ({ Attributes: attributes }));
  mock.on(DescribeTagsCommand).resolves({ TagDescriptions: [{ ResourceArn: ALB, Tags: tags }] });
  mock.on(ModifyLoadBalancerAttributesCommand).callsFake((input: { Attributes: LoadBalancerAttribute[] }) => {
    for (const change of input.Attributes) {
      const existing = attributes.find((a) => a.Key === change.Key);
      if (existing) existing.Value = change.Value;
      else attributes.push({ ...change });
    }
    return { Attributes: attributes };
  });
  return attributes;
}
const OFF = () => [
  { Key: 'access_logs.s3.enabled', Value: 'false' },
  { Key: 'deletion_protection.enabled', Value: 'true' },
  { Key: 'idle_timeout.timeout_seconds', Value: '120' },
];
const modifies = () => mock.commandCalls(ModifyLoadBalancerAttributesCommand).map((c) => c.args[0].input);

beforeEach(() => {
  mock = mockClient(ElasticLoadBalancingV2Client);
});
afterEach(() => mock.restore());

describe('elb-access-logging (client mocks)', () => {
  it('the record names the balancer: ModifyLoadBalancerAttributes by its ARN, CreateLoadBalancer by the response', () => {
    expect(rule.resource.resourceIds(loadFixture(FIXTURE).detail as never)).toEqual([ALB]);
    expect(
      rule.resource.resourceIds(
        loadFixture('elasticloadbalancing/CreateLoadBalancer.application').detail as never,
      ),
    ).toHaveLength(1);
    // A Classic record of the same event name is not a v2 balancer.
    expect(
      rule.resource.resourceIds(
        loadFixture('elasticloadbalancing/ModifyLoadBalancerAttributes.classic-access-log-off')
          .detail as never,
      ),
    ).toEqual([]);
  });

  it('off: turns on only the three access-log attributes, to the region’s bucket under a prefix naming the balancer; read back', async () => {
    const attributes = balancer(OFF());
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      before: { accessLogging: false },
      after: { accessLogging: true },
    });
    expect(modifies()).toEqual([
      {
        LoadBalancerArn: ALB,
        Attributes: [
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: 'phi-access-logs-us-east-1' },
          { Key: 'access_logs.s3.prefix', Value: 'elb/phi-portal' },
        ],
      },
    ]);
    // The other attributes are as they were.
    expect(attributes).toContainEqual({ Key: 'deletion_protection.enabled', Value: 'true' });
    expect(attributes).toContainEqual({ Key: 'idle_timeout.timeout_seconds', Value: '120' });
  });

  it('an attribute never set reads as off (the emulator and Terraform leave it out)', async () => {
    balancer([{ Key: 'deletion_protection.enabled', Value: 'false' }]);
    expect((await outcome())?.status).toBe('remediated');
    expect(modifies()).toHaveLength(1);
  });

  it('logging on (anywhere) is compliant and keeps its destination; no bucket configured is a ticket', async () => {
    balancer([
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'access_logs.s3.bucket', Value: 'their-own-logs' },
    ]);
    expect((await outcome())?.status).toBe('compliant');
    mock.reset();
    balancer(OFF());
    expect(await outcome(engine({ env: { PHIGUARD_ACCESS_LOGS_BUCKET: '' } }))).toMatchObject({
      status: 'ticket',
      reason: 'no access-log bucket configured (set PHIGUARD_ACCESS_LOGS_BUCKET)',
    });
    expect(modifies()).toEqual([]);
  });

  it('a Gateway Load Balancer has no access logs: not judged, nothing read', async () => {
    const gwy =
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/gwy/phi-inspect/6d0ecf831eec9f09';
    expect(await outcome(engine(), event(gwy))).toMatchObject({
      status: 'compliant',
      before: { accessLogging: 'not available for Gateway Load Balancers' },
    });
    expect(mock.calls()).toEqual([]);
  });

  it('dry-run, exempt and gone write nothing', async () => {
    balancer(OFF());
    expect(await outcome(engine({ dryRun: true }))).toMatchObject({
      status: 'would-remediate',
      actions: [{ service: 'elasticloadbalancing', api: 'ModifyLoadBalancerAttributes' }],
    });
    mock.reset();
    balancer(OFF(), [{ Key: 'phiguard:exempt', Value: 'logs shipped by the sidecar' }]);
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

  it('a bucket ELB may not write to: the refusal is an error outcome, never remediated', async () => {
    balancer(OFF());
    mock.on(ModifyLoadBalancerAttributesCommand).rejects(awsError('InvalidConfigurationRequest', 400));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: 'ModifyLoadBalancerAttributes failed: InvalidConfigurationRequest (HTTP 400)',
    });
  });
});

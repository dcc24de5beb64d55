import {
  DeleteListenerCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeTagsCommand,
  type LoadBalancerAttribute,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { expect } from 'vitest';
import { loadBalancerEvent } from '../../local/fixtures';
import { createAcmClient, createAlb, createLogBucket, createVpc } from '../../local/seed';
import { ec2 } from '../../src/resources/ec2/vpc';
import { elbv2 } from '../../src/resources/elbv2/load-balancer';
import { s3 } from '../../src/resources/s3/bucket';
import { uniqueName } from '../support/moto';
import type { MockAws, RuleScenarios } from '../support/scenario';
import { LOGS } from './s3-bucket-access-logging';

/** A v2 balancer's attributes behind the mocked client; ModifyLoadBalancerAttributes merges into them. */
export function balancerAttributes(mocks: MockAws, attributes: LoadBalancerAttribute[]) {
  const stub = mocks.client(elbv2);
  stub.on(DescribeLoadBalancerAttributesCommand).callsFake(() => ({ Attributes: attributes }));
  stub.on(DescribeTagsCommand).resolves({ TagDescriptions: [{ Tags: [] }] });
  stub.on(ModifyLoadBalancerAttributesCommand).callsFake((input: { Attributes: LoadBalancerAttribute[] }) => {
    for (const change of input.Attributes) {
      const existing = attributes.find((a) => a.Key === change.Key);
      if (existing) existing.Value = change.Value;
      else attributes.push({ ...change });
    }
    return { Attributes: attributes };
  });
}

export default {
  drifted: [
    {
      name: 'an ALB without access logs, a log bucket configured',
      arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/phi-portal/50dc6c495c0c9188',
      env: { PHIGUARD_ACCESS_LOGS_BUCKET: LOGS },
      aws: (mocks) =>
        balancerAttributes(mocks, [
          { Key: 'access_logs.s3.enabled', Value: 'false' },
          { Key: 'idle_timeout.timeout_seconds', Value: '60' },
        ]),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    'elasticloadbalancing/CreateLoadBalancer.1.json': [
      'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/my-load-balancer/ffcddace1759e1d0',
    ],
    'elasticloadbalancing/CreateLoadBalancer.2.json': [
      'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/my-load-balancer/ffcddace1759e1d0',
    ],
    'elasticloadbalancing/CreateLoadBalancer.3.json': [],
  },
  emulator: {
    env: { PHIGUARD_ACCESS_LOGS_BUCKET: LOGS },
    async seed(clients, region) {
      await createLogBucket(clients.get(s3), LOGS.replace('{region}', region));
      const vpc = await createVpc(clients.get(ec2), region, 2);
      const alb = await createAlb(clients.get(elbv2), createAcmClient(region), vpc, uniqueName('scn-alb'), {
        https: true,
      });
      // HTTPS only: its one drift is the missing access logs.
      await clients.get(elbv2).send(new DeleteListenerCommand({ ListenerArn: alb.httpListenerArn }));
      return alb.loadBalancerArn;
    },
    expect: 'remediated',
    event: (arn) =>
      loadBalancerEvent('elasticloadbalancing/ModifyLoadBalancerAttributes.access-logs-off', arn),
    async fixed(clients, arn) {
      const out = await clients
        .get(elbv2)
        .send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
      const attributes = Object.fromEntries((out.Attributes ?? []).map((a) => [a.Key, a.Value]));
      expect(attributes).toMatchObject({
        'access_logs.s3.enabled': 'true',
        'access_logs.s3.bucket': LOGS.replace('{region}', arn.split(':')[3] as string),
        'access_logs.s3.prefix': `elb/${arn.split('/').at(-2)}`,
      });
    },
  },
} satisfies RuleScenarios;

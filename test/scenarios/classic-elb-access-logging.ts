import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeTagsCommand,
  type LoadBalancerAttributes,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { expect } from 'vitest';
import { loadBalancerEvent } from '../../local/fixtures';
import { createLogBucket } from '../../local/seed';
import { elb } from '../../src/resources/elb/load-balancer';
import { s3 } from '../../src/resources/s3/bucket';
import { uniqueName } from '../support/moto';
import type { MockAws, RuleScenarios } from '../support/scenario';
import { LOGS } from './s3-bucket-access-logging';

/** A Classic balancer's attributes behind the mocked client; ModifyLoadBalancerAttributes replaces the ones given. */
export function classicAttributes(mocks: MockAws, name: string, attributes: LoadBalancerAttributes) {
  const stub = mocks.client(elb);
  stub.on(DescribeLoadBalancerAttributesCommand).callsFake(() => ({ LoadBalancerAttributes: attributes }));
  stub.on(DescribeTagsCommand).resolves({ TagDescriptions: [{ LoadBalancerName: name, Tags: [] }] });
  stub
    .on(ModifyLoadBalancerAttributesCommand)
    .callsFake((input: { LoadBalancerAttributes: LoadBalancerAttributes }) => {
      Object.assign(attributes, input.LoadBalancerAttributes);
      return { LoadBalancerName: name, LoadBalancerAttributes: attributes };
    });
}

export default {
  drifted: [
    {
      name: 'a Classic Load Balancer without access logs, a log bucket configured',
      arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/phi-legacy',
      env: { PHIGUARD_ACCESS_LOGS_BUCKET: LOGS },
      aws: (mocks) =>
        classicAttributes(mocks, 'phi-legacy', {
          AccessLog: { Enabled: false },
          ConnectionDraining: { Enabled: true, Timeout: 300 },
        }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    'elasticloadbalancing/CreateLoadBalancer.1.json': [],
    'elasticloadbalancing/CreateLoadBalancer.2.json': [],
    'elasticloadbalancing/CreateLoadBalancer.3.json': [
      'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/my-load-balancer',
    ],
  },
  emulator: {
    env: { PHIGUARD_ACCESS_LOGS_BUCKET: LOGS },
    async seed(clients, region) {
      await createLogBucket(clients.get(s3), LOGS.replace('{region}', region));
      const name = uniqueName('scn-clb');
      // SSL on both sides: its one drift is the missing access logs.
      await clients.get(elb).send(
        new CreateLoadBalancerCommand({
          LoadBalancerName: name,
          Listeners: [
            {
              Protocol: 'SSL',
              LoadBalancerPort: 443,
              InstanceProtocol: 'SSL',
              InstancePort: 8443,
              SSLCertificateId: `arn:aws:iam::123456789012:server-certificate/${name}`,
            },
          ],
          AvailabilityZones: [`${region}a`],
        }),
      );
      return `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/${name}`;
    },
    expect: 'remediated',
    event: (arn) =>
      loadBalancerEvent('elasticloadbalancing/ModifyLoadBalancerAttributes.classic-access-log-off', arn),
    async fixed(clients, arn) {
      const name = arn.split('/').at(-1) as string;
      const out = await clients
        .get(elb)
        .send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: name }));
      expect(out.LoadBalancerAttributes?.AccessLog).toMatchObject({
        Enabled: true,
        S3BucketName: LOGS.replace('{region}', arn.split(':')[3] as string),
        S3BucketPrefix: `elb/${name}`,
        EmitInterval: 60,
      });
    },
  },
} satisfies RuleScenarios;

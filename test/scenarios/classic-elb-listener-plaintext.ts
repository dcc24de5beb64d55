import { DescribeLoadBalancersCommand, DescribeTagsCommand } from '@aws-sdk/client-elastic-load-balancing';
import { createPlaintextClassicLb } from '../../local/seed';
import { elb } from '../../src/resources/elb/load-balancer';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';
import { LOGS } from './s3-bucket-access-logging';

export default {
  drifted: [
    {
      name: 'an HTTP listener to an HTTP back end (always a ticket)',
      arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/phi-legacy',
      aws(mocks) {
        const stub = mocks.client(elb);
        stub.on(DescribeLoadBalancersCommand).resolves({
          LoadBalancerDescriptions: [
            {
              LoadBalancerName: 'phi-legacy',
              ListenerDescriptions: [
                {
                  Listener: {
                    Protocol: 'HTTP',
                    LoadBalancerPort: 80,
                    InstanceProtocol: 'HTTP',
                    InstancePort: 8080,
                  },
                },
              ],
            },
          ],
        });
        stub
          .on(DescribeTagsCommand)
          .resolves({ TagDescriptions: [{ LoadBalancerName: 'phi-legacy', Tags: [] }] });
      },
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
    async seed(clients, region) {
      const name = uniqueName('scn-clb');
      // Logging, so that its one drift is the plaintext listener.
      await createPlaintextClassicLb(clients.get(elb), region, name, {
        accessLogsTo: LOGS.replace('{region}', region),
      });
      return `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/${name}`;
    },
    expect: 'ticket',
  },
} satisfies RuleScenarios;

import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  type Listener,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createAcmClient, createAlb, createVpc } from '../../local/seed';
import { ec2 } from '../../src/resources/ec2/vpc';
import { elbv2 } from '../../src/resources/elbv2/load-balancer';
import { uniqueName } from '../support/moto';
import type { MockAws, RuleScenarios } from '../support/scenario';
import { LOGS } from './s3-bucket-access-logging';

const ALB =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/phi-portal/50dc6c495c0c9188';
const NLB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/phi-db/6d0ecf831eec9f09';
const FORWARD = [
  {
    Type: 'forward' as const,
    TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1',
  },
];

/** A load balancer's listeners behind the mocked client; ModifyListener changes them. */
function balancer(mocks: MockAws, listeners: Listener[]) {
  const stub = mocks.client(elbv2);
  stub.on(DescribeListenersCommand).callsFake(() => ({ Listeners: listeners }));
  stub.on(DescribeTagsCommand).resolves({ TagDescriptions: [{ Tags: [] }] });
  stub.on(DescribeRulesCommand).resolves({ Rules: [{ IsDefault: true, Actions: FORWARD }] });
  stub.on(ModifyListenerCommand).callsFake((input: { ListenerArn: string; DefaultActions: never }) => {
    const listener = listeners.find((l) => l.ListenerArn === input.ListenerArn);
    if (listener) listener.DefaultActions = input.DefaultActions;
    return { Listeners: listener ? [listener] : [] };
  });
}

export default {
  drifted: [
    {
      name: 'an ALB whose HTTP listener forwards beside an HTTPS listener',
      arn: ALB,
      aws: (mocks) =>
        balancer(mocks, [
          {
            ListenerArn: `${ALB.replace(':loadbalancer/', ':listener/')}/http`,
            Protocol: 'HTTP',
            Port: 80,
            DefaultActions: FORWARD,
          },
          {
            ListenerArn: `${ALB.replace(':loadbalancer/', ':listener/')}/https`,
            Protocol: 'HTTPS',
            Port: 443,
            DefaultActions: FORWARD,
          },
        ]),
    },
    {
      name: 'an NLB with a TCP listener (a ticket)',
      arn: NLB,
      aws: (mocks) =>
        balancer(mocks, [
          {
            ListenerArn: `${NLB.replace(':loadbalancer/', ':listener/')}/tcp`,
            Protocol: 'TCP',
            Port: 5432,
            DefaultActions: FORWARD,
          },
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
    async seed(clients, region) {
      const vpc = await createVpc(clients.get(ec2), region, 2);
      // Logging, so that its one drift is the plaintext listener.
      const alb = await createAlb(clients.get(elbv2), createAcmClient(region), vpc, uniqueName('scn-alb'), {
        https: true,
        accessLogsTo: LOGS.replace('{region}', region),
      });
      return alb.loadBalancerArn;
    },
    expect: 'remediated',
  },
} satisfies RuleScenarios;

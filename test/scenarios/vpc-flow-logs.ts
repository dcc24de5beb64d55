import {
  CreateFlowLogsCommand,
  DescribeFlowLogsCommand,
  DescribeVpcsCommand,
  type FlowLog,
} from '@aws-sdk/client-ec2';
import { createVpc } from '../../local/seed';
import { ec2 } from '../../src/resources/ec2/vpc';
import type { MockAws, RuleScenarios } from '../support/scenario';

const VPC = 'vpc-0a1b2c3d4e5f60001';
const ARN = `arn:aws:ec2:us-east-1:123456789012:vpc/${VPC}`;

/** A VPC without flow logs behind the mocked client; CreateFlowLogs adds one. */
function vpcWithoutFlowLogs(mocks: MockAws) {
  const flowLogs: FlowLog[] = [];
  const stub = mocks.client(ec2);
  stub.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: VPC, OwnerId: '123456789012', Tags: [] }] });
  stub.on(DescribeFlowLogsCommand).callsFake(() => ({ FlowLogs: flowLogs }));
  stub.on(CreateFlowLogsCommand).callsFake(() => {
    flowLogs.push({ FlowLogId: 'fl-new', FlowLogStatus: 'ACTIVE', TrafficType: 'ALL', ResourceId: VPC });
    return { FlowLogIds: ['fl-new'], Unsuccessful: [] };
  });
}

export default {
  drifted: [
    {
      name: 'no flow log, an S3 destination',
      arn: ARN,
      env: { PHIGUARD_FLOW_LOGS_DESTINATION: 'arn:aws:s3:::central-flow-logs' },
      aws: vpcWithoutFlowLogs,
    },
    {
      name: 'no flow log, a CloudWatch Logs destination (the delivery role is passed)',
      arn: ARN,
      env: {
        PHIGUARD_FLOW_LOGS_DESTINATION: 'arn:aws:logs:us-east-1:123456789012:log-group:flow-logs',
        PHIGUARD_FLOW_LOGS_ROLE_ARN: 'arn:aws:iam::123456789012:role/flow-logs-delivery',
      },
      aws: vpcWithoutFlowLogs,
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    'ec2/CreateVpc.1.json': ['arn:aws:ec2:us-west-2:123456789012:vpc/vpc-1'],
    'ec2/CreateVpc.2.json': ['arn:aws:ec2:us-west-2:123456789012:vpc/vpc-1'],
    'ec2/DeleteFlowLogs.1.json': 'all',
    'ec2/DeleteFlowLogs.2.json': 'all',
  },
  emulator: {
    async seed(clients, region) {
      const { vpcId } = await createVpc(clients.get(ec2), region);
      return `arn:aws:ec2:${region}:123456789012:vpc/${vpcId}`;
    },
    expect: 'remediated',
  },
} satisfies RuleScenarios;

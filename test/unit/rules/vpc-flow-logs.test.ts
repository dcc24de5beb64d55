import {
  CreateFlowLogsCommand,
  DescribeFlowLogsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type Filter,
  type FlowLog,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule, { MANAGED_TAG } from '../../../remediations/vpc-flow-logs';
import { processEvent } from '../../../src/process-event';
import { VPC_VISIBILITY_WAIT } from '../../../src/resources/ec2/vpc';
import type { Rule } from '../../../src/rule';
import { testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';

const VPC = 'vpc-0a1b2c3d4e5f60001';
const ARN = `arn:aws:ec2:us-east-1:123456789012:vpc/${VPC}`;
const DESTINATION = 'arn:aws:s3:::central-flow-logs';

interface FakeVpc {
  id: string;
  tags?: Record<string, string>;
  flowLogs: FlowLog[];
  /** DescribeVpcs answers NotFound this many times first (eventual consistency). */
  invisibleFor?: number;
}

function fakeEc2(vpcs: FakeVpc[]) {
  const mock = mockClient(EC2Client);
  mock.on(DescribeVpcsCommand).callsFake((input) => {
    const filtered = input.Filters?.find((f: Filter) => f.Name === 'vpc-id')?.Values;
    if (filtered) {
      // A filter never fails: a VPC not visible yet is simply not in the answer.
      return {
        Vpcs: vpcs
          .filter((v) => filtered.includes(v.id) && (v.invisibleFor ?? 0) === 0)
          .map((v) => ({
            VpcId: v.id,
            OwnerId: '123456789012',
            Tags: Object.entries(v.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
          })),
      };
    }
    const wanted = input.VpcIds as string[] | undefined;
    const found = vpcs.filter((v) => !wanted || wanted.includes(v.id));
    for (const vpc of found) {
      if ((vpc.invisibleFor ?? 0) > 0) {
        vpc.invisibleFor = (vpc.invisibleFor ?? 0) - 1;
        throw awsError('InvalidVpcID.NotFound', 400);
      }
    }
    if (wanted && found.length === 0) throw awsError('InvalidVpcID.NotFound', 400);
    return {
      Vpcs: found.map((v) => ({
        VpcId: v.id,
        OwnerId: '123456789012',
        Tags: Object.entries(v.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      })),
    };
  });
  mock.on(DescribeFlowLogsCommand).callsFake((input) => {
    const ids = input.Filter?.find((f: Filter) => f.Name === 'resource-id')?.Values ?? [];
    return {
      FlowLogs: vpcs
        .filter((v) => ids.includes(v.id))
        .flatMap((v) => v.flowLogs.map((log) => ({ ...log, ResourceId: v.id }))),
    };
  });
  mock.on(CreateFlowLogsCommand).callsFake((input) => {
    const vpc = vpcs.find((v) => v.id === input.ResourceIds?.[0]);
    vpc?.flowLogs.push({
      FlowLogId: 'fl-new',
      FlowLogStatus: 'ACTIVE',
      TrafficType: 'ALL',
      LogDestinationType: 's3',
    });
    return { FlowLogIds: ['fl-new'], Unsuccessful: [] };
  });
  return mock;
}

const active: FlowLog = {
  FlowLogId: 'fl-1',
  FlowLogStatus: 'ACTIVE',
  TrafficType: 'ALL',
  LogDestinationType: 's3',
};
const engine = (options: { dryRun?: boolean; destination?: string | null } = {}) =>
  testEngine({
    rules: [rule as Rule],
    dryRun: options.dryRun,
    env:
      options.destination === null
        ? {}
        : { PHIGUARD_FLOW_LOGS_DESTINATION: options.destination ?? DESTINATION },
  });
const createVpc = () => loadFixture('ec2/CreateVpc.basic');

let mock: ReturnType<typeof fakeEc2>;
afterEach(() => mock?.restore());
// Keep eventual-consistency waits short in unit tests; the schedule itself is what is under test.
beforeAll(() => Object.assign(VPC_VISIBILITY_WAIT, { maxWaitTime: 0.5, minDelay: 0.01, maxDelay: 0.05 }));

describe('vpc-flow-logs', () => {
  it('CreateVpc names the new VPC; DeleteFlowLogs re-checks every VPC', () => {
    expect(rule.resourceIds(createVpc().detail as never)).toEqual([ARN]);
    for (const name of ['DeleteFlowLogs.single', 'DeleteFlowLogs.many']) {
      expect(rule.resourceIds(loadFixture(`ec2/${name}`).detail as never)).toMatchObject({ all: true });
    }
  });

  it('a VPC without flow logs gets exactly one ALL-traffic flow log to the configured destination', async () => {
    mock = fakeEc2([{ id: VPC, flowLogs: [] }]);
    const report = await processEvent(engine(), createVpc());
    expect(report.outcomes[0]).toMatchObject({ status: 'remediated', resource: ARN });
    const calls = mock.commandCalls(CreateFlowLogsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      ResourceIds: [VPC],
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: DESTINATION,
      TagSpecifications: [{ ResourceType: 'vpc-flow-log', Tags: [{ Key: MANAGED_TAG, Value: 'true' }] }],
    });
  });

  it('a CloudWatch Logs destination passes the delivery role', async () => {
    mock = fakeEc2([{ id: VPC, flowLogs: [] }]);
    const logs = 'arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow-logs';
    const role = 'arn:aws:iam::123456789012:role/flow-logs-delivery';
    const eng = testEngine({
      rules: [rule as Rule],
      env: { PHIGUARD_FLOW_LOGS_DESTINATION: logs, PHIGUARD_FLOW_LOGS_ROLE_ARN: role },
    });
    await processEvent(eng, createVpc());
    expect(mock.commandCalls(CreateFlowLogsCommand)[0]?.args[0].input).toMatchObject({
      LogDestinationType: 'cloud-watch-logs',
      LogDestination: logs,
      DeliverLogsPermissionArn: role,
    });
  });

  it('a VPC that already has an active flow log never gets a second', async () => {
    mock = fakeEc2([{ id: VPC, flowLogs: [active] }]);
    expect((await processEvent(engine(), createVpc())).outcomes[0]?.status).toBe('compliant');
    expect(mock.commandCalls(CreateFlowLogsCommand)).toHaveLength(0);
  });

  it('DeleteFlowLogs: fixes only the VPCs that lost their flow log', async () => {
    mock = fakeEc2([
      { id: 'vpc-aaaa', flowLogs: [active] },
      { id: 'vpc-bbbb', flowLogs: [] },
      { id: 'vpc-cccc', flowLogs: [{ ...active, TrafficType: 'REJECT' }] },
    ]);
    const report = await processEvent(engine(), loadFixture('ec2/DeleteFlowLogs.single'));
    const byVpc = Object.fromEntries(report.outcomes.map((o) => [o.resource.split('/')[1], o.status]));
    expect(byVpc).toEqual({ 'vpc-aaaa': 'compliant', 'vpc-bbbb': 'remediated', 'vpc-cccc': 'remediated' });
    expect(mock.commandCalls(CreateFlowLogsCommand).map((c) => c.args[0].input.ResourceIds)).toEqual([
      ['vpc-bbbb'],
      ['vpc-cccc'],
    ]);
    // All three VPCs' flow logs in one call; then each fixed VPC alone, to confirm the fix.
    expect(
      mock.commandCalls(DescribeFlowLogsCommand).map((c) => c.args[0].input.Filter?.[0]?.Values),
    ).toEqual([['vpc-aaaa', 'vpc-bbbb', 'vpc-cccc'], ['vpc-bbbb'], ['vpc-cccc']]);
  });

  it('a VPC not yet describable is waited for (the SDK waiter), then checked', async () => {
    mock = fakeEc2([{ id: VPC, flowLogs: [], invisibleFor: 2 }]);
    expect((await processEvent(engine(), createVpc())).outcomes[0]?.status).toBe('remediated');
    expect(mock.commandCalls(DescribeVpcsCommand).length).toBeGreaterThanOrEqual(3);
  });

  it('a VPC that never appears is gone', async () => {
    mock = fakeEc2([]);
    expect((await processEvent(engine(), createVpc())).outcomes[0]?.status).toBe('gone');
    expect(mock.commandCalls(CreateFlowLogsCommand)).toHaveLength(0);
  });

  it('dry-run and exempt: nothing created', async () => {
    mock = fakeEc2([{ id: VPC, flowLogs: [] }]);
    expect((await processEvent(engine({ dryRun: true }), createVpc())).outcomes[0]).toMatchObject({
      status: 'would-remediate',
      actions: [{ api: 'CreateFlowLogs', params: { ResourceIds: [VPC], TrafficType: 'ALL' } }],
    });
    mock.restore();
    mock = fakeEc2([{ id: VPC, flowLogs: [], tags: { 'phiguard:exempt': 'sandbox' } }]);
    expect((await processEvent(engine(), createVpc())).outcomes[0]?.status).toBe('exempt');
    expect(mock.commandCalls(CreateFlowLogsCommand)).toHaveLength(0);
  });

  it('no destination configured: ticket', async () => {
    mock = fakeEc2([{ id: VPC, flowLogs: [] }]);
    const report = await processEvent(engine({ destination: null }), createVpc());
    expect(report.outcomes[0]).toMatchObject({
      status: 'ticket',
      reason: expect.stringContaining('PHIGUARD_FLOW_LOGS_DESTINATION'),
    });
  });

  it('an Unsuccessful answer from CreateFlowLogs is an error, not a success', async () => {
    mock = fakeEc2([{ id: VPC, flowLogs: [] }]);
    mock.on(CreateFlowLogsCommand).resolves({
      FlowLogIds: [],
      Unsuccessful: [{ ResourceId: VPC, Error: { Code: 'AccessDenied', Message: 'no' } }],
    });
    const failure = await processEvent(engine(), createVpc()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: 'CreateFlowLogs failed: AccessDenied',
    });
  });

  it('AccessDenied on DescribeFlowLogs is an error outcome', async () => {
    mock = fakeEc2([{ id: VPC, flowLogs: [] }]);
    mock.on(DescribeFlowLogsCommand).rejects(awsError('UnauthorizedOperation', 403));
    const failure = await processEvent(engine(), createVpc()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('UnauthorizedOperation'),
    });
    expect(mock.commandCalls(CreateFlowLogsCommand)).toHaveLength(0);
  });
});

/**
 * §164.312(b) Audit controls: network activity in a VPC that carries PHI must be
 * recorded. Compliant means the VPC has an ACTIVE VPC-level flow log capturing
 * ALL traffic. The fix creates exactly one, to the configured central
 * destination; a VPC that already has one never gets a second.
 *
 * Events: CreateVpc (a new VPC has no flow log) and DeleteFlowLogs. The
 * DeleteFlowLogs record names only flow-log ids, and a deleted flow log can no
 * longer be described, so that event re-checks every VPC in the region.
 */
import {
  CreateFlowLogsCommand,
  type CreateFlowLogsResult,
  type FlowLog,
  paginateDescribeFlowLogs,
} from '@aws-sdk/client-ec2';
import { parseArn } from '../src/arn';
import { chunksOf } from '../src/chunks';
import { PhiGuardError } from '../src/errors';
import { awsCall } from '../src/planned-action';
import { describeVpc, ec2, FILTER_VALUES, vpc, vpcIdOf } from '../src/resources/ec2/vpc';
import type { ResourceContext } from '../src/resources/resource-type';
import { defineRule } from '../src/rule';
import { ruleSetting } from '../src/rule-settings';
import * as z from '../src/zod';

export const MANAGED_TAG = 'phiguard:managed';

/** The service the CloudWatch Logs delivery role is handed to. */
const FLOW_LOGS_SERVICE = 'vpc-flow-logs.amazonaws.com';

const S3_DESTINATION = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;
const LOG_GROUP_DESTINATION = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[^:]+(:\*)?$/;

const destination = ruleSetting({
  env: 'PHIGUARD_FLOW_LOGS_DESTINATION',
  file: 'flowLogs.destination',
  description:
    'where new VPC flow logs deliver: an S3 bucket ARN (arn:aws:s3:::bucket[/prefix]) or a CloudWatch Logs group ARN',
  unset: 'a ticket instead of a fix',
  schema: z.string().check(
    z.refine((value) => S3_DESTINATION.test(value) || LOG_GROUP_DESTINATION.test(value), {
      message: 'must be an S3 bucket ARN (arn:aws:s3:::bucket[/prefix]) or a CloudWatch Logs group ARN',
    }),
  ),
});

const deliveryRoleArn = ruleSetting({
  env: 'PHIGUARD_FLOW_LOGS_ROLE_ARN',
  file: 'flowLogs.deliveryRoleArn',
  description: 'the IAM role the flow-logs service assumes to write to a CloudWatch Logs destination',
  unset: 'none (required with a CloudWatch Logs destination)',
  schema: z.string().check(z.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')),
});

export class FlowLogCreationError extends PhiGuardError {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'FlowLogCreationError';
    this.code = code;
  }
}

interface Observed {
  vpcId: string;
  flowLogs: FlowLog[];
}

const FLOW_LOGS = 'ec2:flow-logs';

/** The VPC's flow logs, shared through `ctx.reads` so a sweep page's batch read can fill them. */
function flowLogsOf(ctx: ResourceContext, arn: string): Promise<FlowLog[]> {
  return ctx.reads.get(arn, FLOW_LOGS, () => describeFlowLogs(ctx, [vpcIdOf(arn)]));
}

async function describeFlowLogs(ctx: ResourceContext, vpcIds: string[]): Promise<FlowLog[]> {
  const logs: FlowLog[] = [];
  for await (const page of paginateDescribeFlowLogs(
    { client: ctx.clients.get(ec2) },
    { Filter: [{ Name: 'resource-id', Values: vpcIds }] },
  )) {
    logs.push(...(page.FlowLogs ?? []));
  }
  return logs;
}

const settings = { destination, deliveryRoleArn };

export default defineRule<Observed, typeof settings>({
  id: 'vpc-flow-logs',
  title: 'VPC must have an active flow log capturing all traffic',
  severity: 'medium',
  safeguards: ['164.312(b)'],
  fix: 'one ACTIVE flow log, traffic ALL, to the configured destination; never a second; no destination configured → ticket',
  resource: vpc,
  triggers: [{ source: 'ec2.amazonaws.com', events: ['CreateVpc', 'DeleteFlowLogs'] }],
  settings,
  checkSettings: (values) =>
    values.destination && LOG_GROUP_DESTINATION.test(values.destination) && !values.deliveryRoleArn
      ? `a CloudWatch Logs flow-log destination needs a delivery role: set ${deliveryRoleArn.env} (or ${deliveryRoleArn.file})`
      : undefined,
  permissions: {
    read: ['ec2:DescribeFlowLogs'],
    // CreateFlowLogs tags the new flow log and sets up log delivery on the caller's behalf.
    write: ['ec2:CreateFlowLogs', 'ec2:CreateTags', 'logs:CreateLogDelivery', 'logs:DeleteLogDelivery'],
    // The CloudWatch Logs delivery role is handed to the flow-logs service.
    passRole: [FLOW_LOGS_SERVICE],
  },

  async check(arn, ctx) {
    await describeVpc(ctx, arn); // gone when the VPC is
    const flowLogs = await flowLogsOf(ctx, arn);
    const active = flowLogs.filter((log) => log.FlowLogStatus === 'ACTIVE' && log.TrafficType === 'ALL');
    const findings =
      active.length > 0
        ? []
        : [
            flowLogs.length === 0
              ? 'VPC has no flow log'
              : `VPC has ${flowLogs.length} flow log(s) but none ACTIVE capturing ALL traffic`,
          ];
    return {
      state: findings.length === 0 ? 'compliant' : 'non-compliant',
      findings,
      observed: { vpcId: vpcIdOf(arn), flowLogs },
      summary: {
        flowLogs:
          flowLogs
            .map(
              (log) => `${log.FlowLogId} ${log.FlowLogStatus} ${log.TrafficType} ${log.LogDestinationType}`,
            )
            .join(', ') || 'none',
      },
    };
  },

  async prefetch(arns, ctx) {
    // One DescribeFlowLogs per hundred VPCs of a sweep page (or a whole-region event).
    const arnOf = new Map(arns.map((arn) => [vpcIdOf(arn), arn]));
    await Promise.all(
      chunksOf([...arnOf.keys()], FILTER_VALUES).map(async (chunk) => {
        const logs = await describeFlowLogs(ctx, chunk);
        for (const vpcId of chunk) {
          const arn = arnOf.get(vpcId) as string;
          ctx.reads.prime(
            arn,
            FLOW_LOGS,
            logs.filter((log) => log.ResourceId === vpcId),
          );
        }
      }),
    );
  },

  plan(_arn, observed, ctx) {
    const target = ctx.settings.destination;
    if (!target) {
      return {
        kind: 'ticket',
        reason: `no flow-log destination configured (set ${destination.env})`,
      };
    }
    const toS3 = parseArn(target)?.service === 's3';
    return {
      kind: 'fix',
      actions: [
        awsCall(
          ec2,
          CreateFlowLogsCommand,
          {
            ResourceIds: [observed.vpcId],
            ResourceType: 'VPC',
            TrafficType: 'ALL',
            LogDestinationType: toS3 ? 's3' : 'cloud-watch-logs',
            LogDestination: target,
            ...(toS3 ? {} : { DeliverLogsPermissionArn: ctx.settings.deliveryRoleArn }),
            TagSpecifications: [
              { ResourceType: 'vpc-flow-log', Tags: [{ Key: MANAGED_TAG, Value: 'true' }] },
            ],
          },
          {
            alsoNeeds: ['ec2:CreateTags', 'logs:CreateLogDelivery', 'logs:DeleteLogDelivery'],
            ...(toS3 ? {} : { passesRoleTo: FLOW_LOGS_SERVICE }),
            accept(output) {
              // CreateFlowLogs reports per-resource failures in a 200 answer.
              const failure = (output as CreateFlowLogsResult).Unsuccessful?.[0]?.Error;
              if (failure) {
                throw new FlowLogCreationError(
                  failure.Code ?? 'Unsuccessful',
                  'CreateFlowLogs was unsuccessful',
                );
              }
            },
          },
        ),
      ],
    };
  },
});

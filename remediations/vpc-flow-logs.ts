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
  DescribeVpcsCommand,
  type EC2Client,
  type FlowLog,
  paginateDescribeFlowLogs,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import { parseArn, partitionOf } from '../src/arn';
import { hasErrorCode } from '../src/aws-errors';
import { chunksOf } from '../src/chunks';
import type { CloudTrailRecord } from '../src/cloudtrail-event';
import { vpcConsoleUrl } from '../src/console-url';
import { PhiGuardError } from '../src/errors';
import { stringField } from '../src/record-fields';
import { defineRule, type ResourceSelection, type RuleContext } from '../src/rule';

/**
 * A VPC named by CreateVpc may not be describable for a moment (eventual
 * consistency); these waits bound how long a check insists before saying `gone`.
 */
export const VISIBILITY_RETRY_DELAYS_MS = [200, 400, 800, 1600];

export const MANAGED_TAG = 'phiguard:managed';

const VPC_ID = /^vpc-[0-9a-f]{1,17}$/;

function vpcArn(partition: string, region: string, accountId: string, vpcId: string): string {
  return `arn:${partition}:ec2:${region}:${accountId}:vpc/${vpcId}`;
}

function vpcIdOf(arn: string): string {
  const resource = parseArn(arn)?.resource ?? '';
  const id = resource.startsWith('vpc/') ? resource.slice(4) : '';
  if (!VPC_ID.test(id)) throw new TypeError(`not a VPC ARN: ${arn}`);
  return id;
}

function resourceIds(record: CloudTrailRecord): ResourceSelection {
  if (record.eventName === 'DeleteFlowLogs') {
    return { all: true, because: 'DeleteFlowLogs names only flow-log ids, which can no longer be described' };
  }
  const vpcId = stringField(record.responseElements, 'vpc', 'vpcId');
  const region = record.awsRegion;
  const account =
    stringField(record.responseElements, 'vpc', 'ownerId') ??
    (record.recipientAccountId ?? record.userIdentity?.accountId)?.toString();
  if (!vpcId || !VPC_ID.test(vpcId) || !region || !account) return [];
  return [vpcArn(partitionOf(region), region, account, vpcId)];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

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

/** What `check` reads of one VPC; shared through `ctx.reads`, so a batch read can fill it. */
interface VpcRead {
  tags: Record<string, string>;
  flowLogs: FlowLog[];
}
const VPC_READ = 'ec2:vpc+flow-logs';

/** EC2 filters take up to 200 values; a page of VPCs is read in batches of this many. */
const FILTER_VALUES = 100;

function tagsOf(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/** One VPC on its own: undefined when it does not exist (after waiting for a new one to become visible). */
async function readVpc(ec2: EC2Client, vpcId: string): Promise<VpcRead | undefined> {
  let tags: Record<string, string> | undefined;
  for (let attempt = 0; tags === undefined; attempt++) {
    try {
      const out = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
      const vpc = out.Vpcs?.[0];
      if (!vpc)
        throw Object.assign(new Error('empty DescribeVpcs answer'), { name: 'InvalidVpcID.NotFound' });
      tags = tagsOf(vpc.Tags);
    } catch (error) {
      if (!hasErrorCode(error, 'InvalidVpcID.NotFound')) throw error;
      const delay = VISIBILITY_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) return undefined;
      await sleep(delay);
    }
  }
  const flowLogs = await collect(
    paginateDescribeFlowLogs({ client: ec2 }, { Filter: [{ Name: 'resource-id', Values: [vpcId] }] }),
    (page) => page.FlowLogs,
  );
  return { tags, flowLogs };
}

function destinationOf(ctx: RuleContext) {
  const destination = ctx.settings.flowLogsDestination;
  if (!destination) return undefined;
  const type = parseArn(destination)?.service === 's3' ? 's3' : 'cloud-watch-logs';
  return { destination, type } as const;
}

export default defineRule<Observed>({
  id: 'vpc-flow-logs',
  title: 'VPC must have an active flow log capturing all traffic',
  severity: 'medium',
  safeguards: ['164.312(b)'],
  resourceType: 'AWS::EC2::VPC',
  triggers: [{ source: 'ec2.amazonaws.com', events: ['CreateVpc', 'DeleteFlowLogs'] }],
  permissions: {
    read: ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs'],
    // CreateFlowLogs to S3 or CloudWatch Logs needs the log-delivery actions;
    // iam:PassRole hands the CloudWatch Logs delivery role to the flow-logs service.
    write: [
      'ec2:CreateFlowLogs',
      'ec2:CreateTags',
      'logs:CreateLogDelivery',
      'logs:DeleteLogDelivery',
      'iam:PassRole',
    ],
  },

  resourceIds,

  consoleUrl: vpcConsoleUrl,

  async listPage(ctx, token) {
    const page = await ctx.clients.ec2().send(
      new DescribeVpcsCommand({
        NextToken: token,
        MaxResults: Math.min(Math.max(ctx.pageSize ?? 1000, 5), 1000),
      }),
    );
    const arns = (page.Vpcs ?? []).flatMap((vpc) =>
      vpc.VpcId ? [vpcArn(ctx.partition, ctx.region, vpc.OwnerId ?? ctx.accountId, vpc.VpcId)] : [],
    );
    return { arns, next: page.NextToken || undefined };
  },

  async check(arn, ctx) {
    const vpcId = vpcIdOf(arn);
    const read = await ctx.reads.get(arn, VPC_READ, () => readVpc(ctx.clients.ec2(), vpcId));
    if (!read) return { state: 'gone' };
    const { tags, flowLogs } = read;
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
      observed: { vpcId, flowLogs },
      summary: {
        flowLogs:
          flowLogs
            .map(
              (log) => `${log.FlowLogId} ${log.FlowLogStatus} ${log.TrafficType} ${log.LogDestinationType}`,
            )
            .join(', ') || 'none',
      },
      // DescribeVpcs already returned them: no extra call.
      tags: async () => tags,
    };
  },

  async prefetch(arns, ctx) {
    const ec2 = ctx.clients.ec2();
    const arnOf = new Map(arns.map((arn) => [vpcIdOf(arn), arn]));
    await Promise.all(
      chunksOf([...arnOf.keys()], FILTER_VALUES).map(async (chunk) => {
        // Filters, not VpcIds: a VPC not visible yet must not fail the whole batch (its check retries it).
        const [vpcs, flowLogs] = await Promise.all([
          collect(
            paginateDescribeVpcs({ client: ec2 }, { Filters: [{ Name: 'vpc-id', Values: chunk }] }),
            (p) => p.Vpcs,
          ),
          collect(
            paginateDescribeFlowLogs({ client: ec2 }, { Filter: [{ Name: 'resource-id', Values: chunk }] }),
            (p) => p.FlowLogs,
          ),
        ]);
        for (const vpc of vpcs) {
          const arn = vpc.VpcId ? arnOf.get(vpc.VpcId) : undefined;
          if (!arn) continue;
          ctx.reads.prime<VpcRead>(arn, VPC_READ, {
            tags: tagsOf(vpc.Tags),
            flowLogs: flowLogs.filter((log) => log.ResourceId === vpc.VpcId),
          });
        }
      }),
    );
  },

  plan(_arn, observed, ctx) {
    const target = destinationOf(ctx);
    if (!target) {
      return {
        kind: 'ticket',
        reason: 'no flow-log destination configured (set PHIGUARD_FLOW_LOGS_DESTINATION)',
      };
    }
    const input = {
      ResourceIds: [observed.vpcId],
      ResourceType: 'VPC' as const,
      TrafficType: 'ALL' as const,
      LogDestinationType: target.type,
      LogDestination: target.destination,
      ...(target.type === 'cloud-watch-logs'
        ? { DeliverLogsPermissionArn: ctx.settings.flowLogsDeliveryRoleArn }
        : {}),
      TagSpecifications: [
        { ResourceType: 'vpc-flow-log' as const, Tags: [{ Key: MANAGED_TAG, Value: 'true' }] },
      ],
    };
    return {
      kind: 'fix',
      actions: [
        {
          service: 'ec2',
          api: 'CreateFlowLogs',
          params: input,
          async run(runCtx) {
            const out = await runCtx.clients.ec2().send(new CreateFlowLogsCommand(input));
            const failure = out.Unsuccessful?.[0]?.Error;
            if (failure) {
              // CreateFlowLogs reports per-resource failures in a 200 answer.
              throw new FlowLogCreationError(
                failure.Code ?? 'Unsuccessful',
                'CreateFlowLogs was unsuccessful',
              );
            }
            return out;
          },
        },
      ],
    };
  },
});

/**
 * AWS::EC2::VPC. A VPC named by CreateVpc may not be describable for a moment
 * (eventual consistency): its read waits for it with the SDK's VpcExists waiter,
 * for a few seconds, before calling it gone.
 */
import {
  DescribeVpcsCommand,
  EC2Client,
  paginateDescribeVpcs,
  type Vpc,
  waitForVpcExists,
} from '@aws-sdk/client-ec2';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import { chunksOf } from '../../chunks';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { stringField } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext, type ResourceSelection } from '../resource-type';

export const ec2 = awsClient(EC2Client, { iamPrefix: 'ec2' });

/** How long a VPC that is not visible yet is waited for, and the waiter's first and longest pause. */
export const VPC_VISIBILITY_WAIT = { maxWaitTime: 4, minDelay: 0.2, maxDelay: 1.6 };

/** EC2 filters take up to 200 values; a page of VPCs is read in batches of this many. */
export const FILTER_VALUES = 100;

const VPC_ID = /^vpc-[0-9a-f]{1,17}$/;
const DESCRIPTION = 'ec2:vpc';

export function vpcArn(partition: string, region: string, accountId: string, vpcId: string): string {
  return `arn:${partition}:ec2:${region}:${accountId}:vpc/${vpcId}`;
}

export function vpcIdOf(arn: string): string {
  const resource = parseArn(arn)?.resource ?? '';
  const id = resource.startsWith('vpc/') ? resource.slice(4) : '';
  if (!VPC_ID.test(id)) throw new TypeError(`not a VPC ARN: ${arn}`);
  return id;
}

function resourceIds(record: CloudTrailRecord): ResourceSelection {
  if (record.eventName === 'DeleteFlowLogs') {
    return { all: true, because: 'DeleteFlowLogs names only flow-log ids, which can no longer be described' };
  }
  const vpcId =
    stringField(record.responseElements, 'vpc', 'vpcId') ?? stringField(record.requestParameters, 'vpcId');
  const region = record.awsRegion;
  const account = stringField(record.responseElements, 'vpc', 'ownerId') ?? accountOf(record);
  if (!vpcId || !VPC_ID.test(vpcId) || !region || !account) return [];
  return [vpcArn(partitionOf(region), region, account, vpcId)];
}

/** The VPC's description; ResourceGoneError when it does not exist (after waiting for a new one). */
export function describeVpc(ctx: ResourceContext, arn: string): Promise<Vpc> {
  const vpcId = vpcIdOf(arn);
  return ctx.reads.get(arn, DESCRIPTION, async () => {
    const client = ctx.clients.get(ec2);
    try {
      const vpc = (await client.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0];
      if (vpc) return vpc;
    } catch (error) {
      if (!hasErrorCode(error, 'InvalidVpcID.NotFound')) throw error;
    }
    // Not visible (yet): the SDK's waiter polls with back-off, bounded.
    const waited = await waitForVpcExists({ client, ...VPC_VISIBILITY_WAIT }, { VpcIds: [vpcId] });
    const vpc =
      waited.state === 'SUCCESS' ? (waited.reason as { Vpcs?: Vpc[] } | undefined)?.Vpcs?.[0] : undefined;
    if (!vpc) throw new ResourceGoneError(arn);
    return vpc;
  });
}

export const vpc = defineResourceType({
  type: 'AWS::EC2::VPC',
  client: ec2,
  // Tags come with DescribeVpcs: no tag read of their own.
  permissions: { read: ['ec2:DescribeVpcs'] },

  resourceIds,

  async listPage(ctx, token) {
    const page = await ctx.clients.get(ec2).send(
      new DescribeVpcsCommand({
        NextToken: token,
        MaxResults: Math.min(Math.max(ctx.pageSize ?? 1000, 5), 1000),
      }),
    );
    const arns = (page.Vpcs ?? []).flatMap((v) =>
      v.VpcId ? [vpcArn(ctx.partition, ctx.region, v.OwnerId ?? ctx.accountId, v.VpcId)] : [],
    );
    return { arns, next: page.NextToken || undefined };
  },

  tags: async (arn, ctx) => tagRecord((await describeVpc(ctx, arn)).Tags),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    const vpcId = parseArn(arn)?.resource.replace(/^vpc\//, '');
    return base && vpcId ? `${base}/vpcconsole/home?region=${region}#VpcDetails:VpcId=${vpcId}` : undefined;
  },

  async prefetch(arns, ctx) {
    const client = ctx.clients.get(ec2);
    const arnOf = new Map(arns.map((arn) => [vpcIdOf(arn), arn]));
    await Promise.all(
      chunksOf([...arnOf.keys()], FILTER_VALUES).map(async (chunk) => {
        // Filters, not VpcIds: a VPC not visible yet must not fail the whole batch (its read waits for it).
        for await (const page of paginateDescribeVpcs(
          { client },
          { Filters: [{ Name: 'vpc-id', Values: chunk }] },
        )) {
          for (const v of page.Vpcs ?? []) {
            const arn = v.VpcId ? arnOf.get(v.VpcId) : undefined;
            if (arn) ctx.reads.prime(arn, DESCRIPTION, v);
          }
        }
      }),
    );
  },
});

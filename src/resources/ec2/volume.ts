/**
 * AWS::EC2::Volume, an EBS volume. CreateVolume records name it in their answer;
 * RunInstances records name the new instances, whose volumes a read finds by their
 * attachment. The sweep keeps each listed volume's description, tags included.
 */
import { DescribeVolumesCommand, paginateDescribeVolumes, type Volume } from '@aws-sdk/client-ec2';
import { parseArn, partitionOf } from '../../arn';
import { hasErrorCode } from '../../aws-errors';
import { chunksOf } from '../../chunks';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { asList, field, stringField } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext, type ResourceSelection } from '../resource-type';
import { ec2, FILTER_VALUES } from './vpc';

const VOLUME_ID = /^vol-[0-9a-f]+$/;
const INSTANCE_ID = /^i-[0-9a-f]+$/;
const DESCRIPTION = 'ec2:volume';

export function volumeArn(partition: string, region: string, accountId: string, volumeId: string): string {
  return `arn:${partition}:ec2:${region}:${accountId}:volume/${volumeId}`;
}

export function volumeIdOf(arn: string): string {
  const resource = parseArn(arn)?.resource ?? '';
  const id = resource.startsWith('volume/') ? resource.slice('volume/'.length) : '';
  if (!VOLUME_ID.test(id)) throw new TypeError(`not an EBS volume ARN: ${arn}`);
  return id;
}

function volumeSelection(record: CloudTrailRecord): ResourceSelection {
  const region = record.awsRegion;
  const account = accountOf(record);
  if (!region || !account) return [];
  const partition = partitionOf(region);
  if (record.eventName === 'RunInstances') {
    const instances = asList(field(record.responseElements, 'instancesSet', 'items'))
      .map((item) => stringField(item, 'instanceId'))
      .filter((id): id is string => id !== undefined && INSTANCE_ID.test(id));
    if (instances.length === 0) return [];
    return {
      because: 'RunInstances names instances; their volumes are found by attachment',
      async lookup(ctx) {
        const arns: string[] = [];
        for (const chunk of chunksOf(instances, FILTER_VALUES)) {
          for await (const page of paginateDescribeVolumes(
            { client: ctx.clients.get(ec2) },
            { Filters: [{ Name: 'attachment.instance-id', Values: chunk }] },
          )) {
            for (const volume of page.Volumes ?? []) {
              if (!volume.VolumeId) continue;
              const arn = volumeArn(partition, region, account, volume.VolumeId);
              ctx.reads.prime(arn, DESCRIPTION, volume);
              arns.push(arn);
            }
          }
        }
        return arns;
      },
    };
  }
  const id =
    stringField(record.responseElements, 'volumeId') ?? stringField(record.requestParameters, 'volumeId');
  return id && VOLUME_ID.test(id) ? [volumeArn(partition, region, account, id)] : [];
}

/** The volume's description (encryption, tags); ResourceGoneError when it no longer exists. */
export function describeVolume(ctx: ResourceContext, arn: string): Promise<Volume> {
  return ctx.reads.get(arn, DESCRIPTION, async () => {
    try {
      const out = await ctx.clients
        .get(ec2)
        .send(new DescribeVolumesCommand({ VolumeIds: [volumeIdOf(arn)] }));
      const volume = out.Volumes?.[0];
      if (!volume) throw new ResourceGoneError(arn);
      return volume;
    } catch (error) {
      if (hasErrorCode(error, 'InvalidVolume.NotFound')) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

export const ebsVolume = defineResourceType({
  type: 'AWS::EC2::Volume',
  client: ec2,
  permissions: { read: ['ec2:DescribeVolumes'] },

  resourceIds: volumeSelection,

  async listPage(ctx, token) {
    const page = await ctx.clients.get(ec2).send(
      new DescribeVolumesCommand({
        NextToken: token,
        MaxResults: Math.min(Math.max(ctx.pageSize ?? 500, 5), 500),
      }),
    );
    const arns: string[] = [];
    for (const volume of page.Volumes ?? []) {
      if (!volume.VolumeId) continue;
      const arn = volumeArn(ctx.partition, ctx.region, ctx.accountId, volume.VolumeId);
      ctx.reads.prime(arn, DESCRIPTION, volume);
      arns.push(arn);
    }
    return { arns, next: page.NextToken || undefined };
  },

  tags: async (arn, ctx) => tagRecord((await describeVolume(ctx, arn)).Tags),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/ec2/home?region=${region}#VolumeDetails:volumeId=${volumeIdOf(arn)}`;
  },
});

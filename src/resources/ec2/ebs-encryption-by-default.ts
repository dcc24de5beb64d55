/**
 * EBS encryption by default, a setting of each account in each region (no ARN of
 * its own: see ../account-setting.ts). Any EC2 record of its API names it; the
 * sweep sees exactly one per account and region. It has no tags, so it cannot be
 * exempted by tag: a deployment that must not enforce it sets the rule's mode.
 */
import { partitionOf } from '../../arn';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { accountSettingArn } from '../account-setting';
import { consoleHost } from '../console';
import { defineResourceType } from '../resource-type';
import { ec2 } from './vpc';

const SETTING = 'ebs-encryption-by-default';

function settingArns(record: CloudTrailRecord): string[] {
  const region = record.awsRegion;
  const account = accountOf(record);
  if (!region || !account) return [];
  return [accountSettingArn(partitionOf(region), 'ec2', region, account, SETTING)];
}

export const ebsEncryptionByDefault = defineResourceType({
  type: 'AWS::EC2::EBSEncryptionByDefault',
  client: ec2,
  permissions: { read: [] },

  resourceIds: settingArns,

  // One per account and region.
  listPage: async (ctx) => ({
    arns: [accountSettingArn(ctx.partition, 'ec2', ctx.region, ctx.accountId, SETTING)],
  }),

  tags: async () => ({}),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/ec2/home?region=${region}#Settings:tab=ebsEncryption`;
  },
});

/**
 * EMR block public access, a setting of each account in each Region (no ARN of its
 * own: see ../account-setting.ts). With it on, EMR refuses to start a cluster whose
 * security groups let the internet in on a port outside the permitted ranges. Any
 * EMR record of its API names it; the sweep sees exactly one per account and Region.
 * It has no tags: a deployment that must not enforce it sets the rule's mode.
 */
import { partitionOf } from '../../arn';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { accountSettingArn } from '../account-setting';
import { consoleHost } from '../console';
import { defineResourceType } from '../resource-type';
import { emr } from './cluster';

const SETTING = 'emr-block-public-access';

function settingArns(record: CloudTrailRecord): string[] {
  const region = record.awsRegion;
  const account = accountOf(record);
  if (!region || !account) return [];
  return [accountSettingArn(partitionOf(region), 'elasticmapreduce', region, account, SETTING)];
}

export const emrBlockPublicAccess = defineResourceType({
  type: 'AWS::EMR::BlockPublicAccessConfiguration',
  client: emr,
  permissions: { read: [] },

  resourceIds: settingArns,

  // One per account and Region.
  listPage: async (ctx) => ({
    arns: [accountSettingArn(ctx.partition, 'elasticmapreduce', ctx.region, ctx.accountId, SETTING)],
  }),

  tags: async () => ({}),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/emr/home?region=${region}#/blockPublicAccess`;
  },
});

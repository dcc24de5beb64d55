/**
 * Whether this account's activity in a Region is recorded at all: a setting of each
 * account and Region with no ARN of its own (see ../account-setting.ts), named
 * `arn:<partition>:cloudtrail:<region>:<account>:account-setting/trail-coverage`.
 * Any CloudTrail record of the Region can change it (a trail deleted, stopped,
 * narrowed); the sweep sees one per account and Region. When logging stops, no
 * event arrives to say so: the sweep is what notices.
 */
import { partitionOf, REGION_NAME } from '../../arn';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { accountSettingArn } from '../account-setting';
import { consoleHost } from '../console';
import { defineResourceType } from '../resource-type';
import { cloudtrail } from './trail';

const SETTING = 'trail-coverage';

function coverageArns(record: CloudTrailRecord): string[] {
  const region = record.awsRegion;
  const account = accountOf(record);
  if (!region || !REGION_NAME.test(region) || !account) return [];
  return [accountSettingArn(partitionOf(region), 'cloudtrail', region, String(account), SETTING)];
}

export const trailCoverage = defineResourceType({
  type: 'AWS::CloudTrail::RegionCoverage',
  client: cloudtrail,
  permissions: { read: [] },

  resourceIds: coverageArns,

  // One per account and Region.
  listPage: async (ctx) => ({
    arns: [accountSettingArn(ctx.partition, 'cloudtrail', ctx.region, ctx.accountId, SETTING)],
  }),

  // No tags: a deployment that must not enforce it sets the rule's mode.
  tags: async () => ({}),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/cloudtrail/home?region=${region}#/trails`;
  },
});

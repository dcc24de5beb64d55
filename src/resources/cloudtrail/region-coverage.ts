/**
 * Whether this account's activity in a Region is recorded at all: a setting of each
 * account and Region with no ARN of its own (see ../account-setting.ts), named
 * `arn:<partition>:cloudtrail:<region>:<account>:account-setting/trail-coverage`.
 * Any CloudTrail record of the Region can change it (a trail deleted, stopped,
 * narrowed); the sweep sees one per account and Region. When logging stops, no
 * event arrives to say so: the sweep is what notices.
 */
import { defineAccountSetting } from '../account-setting';
import { cloudtrail } from './trail';

export const trailCoverage = defineAccountSetting({
  type: 'AWS::CloudTrail::RegionCoverage',
  client: cloudtrail,
  service: 'cloudtrail',
  setting: 'trail-coverage',
  consolePath: (region) => `/cloudtrail/home?region=${region}#/trails`,
});

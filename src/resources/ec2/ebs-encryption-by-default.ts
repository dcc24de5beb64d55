/**
 * EBS encryption by default, a setting of each account in each region (no ARN of
 * its own: see ../account-setting.ts). Any EC2 record of its API names it; the
 * sweep sees exactly one per account and region. It has no tags, so it cannot be
 * exempted by tag: a deployment that must not enforce it sets the rule's mode.
 */
import { defineAccountSetting } from '../account-setting';
import { ec2 } from './vpc';

export const ebsEncryptionByDefault = defineAccountSetting({
  type: 'AWS::EC2::EBSEncryptionByDefault',
  client: ec2,
  service: 'ec2',
  setting: 'ebs-encryption-by-default',
  consolePath: (region) => `/ec2/home?region=${region}#Settings:tab=ebsEncryption`,
});

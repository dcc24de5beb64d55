/**
 * EMR block public access, a setting of each account in each Region (no ARN of its
 * own: see ../account-setting.ts). With it on, EMR refuses to start a cluster whose
 * security groups let the internet in on a port outside the permitted ranges. Any
 * EMR record of its API names it; the sweep sees exactly one per account and Region.
 * It has no tags: a deployment that must not enforce it sets the rule's mode.
 */
import { defineAccountSetting } from '../account-setting';
import { emr } from './cluster';

export const emrBlockPublicAccess = defineAccountSetting({
  type: 'AWS::EMR::BlockPublicAccessConfiguration',
  client: emr,
  service: 'elasticmapreduce',
  setting: 'emr-block-public-access',
  consolePath: (region) => `/emr/home?region=${region}#/blockPublicAccess`,
});

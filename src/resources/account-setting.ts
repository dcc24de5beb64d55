import { parseArn, partitionOf, REGION_NAME } from '../arn';
import type { AwsClientSpec } from '../aws-clients';
import { accountOf, type CloudTrailRecord } from '../cloudtrail-event';
import { consoleHost } from './console';
import { defineResourceType, type ResourceType } from './resource-type';

/**
 * Account-level settings (EBS encryption by default, …) have no ARN of their own.
 * PHI Guard names each "this setting, in this account and region" the same way
 * everywhere (history, notifications, tickets):
 *
 *   arn:<partition>:<service>:<region>:<account>:account-setting/<setting>
 *
 * e.g. `arn:aws:ec2:us-east-1:123456789012:account-setting/ebs-encryption-by-default`.
 * It has the shape of an ARN, so partition, region and account read as for any
 * other resource; no AWS API takes it.
 */
export function accountSettingArn(
  partition: string,
  service: string,
  region: string,
  accountId: string,
  setting: string,
): string {
  return `arn:${partition}:${service}:${region}:${accountId}:account-setting/${setting}`;
}

/** The setting an account-setting ARN names, or undefined. */
export function accountSettingOf(arn: string): string | undefined {
  const resource = parseArn(arn)?.resource ?? '';
  return resource.startsWith('account-setting/') ? resource.slice('account-setting/'.length) : undefined;
}

/**
 * A resource type for a setting of each account and Region: any record of its
 * service in a Region names the Region's setting; the sweep sees exactly one per
 * account and Region. It has no tags, so it cannot be exempted by tag: a
 * deployment that must not enforce it sets the rule's mode.
 */
export function defineAccountSetting(options: {
  type: string;
  client: AwsClientSpec;
  /** The ARN's service (`ec2`, `cloudtrail`, `elasticmapreduce`). */
  service: string;
  setting: string;
  /** Where the setting is in the Region's console, after `https://<region>.console.aws.amazon.com`. */
  consolePath: (region: string) => string;
}): ResourceType {
  const { service, setting } = options;
  return defineResourceType({
    type: options.type,
    client: options.client,
    permissions: { read: [] },
    resourceIds(record: CloudTrailRecord) {
      const region = record.awsRegion;
      const account = accountOf(record);
      if (!region || !REGION_NAME.test(region) || !account) return [];
      return [accountSettingArn(partitionOf(region), service, region, String(account), setting)];
    },
    listPage: async (ctx) => ({
      arns: [accountSettingArn(ctx.partition, service, ctx.region, ctx.accountId, setting)],
    }),
    tags: async () => ({}),
    consoleUrl(arn, region) {
      const base = consoleHost(arn, region);
      return base && `${base}${options.consolePath(region)}`;
    },
  });
}

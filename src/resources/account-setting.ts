import { parseArn } from '../arn';

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

/**
 * ARNs PHI Guard reports and acts on. The partition of a region and the parsing of
 * an ARN come from the SDK's own endpoint data (`@aws-sdk/core`), so a new
 * partition (ISO, the EU sovereign cloud) is known as soon as the SDK knows it.
 */
import { partition, parseArn as sdkParseArn } from '@aws-sdk/core/client';

/**
 * The shape of a Region's name (`us-east-1`, `us-gov-west-1`, `us-isof-south-1`,
 * `eusc-de-east-1`): what a record's `awsRegion` must be to say where to look.
 */
export const REGION_NAME = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/** `aws`, `aws-cn`, `aws-us-gov`, `aws-iso-f`, `aws-eusc`, … (unknown regions: `aws`). */
export function partitionOf(region: string): string {
  return partition(region).name;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** Everything after the account id, as written (`loadbalancer/app/name/id`, `vpc/vpc-1`). */
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const parsed = sdkParseArn(arn);
  if (!parsed) return undefined;
  // The SDK splits the resource on ':' and '/'; PHI Guard keeps it as one string.
  const resource = arn.split(':').slice(5).join(':');
  return {
    partition: parsed.partition,
    service: parsed.service,
    region: parsed.region,
    accountId: parsed.accountId,
    resource,
  };
}

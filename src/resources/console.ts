import { parseArn } from '../arn';

/**
 * The AWS console host of a region for a resource's ARN. Only the commercial
 * partition has these hosts; elsewhere notifications carry no link.
 */
export function consoleHost(arn: string, region: string): string | undefined {
  if (parseArn(arn)?.partition !== 'aws') return undefined;
  return `https://${region}.console.aws.amazon.com`;
}

import { parseArn } from './arn';

/**
 * Links to the AWS console for the resources rules act on, for notifications
 * and tickets. Only the commercial partition has these hosts; elsewhere no link.
 */
function host(region: string, arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (parsed?.partition !== 'aws') return undefined;
  return `https://${region}.console.aws.amazon.com`;
}

export function s3BucketConsoleUrl(arn: string, region: string): string | undefined {
  const bucket = parseArn(arn)?.resource;
  if (!bucket || !host(region, arn)) return undefined;
  return `https://s3.console.aws.amazon.com/s3/buckets/${encodeURIComponent(bucket)}?region=${region}&tab=permissions`;
}

export function loadBalancerConsoleUrl(arn: string, region: string): string | undefined {
  const base = host(region, arn);
  return base && `${base}/ec2/home?region=${region}#LoadBalancer:loadBalancerArn=${encodeURIComponent(arn)}`;
}

export function classicLoadBalancerConsoleUrl(arn: string, region: string): string | undefined {
  const base = host(region, arn);
  const name = parseArn(arn)?.resource.replace(/^loadbalancer\//, '');
  return base && name
    ? `${base}/ec2/home?region=${region}#LoadBalancers:search=${encodeURIComponent(name)}`
    : undefined;
}

export function vpcConsoleUrl(arn: string, region: string): string | undefined {
  const base = host(region, arn);
  const vpcId = parseArn(arn)?.resource.replace(/^vpc\//, '');
  return base && vpcId ? `${base}/vpcconsole/home?region=${region}#VpcDetails:VpcId=${vpcId}` : undefined;
}

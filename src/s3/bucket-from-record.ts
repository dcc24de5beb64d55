import { bucketArn, isValidBucketName, partitionOf } from '../arn';
import type { CloudTrailRecord } from '../cloudtrail-event';
import { asList, field } from '../record-fields';

/**
 * The bucket a bucket-level S3 record is about: `requestParameters.bucketName`,
 * else the first label of a virtual-hosted `host`. Placeholders that real
 * exports carry ("", "...") are not bucket names and yield nothing.
 */
export function bucketArnsFromRecord(record: CloudTrailRecord): string[] {
  const params = record.requestParameters ?? {};
  const partition = partitionOf(record.awsRegion ?? '');
  const named = field(params, 'bucketName');
  if (typeof named === 'string' && named.length > 0) {
    return isValidBucketName(named) ? [bucketArn(partition, named)] : [];
  }
  for (const host of asList(field(params, 'host') ?? field(params, 'Host'))) {
    if (typeof host !== 'string') continue;
    const match = /^(.+?)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com(?:\.cn)?$/.exec(host);
    if (match?.[1] && isValidBucketName(match[1])) return [bucketArn(partition, match[1])];
  }
  return [];
}

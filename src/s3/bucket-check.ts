import { bucketNameOf } from '../arn';
import type { CheckResult } from '../rule';
import { BucketGoneError } from './bucket-reads';

/** Resolves a bucket ARN for a rule's check and turns a vanished bucket into `gone`. */
export async function checkBucket<Observed>(
  arn: string,
  check: (bucket: string) => Promise<CheckResult<Observed>>,
): Promise<CheckResult<Observed>> {
  const bucket = bucketNameOf(arn);
  if (!bucket) throw new TypeError(`not an S3 bucket ARN: ${arn}`);
  try {
    return await check(bucket);
  } catch (error) {
    if (error instanceof BucketGoneError) return { state: 'gone' };
    throw error;
  }
}

export function requireBucketName(arn: string): string {
  const bucket = bucketNameOf(arn);
  if (!bucket) throw new TypeError(`not an S3 bucket ARN: ${arn}`);
  return bucket;
}

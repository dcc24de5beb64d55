import { ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import { bucketArn } from '../arn';
import type { ResourcePage } from '../rule';

/** One page of the account's buckets whose home region is `region` (ListBuckets is global). */
export async function listBucketPage(
  s3: S3Client,
  region: string,
  partition: string,
  token?: string,
  // The API's maximum by default: moto honours MaxBuckets but never returns a ContinuationToken,
  // so a smaller page would silently cut its listing short.
  pageSize = 10_000,
): Promise<ResourcePage> {
  const page = await s3.send(
    new ListBucketsCommand({
      ContinuationToken: token,
      BucketRegion: region,
      MaxBuckets: Math.min(pageSize, 10_000),
    }),
  );
  const arns = (page.Buckets ?? []).flatMap((bucket) =>
    bucket.Name ? [bucketArn(partition, bucket.Name)] : [],
  );
  return { arns, next: page.ContinuationToken || undefined };
}

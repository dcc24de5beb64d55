import { ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import { bucketArn } from '../arn';

/** Every bucket of the account whose home region is `region` (ListBuckets is global). */
export async function listBucketArns(s3: S3Client, region: string, partition: string): Promise<string[]> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListBucketsCommand({ ContinuationToken: token, BucketRegion: region, MaxBuckets: 1000 }),
    );
    for (const bucket of page.Buckets ?? []) if (bucket.Name) arns.push(bucketArn(partition, bucket.Name));
    token = page.ContinuationToken;
  } while (token);
  return arns;
}

/**
 * AWS::S3::Bucket. Buckets are global in name but live in one region; ListBuckets
 * filters by region, so a sweep shard of a region sees that region's buckets only.
 * Rules about buckets read the bucket's settings through {@link bucketReads}.
 */

import { GetBucketTaggingCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { parseArn, partitionOf } from '../../arn';
import { awsClient, usesCustomEndpoint } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import type { CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { TAGS_READ } from '../../read-cache';
import { asList, field } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';

export const s3 = awsClient(S3Client, {
  iamPrefix: 's3',
  // Emulators and S3-compatible endpoints answer on one host name, not per bucket.
  config: (common) => ({ forcePathStyle: usesCustomEndpoint(common), followRegionRedirects: true }),
});

/**
 * S3 bucket naming rules (general purpose buckets). Used to refuse placeholder
 * values that real records carry ("", "...") instead of acting on a bogus name.
 */
const BUCKET_NAME = /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name);
}

export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/** The bucket name of an S3 bucket ARN, or undefined when it is not one. */
export function bucketNameOf(arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== 's3' || parsed.resource.includes('/')) return undefined;
  return parsed.resource;
}

export function requireBucketName(arn: string): string {
  const bucket = bucketNameOf(arn);
  if (!bucket) throw new TypeError(`not an S3 bucket ARN: ${arn}`);
  return bucket;
}

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

/** The keys a bucket's settings are shared under in `ctx.reads` (see `staleReads` below). */
export const BUCKET_READS = {
  acl: 'acl',
  publicAccessBlock: 'publicAccessBlock',
  policy: 'policy',
  encryption: 'encryption',
  versioning: 'versioning',
  logging: 'logging',
} as const;

/**
 * One read of one bucket's configuration, shared through `ctx.reads` by every rule
 * that asks for it during an event or a sweep page. The service's "not configured"
 * error codes read as `absent`; a bucket that no longer exists throws
 * {@link ResourceGoneError}, which the engine reports as `gone`.
 */
export function readBucket<T>(
  ctx: ResourceContext,
  arn: string,
  key: string,
  absentCodes: readonly string[],
  absent: T,
  read: (client: S3Client, bucket: string) => Promise<T>,
): Promise<T> {
  const bucket = requireBucketName(arn);
  return ctx.reads.get(arn, key, async () => {
    try {
      return await read(ctx.clients.get(s3), bucket);
    } catch (error) {
      if (hasErrorCode(error, 'NoSuchBucket', 'NotFound')) throw new ResourceGoneError(arn, { cause: error });
      if (hasErrorCode(error, ...absentCodes)) return absent;
      throw error;
    }
  });
}

export const s3Bucket = defineResourceType({
  type: 'AWS::S3::Bucket',
  client: s3,
  permissions: { read: ['s3:ListAllMyBuckets', 's3:GetBucketTagging'] },

  resourceIds: bucketArnsFromRecord,

  async listPage(ctx, token) {
    const page = await ctx.clients.get(s3).send(
      new ListBucketsCommand({
        ContinuationToken: token,
        BucketRegion: ctx.region,
        // The API's maximum by default: moto honours MaxBuckets but never returns a
        // ContinuationToken, so a smaller page would silently cut its listing short.
        MaxBuckets: Math.min(ctx.pageSize ?? 10_000, 10_000),
      }),
    );
    const arns = (page.Buckets ?? []).flatMap((bucket) =>
      bucket.Name ? [bucketArn(ctx.partition, bucket.Name)] : [],
    );
    return { arns, next: page.ContinuationToken || undefined };
  },

  // Each setting is its own API: a write makes only its own read stale.
  staleReads: {
    PutBucketAcl: [BUCKET_READS.acl],
    PutPublicAccessBlock: [BUCKET_READS.publicAccessBlock],
    PutBucketPolicy: [BUCKET_READS.policy],
    PutBucketEncryption: [BUCKET_READS.encryption],
    PutBucketVersioning: [BUCKET_READS.versioning],
    PutBucketLogging: [BUCKET_READS.logging],
    PutBucketTagging: [TAGS_READ],
  },

  tags: (arn, ctx) =>
    readBucket(ctx, arn, TAGS_READ, ['NoSuchTagSet', 'NoSuchTagSetError'], {}, async (client, Bucket) => {
      const out = await client.send(new GetBucketTaggingCommand({ Bucket }));
      return tagRecord(out.TagSet);
    }),

  consoleUrl(arn, region) {
    const bucket = bucketNameOf(arn);
    if (!bucket || !consoleHost(arn, region)) return undefined;
    return `https://s3.console.aws.amazon.com/s3/buckets/${encodeURIComponent(bucket)}?region=${region}&tab=permissions`;
  },
});

import {
  GetBucketAclCommand,
  type GetBucketAclCommandOutput,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
  type S3Client,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { hasErrorCode } from '../aws-errors';

/**
 * Live reads of one bucket's configuration. Each returns the "absent" value for
 * the service's not-configured error codes and throws {@link BucketGoneError}
 * when the bucket itself no longer exists, so rules can map it to `gone`.
 */
export class BucketGoneError extends Error {
  constructor(bucket: string, options?: { cause?: unknown }) {
    super(`bucket ${bucket} no longer exists`, options);
    this.name = 'BucketGoneError';
  }
}

async function read<T>(bucket: string, absentCodes: string[], absent: T, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (hasErrorCode(error, 'NoSuchBucket', 'NotFound')) throw new BucketGoneError(bucket, { cause: error });
    if (hasErrorCode(error, ...absentCodes)) return absent;
    throw error;
  }
}

export const ALL_BLOCKED: Required<PublicAccessBlockConfiguration> = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export type BlockPublicAccessFlags = Record<keyof typeof ALL_BLOCKED, boolean>;

export async function readPublicAccessBlock(s3: S3Client, bucket: string): Promise<BlockPublicAccessFlags> {
  const config = await read(bucket, ['NoSuchPublicAccessBlockConfiguration'], undefined, async () => {
    const out = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    return out.PublicAccessBlockConfiguration;
  });
  return {
    BlockPublicAcls: config?.BlockPublicAcls === true,
    IgnorePublicAcls: config?.IgnorePublicAcls === true,
    BlockPublicPolicy: config?.BlockPublicPolicy === true,
    RestrictPublicBuckets: config?.RestrictPublicBuckets === true,
  };
}

export async function readBucketAcl(s3: S3Client, bucket: string): Promise<GetBucketAclCommandOutput> {
  return read(bucket, [], undefined as never, () => s3.send(new GetBucketAclCommand({ Bucket: bucket })));
}

/** The bucket policy document as text, or undefined when the bucket has none. */
export async function readBucketPolicy(s3: S3Client, bucket: string): Promise<string | undefined> {
  return read(bucket, ['NoSuchBucketPolicy'], undefined, async () => {
    const out = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    return out.Policy;
  });
}

export async function readBucketEncryption(
  s3: S3Client,
  bucket: string,
): Promise<ServerSideEncryptionRule[]> {
  return read(bucket, ['ServerSideEncryptionConfigurationNotFoundError'], [], async () => {
    const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    return out.ServerSideEncryptionConfiguration?.Rules ?? [];
  });
}

/** Tags as a map; read only for the exemption decision, never logged. */
export async function readBucketTags(s3: S3Client, bucket: string): Promise<Record<string, string>> {
  const tagSet = await read(bucket, ['NoSuchTagSet', 'NoSuchTagSetError'], [], async () => {
    const out = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    return out.TagSet ?? [];
  });
  return Object.fromEntries(tagSet.map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

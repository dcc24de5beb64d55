/**
 * The settings of one bucket that several S3 rules judge, each read at most once per
 * event or sweep page whichever rule asks first (three rules read one bucket's policy
 * once). A bucket that no longer exists throws ResourceGoneError from any of them. A
 * setting only one rule reads is read in that rule's file, with `readBucket`.
 */
import {
  GetBucketAclCommand,
  type GetBucketAclCommandOutput,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import type { ResourceContext } from '../resource-type';
import { BUCKET_READS, readBucket } from './bucket';

export const ALL_BLOCKED: Required<PublicAccessBlockConfiguration> = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export type BlockPublicAccessFlags = Record<keyof typeof ALL_BLOCKED, boolean>;

export function bucketSettings(ctx: ResourceContext, arn: string) {
  return {
    publicAccessBlock: () =>
      readBucket(
        ctx,
        arn,
        BUCKET_READS.publicAccessBlock,
        ['NoSuchPublicAccessBlockConfiguration'],
        undefined,
        async (s3, Bucket) =>
          (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration,
      ).then(
        (config): BlockPublicAccessFlags => ({
          BlockPublicAcls: config?.BlockPublicAcls === true,
          IgnorePublicAcls: config?.IgnorePublicAcls === true,
          BlockPublicPolicy: config?.BlockPublicPolicy === true,
          RestrictPublicBuckets: config?.RestrictPublicBuckets === true,
        }),
      ),

    acl: (): Promise<GetBucketAclCommandOutput> =>
      readBucket(ctx, arn, BUCKET_READS.acl, [], undefined as never, (s3, Bucket) =>
        s3.send(new GetBucketAclCommand({ Bucket })),
      ),

    /** The bucket policy document as text, or undefined when the bucket has none. */
    policy: (): Promise<string | undefined> =>
      readBucket(
        ctx,
        arn,
        BUCKET_READS.policy,
        ['NoSuchBucketPolicy'],
        undefined,
        async (s3, Bucket) => (await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy,
      ),

    encryption: (): Promise<ServerSideEncryptionRule[]> =>
      readBucket(
        ctx,
        arn,
        BUCKET_READS.encryption,
        ['ServerSideEncryptionConfigurationNotFoundError'],
        [],
        async (s3, Bucket) =>
          (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration
            ?.Rules ?? [],
      ),
  };
}

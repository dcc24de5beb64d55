import {
  GetBucketAclCommand,
  GetPublicAccessBlockCommand,
  type Grant,
  type PublicAccessBlockConfiguration,
  type S3Client,
} from '@aws-sdk/client-s3';

/** An ACL grant to everyone, or to any authenticated AWS user. */
export const grantsToEveryone = (grants: readonly Grant[] | undefined): boolean =>
  (grants ?? []).some((g) => /AllUsers|AuthenticatedUsers/.test(g.Grantee?.URI ?? ''));

/** All four Block Public Access settings on. */
export const blocksAllPublicAccess = (config: PublicAccessBlockConfiguration | undefined): boolean =>
  Boolean(
    config?.BlockPublicAcls &&
      config.IgnorePublicAcls &&
      config.BlockPublicPolicy &&
      config.RestrictPublicBuckets,
  );

/**
 * The truth about a bucket the public-access rule fixes, read straight from S3 (the
 * emulator), never from PHI Guard's report: all four Block Public Access settings on,
 * and no ACL grant to everyone or to any authenticated AWS user. Used by the fault
 * tests and the reliability and Custodian benchmarks.
 */
export async function isPublicAccessFixed(s3: S3Client, bucket: string): Promise<boolean> {
  const block = await s3
    .send(new GetPublicAccessBlockCommand({ Bucket: bucket }))
    .then((o) => o.PublicAccessBlockConfiguration)
    .catch(() => undefined);
  const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
  return blocksAllPublicAccess(block) && !grantsToEveryone(acl.Grants);
}

import { GetBucketAclCommand, GetPublicAccessBlockCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * The truth about a bucket the public-access rule fixes, read straight from S3 (the
 * emulator), never from PHI Guard's report: all four Block Public Access settings on,
 * and no ACL grant to everyone or to any authenticated AWS user. Used by the fault
 * tests and the reliability benchmark.
 */
export async function isPublicAccessFixed(s3: S3Client, bucket: string): Promise<boolean> {
  const block = await s3
    .send(new GetPublicAccessBlockCommand({ Bucket: bucket }))
    .then((o) => o.PublicAccessBlockConfiguration)
    .catch(() => undefined);
  const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
  const allOn = Boolean(
    block?.BlockPublicAcls &&
      block.IgnorePublicAcls &&
      block.BlockPublicPolicy &&
      block.RestrictPublicBuckets,
  );
  return allOn && !(acl.Grants ?? []).some((g) => /AllUsers|AuthenticatedUsers/.test(g.Grantee?.URI ?? ''));
}

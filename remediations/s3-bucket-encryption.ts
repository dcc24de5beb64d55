/**
 * §164.312(a)(2)(iv) Encryption and decryption: PHI at rest in S3 is encrypted
 * with a KMS key, so access to the data also needs access to the key (and is
 * logged by KMS). Compliant means default encryption SSE-KMS with the S3 Bucket
 * Key on (fewer KMS calls, same protection), or DSSE-KMS (which has no bucket key).
 *
 * Events: CreateBucket (real AWS applies SSE-S3 to new buckets, which is not KMS),
 * PutBucketEncryption (downgrade to AES256, bucket key off) and
 * DeleteBucketEncryption.
 */
import { PutBucketEncryptionCommand, type ServerSideEncryptionRule } from '@aws-sdk/client-s3';
import { s3BucketConsoleUrl } from '../src/console-url';
import { defineRule } from '../src/rule';
import { checkBucket, requireBucketName } from '../src/s3/bucket-check';
import { bucketArnsFromRecord } from '../src/s3/bucket-from-record';
import { bucketState } from '../src/s3/bucket-state';
import { listBucketPage } from '../src/s3/list-buckets';

interface Observed {
  algorithm: string | undefined;
  kmsKeyId: string | undefined;
  bucketKeyEnabled: boolean;
}

function summarize(rules: ServerSideEncryptionRule[]): Observed {
  const rule = rules[0];
  return {
    algorithm: rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    kmsKeyId: rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
    bucketKeyEnabled: rule?.BucketKeyEnabled === true,
  };
}

export default defineRule<Observed>({
  id: 's3-bucket-encryption',
  title: 'S3 bucket default encryption must be SSE-KMS with the bucket key',
  severity: 'high',
  safeguards: ['164.312(a)(2)(iv)'],
  resourceType: 'AWS::S3::Bucket',
  triggers: [
    { source: 's3.amazonaws.com', events: ['CreateBucket', 'PutBucketEncryption', 'DeleteBucketEncryption'] },
  ],
  permissions: {
    read: ['s3:ListAllMyBuckets', 's3:GetEncryptionConfiguration', 's3:GetBucketTagging'],
    // PutBucketEncryption is authorised by s3:PutEncryptionConfiguration; using a
    // customer-managed key also needs kms:GenerateDataKey on it, granted by its key policy.
    write: ['s3:PutEncryptionConfiguration'],
  },

  resourceIds: bucketArnsFromRecord,

  consoleUrl: s3BucketConsoleUrl,

  listPage: (ctx, token) => listBucketPage(ctx.clients.s3(), ctx.region, ctx.partition, token, ctx.pageSize),

  check: (arn, ctx) =>
    checkBucket(arn, async (bucket) => {
      const state = bucketState(ctx, arn, bucket);
      const rules = await state.encryption();
      const observed = summarize(rules);
      const findings: string[] = [];
      if (observed.algorithm === undefined) {
        findings.push('no default encryption');
      } else if (observed.algorithm === 'aws:kms') {
        if (!observed.bucketKeyEnabled) findings.push('SSE-KMS without the S3 Bucket Key');
      } else if (observed.algorithm !== 'aws:kms:dsse') {
        findings.push(`default encryption is ${observed.algorithm}, not SSE-KMS`);
      }
      return {
        state: findings.length === 0 ? 'compliant' : 'non-compliant',
        findings,
        observed,
        summary: {
          algorithm: observed.algorithm ?? 'none',
          bucketKeyEnabled: observed.bucketKeyEnabled,
          kmsKey: observed.kmsKeyId ?? (observed.algorithm?.startsWith('aws:kms') ? 'aws/s3' : 'none'),
        },
        tags: state.tags,
      };
    }),

  plan(arn, observed, ctx) {
    const bucket = requireBucketName(arn);
    // Merge: a bucket already on SSE-KMS keeps its own key; only the bucket key is added.
    const keyId =
      observed.algorithm === 'aws:kms' && observed.kmsKeyId ? observed.kmsKeyId : ctx.settings.s3KmsKeyId;
    const rule: ServerSideEncryptionRule = {
      ApplyServerSideEncryptionByDefault: {
        SSEAlgorithm: 'aws:kms',
        ...(keyId ? { KMSMasterKeyID: keyId } : {}),
      },
      BucketKeyEnabled: true,
    };
    return {
      kind: 'fix',
      actions: [
        {
          service: 's3',
          api: 'PutBucketEncryption',
          params: { Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [rule] } },
          run: (ctx) =>
            ctx.clients.s3().send(
              new PutBucketEncryptionCommand({
                Bucket: bucket,
                ServerSideEncryptionConfiguration: { Rules: [rule] },
              }),
            ),
        },
      ],
    };
  },
});

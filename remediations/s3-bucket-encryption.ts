/**
 * §164.312(a)(2)(iv) Encryption and decryption: PHI at rest in S3 is encrypted
 * with a KMS key, so access to the data also needs access to the key (and is
 * logged by KMS). Compliant means default encryption SSE-KMS with the S3 Bucket
 * Key on (fewer KMS calls, same protection), or DSSE-KMS (which has no bucket key).
 *
 * The configured access-log bucket (PHIGUARD_ACCESS_LOGS_BUCKET) is the exception:
 * S3 server access logs, Elastic Load Balancing access logs and Redshift audit logs
 * are delivered only to a bucket whose default encryption is SSE-S3, so SSE-S3 is
 * compliant there, and a log bucket without default encryption gets SSE-S3. Turning
 * it to SSE-KMS would stop the audit logs the other rules turn on.
 *
 * Events: CreateBucket (real AWS applies SSE-S3 to new buckets, which is not KMS),
 * PutBucketEncryption (downgrade to AES256, bucket key off) and
 * DeleteBucketEncryption.
 */
import { PutBucketEncryptionCommand, type ServerSideEncryptionRule } from '@aws-sdk/client-s3';
import { awsCall } from '../src/planned-action';
import { requireBucketName, s3, s3Bucket } from '../src/resources/s3/bucket';
import { bucketSettings } from '../src/resources/s3/bucket-settings';
import { defineRule } from '../src/rule';
import { ruleSetting } from '../src/rule-settings';
import * as z from '../src/zod';
import { accessLogsBucket, accessLogsBucketIn } from './s3-bucket-access-logging';

/** Shared by every S3 rule that encrypts with KMS: one declaration, one variable. */
export const s3KmsKeyId = ruleSetting({
  env: 'PHIGUARD_S3_KMS_KEY_ID',
  file: 's3.kmsKeyId',
  description: 'KMS key (id, ARN or alias) for S3 default encryption',
  unset: 'the AWS-managed key aws/s3',
  schema: z.string().check(z.minLength(1)),
});

interface Observed {
  algorithm: string | undefined;
  kmsKeyId: string | undefined;
  bucketKeyEnabled: boolean;
  /** The region's configured access-log bucket: SSE-S3 is what log delivery needs. */
  isLogDestination: boolean;
}

function summarize(rules: ServerSideEncryptionRule[]): Omit<Observed, 'isLogDestination'> {
  const rule = rules[0];
  return {
    algorithm: rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    kmsKeyId: rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
    bucketKeyEnabled: rule?.BucketKeyEnabled === true,
  };
}

const settings = { kmsKeyId: s3KmsKeyId, logBucket: accessLogsBucket };

export default defineRule<Observed, typeof settings>({
  id: 's3-bucket-encryption',
  title: 'S3 bucket default encryption must be SSE-KMS with the bucket key',
  severity: 'high',
  safeguards: ['164.312(a)(2)(iv)'],
  fix: "SSE-KMS + bucket key (the bucket's own KMS key kept; else the configured key; else `aws/s3`); the access-log bucket: SSE-S3, which log delivery needs",
  resource: s3Bucket,
  triggers: [
    { source: 's3.amazonaws.com', events: ['CreateBucket', 'PutBucketEncryption', 'DeleteBucketEncryption'] },
  ],
  settings,
  permissions: {
    read: ['s3:GetEncryptionConfiguration'],
    // PutBucketEncryption is authorised by s3:PutEncryptionConfiguration; using a
    // customer-managed key also needs kms:GenerateDataKey on it, granted by its key policy.
    write: ['s3:PutEncryptionConfiguration'],
  },

  async check(arn, ctx) {
    const rules = await bucketSettings(ctx, arn).encryption();
    const isLogDestination =
      requireBucketName(arn) === accessLogsBucketIn(ctx.settings.logBucket, ctx.region);
    const observed = { ...summarize(rules), isLogDestination };
    const findings: string[] = [];
    if (observed.algorithm === undefined) {
      findings.push('no default encryption');
    } else if (isLogDestination && observed.algorithm === 'AES256') {
      // SSE-S3: the only default encryption log delivery accepts.
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
        ...(isLogDestination ? { accessLogDestination: true } : {}),
      },
    };
  },

  plan(arn, observed, ctx) {
    const bucket = requireBucketName(arn);
    if (observed.isLogDestination && observed.algorithm === undefined) {
      return {
        kind: 'fix',
        actions: [
          awsCall(s3, PutBucketEncryptionCommand, {
            Bucket: bucket,
            ServerSideEncryptionConfiguration: {
              Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
            },
          }),
        ],
      };
    }
    // Merge: a bucket already on SSE-KMS keeps its own key; only the bucket key is added.
    const keyId =
      observed.algorithm === 'aws:kms' && observed.kmsKeyId ? observed.kmsKeyId : ctx.settings.kmsKeyId;
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
        awsCall(s3, PutBucketEncryptionCommand, {
          Bucket: bucket,
          ServerSideEncryptionConfiguration: { Rules: [rule] },
        }),
      ],
    };
  },
});

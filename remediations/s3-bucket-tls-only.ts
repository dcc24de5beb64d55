/**
 * §164.312(e)(1) Transmission security: PHI must never cross the network in
 * plaintext. S3 still answers plain HTTP unless the bucket policy denies it, so
 * compliant means a Deny statement for every principal and every S3 action on
 * the bucket and its objects when `aws:SecureTransport` is false.
 *
 * Events: CreateBucket (a new bucket has no policy), PutBucketPolicy (a new
 * policy may drop the statement) and DeleteBucketPolicy.
 */
import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { awsCall } from '../src/planned-action';
import {
  isEveryone,
  type PolicyDocument,
  PolicyDocumentError,
  type PolicyStatement,
  parsePolicy,
  toList,
} from '../src/policy-document';
import { bucketArn, requireBucketName, s3, s3Bucket } from '../src/resources/s3/bucket';
import { bucketSettings } from '../src/resources/s3/bucket-settings';
import { defineRule } from '../src/rule';

export const TLS_ONLY_SID = 'PhiGuardDenyInsecureTransport';

interface Observed {
  /** The current policy, or undefined when the bucket has none. */
  policy: PolicyDocument | undefined;
  /** Set when the policy text could not be parsed: merging would risk losing statements. */
  unparsable: boolean;
}

function deniesInsecureTransport(statement: PolicyStatement): boolean {
  if (statement.Effect !== 'Deny' || !isEveryone(statement.Principal)) return false;
  const actions = toList(statement.Action);
  if (!actions.includes('s3:*') && !actions.includes('*')) return false;
  for (const [operator, conditions] of Object.entries(statement.Condition ?? {})) {
    if (operator !== 'Bool') continue;
    for (const [key, value] of Object.entries(conditions)) {
      if (key.toLowerCase() !== 'aws:securetransport') continue;
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => String(v).toLowerCase() === 'false')) return true;
    }
  }
  return false;
}

/** True when the TLS-denying statements together cover the bucket and its objects. */
function coversBucketAndObjects(statements: PolicyStatement[], bucketResource: string): boolean {
  const resources = new Set(statements.filter(deniesInsecureTransport).flatMap((s) => toList(s.Resource)));
  const coversBucket = resources.has('*') || resources.has(bucketResource);
  const coversObjects = resources.has('*') || resources.has(`${bucketResource}/*`);
  return coversBucket && coversObjects;
}

export function tlsOnlyStatement(bucketResource: string): PolicyStatement {
  return {
    Sid: TLS_ONLY_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketResource, `${bucketResource}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

export default defineRule<Observed>({
  id: 's3-bucket-tls-only',
  title: 'S3 bucket policy must deny requests that do not use TLS',
  severity: 'high',
  safeguards: ['164.312(e)(1)'],
  fix: 'merge a Deny-when-`aws:SecureTransport`-is-false statement into the policy; every other statement stays; an unparsable policy → ticket',
  resource: s3Bucket,
  triggers: [
    { source: 's3.amazonaws.com', events: ['CreateBucket', 'PutBucketPolicy', 'DeleteBucketPolicy'] },
  ],
  permissions: {
    read: ['s3:GetBucketPolicy'],
    write: ['s3:PutBucketPolicy'],
  },

  async check(arn, ctx) {
    const bucket = requireBucketName(arn);
    const policyText = await bucketSettings(ctx, arn).policy();
    let policy: PolicyDocument | undefined;
    let unparsable = false;
    if (policyText) {
      try {
        policy = parsePolicy(policyText);
      } catch (error) {
        if (!(error instanceof PolicyDocumentError)) throw error;
        unparsable = true;
      }
    }
    const compliant =
      policy !== undefined && coversBucketAndObjects(policy.Statement, bucketArn(ctx.partition, bucket));
    const findings = compliant
      ? []
      : [
          policyText === undefined
            ? 'no bucket policy, so plain-HTTP requests are allowed'
            : unparsable
              ? 'bucket policy cannot be parsed'
              : 'bucket policy does not deny requests without TLS (aws:SecureTransport=false)',
        ];
    return {
      state: compliant ? 'compliant' : 'non-compliant',
      findings,
      observed: { policy, unparsable },
      summary: {
        hasPolicy: policyText !== undefined,
        statements: policy?.Statement.length ?? 0,
        tlsOnly: compliant,
      },
    };
  },

  plan(arn, observed, ctx) {
    if (observed.unparsable) {
      return {
        kind: 'ticket',
        reason: 'bucket policy cannot be parsed; merging automatically could lose statements',
      };
    }
    const bucket = requireBucketName(arn);
    const resource = bucketArn(ctx.partition, bucket);
    const existing = observed.policy?.Statement ?? [];
    // Merge, never overwrite: every statement stays; ours replaces only a previous copy of itself.
    const kept = existing.filter((statement) => statement.Sid !== TLS_ONLY_SID);
    const merged: PolicyDocument = {
      ...(observed.policy ?? {}),
      Version: observed.policy?.Version ?? '2012-10-17',
      Statement: [...kept, tlsOnlyStatement(resource)],
    };
    return {
      kind: 'fix',
      actions: [
        awsCall(
          s3,
          PutBucketPolicyCommand,
          { Bucket: bucket, Policy: JSON.stringify(merged) },
          // The policy body may name principals or key prefixes; people see its shape, not its text.
          { show: { Policy: { statementsKept: kept.length, statementAdded: TLS_ONLY_SID } } },
        ),
      ],
    };
  },
});

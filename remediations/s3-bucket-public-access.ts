/**
 * §164.312(a)(1) Access control: PHI in S3 must not be readable by anyone on the
 * internet. Compliant means Block Public Access is on with all four settings
 * and the bucket ACL grants nothing to the AllUsers or AuthenticatedUsers groups.
 *
 * Events: every call that can open a bucket up. CreateBucket because a new bucket
 * starts without a bucket-level Block Public Access configuration in some
 * accounts; PutBucketPolicy because a public policy is only neutralised by
 * RestrictPublicBuckets; the ACL and Block Public Access calls directly.
 */
import { type Grant, PutBucketAclCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { awsCall, type PlannedAction } from '../src/planned-action';
import { isPublicStatement, parsePolicy } from '../src/policy-document';
import { requireBucketName, s3, s3Bucket } from '../src/resources/s3/bucket';
import {
  ALL_BLOCKED,
  type BlockPublicAccessFlags,
  bucketSettings,
} from '../src/resources/s3/bucket-settings';
import { defineRule } from '../src/rule';

const PUBLIC_GROUPS: Record<string, string> = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
};

function publicGroupOf(grant: Grant): string | undefined {
  const uri = grant.Grantee?.URI;
  return uri ? PUBLIC_GROUPS[uri] : undefined;
}

interface Observed {
  blockPublicAccess: BlockPublicAccessFlags;
  owner: { ID?: string; DisplayName?: string } | undefined;
  grants: Grant[];
  publicGrants: { group: string; permission: string }[];
  policyAllowsPublic: boolean;
}

export default defineRule<Observed>({
  id: 's3-bucket-public-access',
  title: 'S3 bucket must not be public (Block Public Access on, no public ACL grants)',
  severity: 'critical',
  safeguards: ['164.312(a)(1)'],
  fix: 'drop AllUsers/AuthenticatedUsers ACL grants (others kept), Block Public Access all four on',
  resource: s3Bucket,
  triggers: [
    {
      source: 's3.amazonaws.com',
      events: [
        'CreateBucket',
        'PutBucketAcl',
        'PutBucketPolicy',
        'PutBucketPublicAccessBlock',
        'DeleteBucketPublicAccessBlock',
      ],
    },
  ],
  permissions: {
    read: ['s3:GetBucketPublicAccessBlock', 's3:GetBucketAcl', 's3:GetBucketPolicy'],
    write: ['s3:PutBucketPublicAccessBlock', 's3:PutBucketAcl'],
  },

  async check(arn, ctx) {
    const state = bucketSettings(ctx, arn);
    const [blockPublicAccess, acl] = await Promise.all([state.publicAccessBlock(), state.acl()]);
    // A public policy matters only while RestrictPublicBuckets is off (which is a finding
    // already): only then is the policy read, to name the exposure. A compliant bucket
    // costs two reads, not three.
    const policyText = blockPublicAccess.RestrictPublicBuckets ? undefined : await state.policy();
    const grants = acl.Grants ?? [];
    const publicGrants = grants.flatMap((grant) => {
      const group = publicGroupOf(grant);
      return group ? [{ group, permission: grant.Permission ?? 'UNKNOWN' }] : [];
    });
    let policyAllowsPublic = false;
    if (policyText) {
      try {
        policyAllowsPublic = parsePolicy(policyText).Statement.some(isPublicStatement);
      } catch {
        // An unparsable policy is the TLS rule's finding; here it only loses a hint.
      }
    }
    const findings = [
      ...Object.entries(blockPublicAccess)
        .filter(([, on]) => !on)
        .map(([setting]) => `Block Public Access setting ${setting} is off`),
      ...publicGrants.map((g) => `ACL grants ${g.permission} to ${g.group}`),
    ];
    if (policyAllowsPublic && !blockPublicAccess.RestrictPublicBuckets) {
      findings.push('bucket policy allows public access and RestrictPublicBuckets is off');
    }
    return {
      state: findings.length === 0 ? 'compliant' : 'non-compliant',
      findings,
      observed: { blockPublicAccess, owner: acl.Owner, grants, publicGrants, policyAllowsPublic },
      // Effective exposure: with RestrictPublicBuckets on, no policy makes the bucket public.
      summary: {
        ...blockPublicAccess,
        publicAclGrants: publicGrants.length,
        publicThroughPolicy: !blockPublicAccess.RestrictPublicBuckets && policyAllowsPublic,
      },
    };
  },

  plan(arn, observed) {
    const bucket = requireBucketName(arn);
    const actions: PlannedAction[] = [];
    if (observed.publicGrants.length > 0) {
      // Keep every non-public grant exactly as it is; drop only the group grants.
      const kept = observed.grants.filter((grant) => publicGroupOf(grant) === undefined);
      actions.push(
        awsCall(
          s3,
          PutBucketAclCommand,
          { Bucket: bucket, AccessControlPolicy: { Owner: observed.owner, Grants: kept } },
          // Grantees name accounts and people; people see how many grants stay and which go.
          {
            show: { AccessControlPolicy: { grantsKept: kept.length, grantsRemoved: observed.publicGrants } },
          },
        ),
      );
    }
    if (Object.values(observed.blockPublicAccess).some((on) => !on)) {
      actions.push(
        awsCall(s3, PutPublicAccessBlockCommand, {
          Bucket: bucket,
          PublicAccessBlockConfiguration: { ...ALL_BLOCKED },
        }),
      );
    }
    return { kind: 'fix', actions };
  },
});

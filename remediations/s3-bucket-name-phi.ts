/**
 * §164.312(a)(1) Access control / §164.514 minimum necessary: no PHI in a bucket's
 * name. Names appear in logs, consoles, URLs, billing reports and other accounts'
 * CloudTrail, none of them protected like the data. Compliant means the name
 * matches none of the PHI patterns (src/phi-names.ts: SSNs, a date after "dob",
 * e-mail addresses, phone numbers, and PHIGUARD_PHI_NAME_PATTERNS).
 *
 * Always a ticket: a bucket cannot be renamed, and moving its objects to a new
 * bucket changes every client's configuration. The name itself never leaves the
 * operator's terminal: PHI Guard writes this bucket's ARN redacted everywhere
 * (the registry, logs, notifications, the ticket).
 *
 * Events: CreateBucket. The sweep finds the names given before PHI Guard.
 */

import { judgeName, type PhiNameObserved, renameTicket } from '../src/phi-name-findings';
import { requireBucketName, s3Bucket } from '../src/resources/s3/bucket';
import { bucketSettings } from '../src/resources/s3/bucket-settings';
import { defineRule } from '../src/rule';

export default defineRule<PhiNameObserved>({
  id: 's3-bucket-name-phi',
  title: 'S3 bucket name must not contain PHI',
  severity: 'high',
  safeguards: ['164.312(a)(1)'],
  fix: 'ticket: a bucket cannot be renamed (its ARN is redacted everywhere PHI Guard writes)',
  resource: s3Bucket,
  triggers: [{ source: 's3.amazonaws.com', events: ['CreateBucket'] }],
  // The ACL read is shared with s3-bucket-public-access (one call for both), and only
  // made when the name looks like PHI: to ticket a bucket that still exists.
  permissions: { read: ['s3:GetBucketAcl'], write: [] },

  check: (arn, ctx) =>
    judgeName(ctx.phiNames.match(requireBucketName(arn)), () => bucketSettings(ctx, arn).acl()),

  plan: (_arn, observed) =>
    renameTicket(
      'bucket',
      observed.kinds,
      'Create a bucket with a neutral name, copy the objects, point clients at it, then delete this one',
    ),
});

/**
 * §164.308(a)(7)(ii)(A) Data backup plan: retrievable exact copies of ePHI. With
 * versioning on, an object overwritten or deleted in S3 (by mistake, by a
 * compromised key, by ransomware) keeps its earlier versions and can be restored.
 * Compliant means versioning is `Enabled`; a bucket that never had it, or had it
 * suspended, is not.
 *
 * The fix turns versioning on and nothing else: MFA Delete stays as it is. On a
 * bucket with MFA Delete on, S3 accepts a versioning change only with the root
 * user's MFA code, so that is a ticket. Turning versioning on breaks no client; it
 * keeps noncurrent versions, so their storage is the owner's to manage with a
 * lifecycle rule.
 *
 * Events: CreateBucket (a new bucket starts without versioning) and
 * PutBucketVersioning (suspending it).
 */
import { GetBucketVersioningCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { awsCall } from '../src/planned-action';
import type { ResourceContext } from '../src/resources/resource-type';
import { BUCKET_READS, readBucket, requireBucketName, s3, s3Bucket } from '../src/resources/s3/bucket';
import { defineRule } from '../src/rule';

interface BucketVersioning {
  /** `Enabled`, `Suspended`, or undefined when versioning was never turned on. */
  status: string | undefined;
  /** MFA Delete as S3 reports it (`Enabled`/`Disabled`); PHI Guard never changes it. */
  mfaDelete: string | undefined;
}

function versioningOf(ctx: ResourceContext, arn: string): Promise<BucketVersioning> {
  return readBucket(
    ctx,
    arn,
    BUCKET_READS.versioning,
    [],
    { status: undefined, mfaDelete: undefined },
    async (client, Bucket) => {
      const out = await client.send(new GetBucketVersioningCommand({ Bucket }));
      return { status: out.Status, mfaDelete: out.MFADelete };
    },
  );
}

export default defineRule<BucketVersioning>({
  id: 's3-bucket-versioning',
  title: 'S3 bucket must keep object versions (versioning enabled)',
  severity: 'medium',
  safeguards: ['164.308(a)(7)(ii)(A)'],
  fix: 'turn versioning on (MFA Delete left as it is); MFA Delete on → ticket',
  resource: s3Bucket,
  triggers: [{ source: 's3.amazonaws.com', events: ['CreateBucket', 'PutBucketVersioning'] }],
  permissions: { read: ['s3:GetBucketVersioning'], write: ['s3:PutBucketVersioning'] },

  async check(arn, ctx) {
    const versioning = await versioningOf(ctx, arn);
    const compliant = versioning.status === 'Enabled';
    return {
      state: compliant ? 'compliant' : 'non-compliant',
      findings: compliant
        ? []
        : [versioning.status === 'Suspended' ? 'versioning is suspended' : 'versioning was never enabled'],
      observed: versioning,
      summary: { versioning: versioning.status ?? 'Off', mfaDelete: versioning.mfaDelete ?? 'Disabled' },
    };
  },

  plan(arn, observed) {
    if (observed.mfaDelete === 'Enabled') {
      return {
        kind: 'ticket',
        reason: "MFA Delete is on: S3 changes this bucket's versioning only with the root user's MFA code",
      };
    }
    return {
      kind: 'fix',
      actions: [
        awsCall(s3, PutBucketVersioningCommand, {
          Bucket: requireBucketName(arn),
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      ],
    };
  },
});

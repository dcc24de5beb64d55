/**
 * §164.312(a)(2)(iv) Encryption and decryption: PHI loaded onto a Snowball device
 * travels outside AWS in a box. Snowball always encrypts it, by default with the
 * AWS-managed key aws/importexport, which anyone in the account allowed to use the
 * service can use. Compliant means an import job encrypts with a customer-managed
 * KMS key, whose key policy says who may decrypt. Export and other job types are
 * not judged; a job that is complete or cancelled is gone.
 *
 * Always a ticket: a job's key cannot be changed (UpdateJob does not take one). A
 * person cancels it before data is loaded and creates it again with a
 * customer-managed key.
 *
 * Events: CreateJob. The sweep judges every job still open.
 */
import { parseArn } from '../src/arn';
import { ResourceGoneError } from '../src/errors';
import { describeKey } from '../src/resources/kms/key';
import { describeJob, snowballJob } from '../src/resources/snowball/job';
import { defineRule } from '../src/rule';

interface Observed {
  reason: string;
}

export default defineRule<Observed>({
  id: 'snowball-import-job-kms',
  title: 'Snowball import job must encrypt with a customer-managed KMS key',
  severity: 'medium',
  safeguards: ['164.312(a)(2)(iv)'],
  fix: 'ticket: cancel before data is loaded and create the job again with a customer-managed key',
  resource: snowballJob,
  triggers: [{ source: 'snowball.amazonaws.com', events: ['CreateJob'] }],
  permissions: { read: ['kms:DescribeKey'], write: [] },

  async check(arn, ctx) {
    const job = await describeJob(ctx, arn);
    const summary = { jobType: job.JobType ?? null, jobState: job.JobState ?? null };
    if (job.JobType !== 'IMPORT')
      return { state: 'compliant', findings: [], observed: { reason: '' }, summary };
    const key = job.KmsKeyARN;
    let customerManaged = false;
    let reason = 'the job has no KMS key: Snowball uses the AWS-managed key aws/importexport';
    if (key) {
      // An AWS-managed key serves only its own account: a key of another account is the customer's.
      const sameAccount = parseArn(key)?.accountId === parseArn(arn)?.accountId;
      if (!sameAccount) customerManaged = true;
      else {
        try {
          customerManaged = (await describeKey(ctx, key)).KeyManager === 'CUSTOMER';
          reason =
            'the job encrypts with an AWS-managed key (aws/importexport), which any principal of the account allowed to use Snowball can use';
        } catch (error) {
          if (!(error instanceof ResourceGoneError)) throw error;
          reason = "the job's KMS key no longer exists: the device's data cannot be decrypted";
        }
      }
    }
    return {
      state: customerManaged ? 'compliant' : 'non-compliant',
      findings: customerManaged ? [] : [reason],
      observed: { reason },
      summary: { ...summary, customerManagedKey: customerManaged },
    };
  },

  plan(_arn, observed) {
    return {
      kind: 'ticket',
      reason: `${observed.reason}. A job's key cannot be changed: cancel it before data is loaded, and create it again with a customer-managed KMS key`,
    };
  },
});

import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { DescribeJobCommand } from '@aws-sdk/client-snowball';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/snowball-import-job-kms';
import { processEvent } from '../../../src/process-event';
import { kms } from '../../../src/resources/kms/key';
import { snowball } from '../../../src/resources/snowball/job';
import type { Rule } from '../../../src/rule';
import { AWS_MANAGED_KEY, CUSTOMER_KEY, fakeJob, JOB_ARN } from '../../scenarios/snowball-import-job-kms';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';
import { MockAws } from '../../support/scenario';

const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => loadFixture('snowball/CreateJob.import-default-key');
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mocks = new MockAws();
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('snowball-import-job-kms (client mocks: moto has no Snowball)', () => {
  it("CreateJob names the new job by its answer's id", () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([JOB_ARN]);
  });

  it('an import job with the AWS-managed key, or none: a ticket, nothing written', async () => {
    const stub = fakeJob(mocks, { KmsKeyARN: AWS_MANAGED_KEY });
    expect(await outcome()).toMatchObject({
      status: 'ticket',
      findings: [expect.stringContaining('AWS-managed key (aws/importexport)')],
      reason: expect.stringContaining('cancel it before data is loaded'),
    });
    expect(stub.calls().map((c) => c.args[0].constructor.name)).toEqual(['DescribeJobCommand']);
    mocks.restore();
    mocks = new MockAws();
    fakeJob(mocks, {});
    expect((await outcome(engine({ dryRun: true })))?.findings).toEqual([
      'the job has no KMS key: Snowball uses the AWS-managed key aws/importexport',
    ]);
  });

  it("a customer-managed key, or a key of another account, is compliant (no KMS call for the other account's)", async () => {
    fakeJob(mocks, { KmsKeyARN: CUSTOMER_KEY });
    expect(await outcome()).toMatchObject({ status: 'compliant', before: { customerManagedKey: true } });
    mocks.restore();
    mocks = new MockAws();
    fakeJob(mocks, {
      KmsKeyARN: 'arn:aws:kms:us-east-1:210987654321:key/0f0e0d0c-1111-2222-3333-444455556666',
    });
    expect((await outcome())?.status).toBe('compliant');
    expect(mocks.client(kms).commandCalls(DescribeKeyCommand)).toEqual([]);
  });

  it('export jobs are not judged; complete, cancelled and unknown jobs are gone; a deleted key is a ticket', async () => {
    fakeJob(mocks, { JobType: 'EXPORT' });
    expect((await outcome())?.status).toBe('compliant');
    for (const JobState of ['Complete', 'Cancelled'] as const) {
      mocks.restore();
      mocks = new MockAws();
      fakeJob(mocks, { JobState, KmsKeyARN: AWS_MANAGED_KEY });
      expect((await outcome())?.status).toBe('gone');
    }
    mocks.restore();
    mocks = new MockAws();
    mocks
      .client(snowball)
      .on(DescribeJobCommand as never)
      .rejects(awsError('InvalidResourceException', 400));
    expect((await outcome())?.status).toBe('gone');
    mocks.restore();
    mocks = new MockAws();
    fakeJob(mocks, { KmsKeyARN: AWS_MANAGED_KEY });
    mocks.client(kms).on(DescribeKeyCommand).rejects(awsError('NotFoundException', 400));
    expect(await outcome()).toMatchObject({
      status: 'ticket',
      findings: ["the job's KMS key no longer exists: the device's data cannot be decrypted"],
    });
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied is an error outcome', async () => {
    const stub = fakeJob(mocks, { KmsKeyARN: AWS_MANAGED_KEY });
    const failed = event();
    failed.detail.errorCode = 'KMSRequestFailedException';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(stub.calls()).toEqual([]);
    stub.on(DescribeJobCommand as never).rejects(awsError('AccessDeniedException', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDeniedException'),
    });
  });
});

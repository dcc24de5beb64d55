import {
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/ebs-encryption-by-default';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';

const ARN = 'arn:aws:ec2:us-east-1:123456789012:account-setting/ebs-encryption-by-default';
const engine = (dryRun = false) => testEngine({ rules: [rule as Rule], dryRun });
const event = () => loadFixture('ec2/DisableEbsEncryptionByDefault.basic');

function fakeSetting(enabled: boolean) {
  const mock = mockClient(EC2Client);
  let on = enabled;
  mock.on(GetEbsEncryptionByDefaultCommand).callsFake(() => ({ EbsEncryptionByDefault: on }));
  mock.on(EnableEbsEncryptionByDefaultCommand).callsFake(() => {
    on = true;
    return { EbsEncryptionByDefault: true };
  });
  return mock;
}
const enables = () => mock.commandCalls(EnableEbsEncryptionByDefaultCommand).length;

let mock: ReturnType<typeof fakeSetting>;
afterEach(() => mock?.restore());

describe('ebs-encryption-by-default (client mocks)', () => {
  it('names the setting of the record’s account and region (account settings have no ARN of their own)', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([ARN]);
  });

  it('off: turned on, read back', async () => {
    mock = fakeSetting(false);
    expect((await processEvent(engine(), event())).outcomes[0]).toMatchObject({
      status: 'remediated',
      resource: ARN,
      before: { ebsEncryptionByDefault: false },
      after: { ebsEncryptionByDefault: true },
      actions: [{ service: 'ec2', api: 'EnableEbsEncryptionByDefault', params: {} }],
    });
    expect(enables()).toBe(1);
  });

  it('on: compliant, nothing written', async () => {
    mock = fakeSetting(true);
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('compliant');
    expect(enables()).toBe(0);
  });

  it('dry-run: would-remediate, nothing written', async () => {
    mock = fakeSetting(false);
    expect((await processEvent(engine(true), event())).outcomes[0]?.status).toBe('would-remediate');
    expect(enables()).toBe(0);
  });

  it('a failed call and PHI Guard’s own call are set aside without a read', async () => {
    mock = fakeSetting(false);
    const failed = event();
    failed.detail.errorCode = 'UnauthorizedOperation';
    const own = testEngine({
      rules: [rule as Rule],
      env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' },
    });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
  });

  it('UnauthorizedOperation on the read is an error outcome (retried), nothing written', async () => {
    mock = fakeSetting(false);
    mock.on(GetEbsEncryptionByDefaultCommand).rejects(awsError('UnauthorizedOperation', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('UnauthorizedOperation'),
    });
    expect(enables()).toBe(0);
  });
});

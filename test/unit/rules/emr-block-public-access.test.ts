import { PutBlockPublicAccessConfigurationCommand } from '@aws-sdk/client-emr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inRegion, loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/emr-block-public-access';
import { processEvent } from '../../../src/process-event';
import { emr } from '../../../src/resources/emr/cluster';
import type { Rule } from '../../../src/rule';
import { BPA_ARN, fakeBlockPublicAccess } from '../../scenarios/emr-block-public-access';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';
import { MockAws } from '../../support/scenario';

const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () =>
  inRegion(loadFixture('elasticmapreduce/PutBlockPublicAccessConfiguration.off'), 'us-east-1');
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mocks = new MockAws();
const puts = () =>
  mocks
    .client(emr)
    .commandCalls(PutBlockPublicAccessConfigurationCommand)
    .map((c) => c.args[0].input);
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('emr-block-public-access (client mocks: moto stores true whatever it is sent)', () => {
  it('the record names the setting of its account and Region', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([BPA_ARN]);
  });

  it('turned off: on again, the permitted ranges kept as they were; read back', async () => {
    const config = {
      BlockPublicSecurityGroupRules: false,
      PermittedPublicSecurityGroupRuleRanges: [{ MinRange: 22, MaxRange: 22 }, { MinRange: 443 }],
    };
    fakeBlockPublicAccess(mocks, config);
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      before: { blockPublicAccess: false, permittedPorts: '22, 443' },
      after: { blockPublicAccess: true, permittedPorts: '22, 443' },
    });
    expect(puts()).toEqual([
      {
        BlockPublicAccessConfiguration: {
          BlockPublicSecurityGroupRules: true,
          PermittedPublicSecurityGroupRuleRanges: [{ MinRange: 22, MaxRange: 22 }, { MinRange: 443 }],
        },
      },
    ]);
  });

  it('on is compliant (no write); a configuration that does not say it is on reads as off', async () => {
    fakeBlockPublicAccess(mocks, { BlockPublicSecurityGroupRules: true });
    expect((await outcome())?.status).toBe('compliant');
    expect(puts()).toEqual([]);
    mocks.restore();
    mocks = new MockAws();
    fakeBlockPublicAccess(mocks, {});
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('would-remediate');
    expect(puts()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied is an error outcome', async () => {
    const stub = fakeBlockPublicAccess(mocks, { BlockPublicSecurityGroupRules: false });
    const failed = event();
    failed.detail.errorCode = 'AccessDeniedException';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(stub.calls()).toEqual([]);
    stub.on(PutBlockPublicAccessConfigurationCommand).rejects(awsError('AccessDeniedException', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDeniedException'),
    });
  });
});

import { UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trailEvent } from '../../../local/fixtures';
import rule from '../../../remediations/cloudtrail-trail-weakened';
import { processEvent } from '../../../src/process-event';
import { cloudtrail } from '../../../src/resources/cloudtrail/trail';
import type { Rule } from '../../../src/rule';
import { testEngine } from '../../support/engine';
import { fakeTrail, TRAIL_ARN } from '../../support/fake-cloudtrail';
import { MockAws } from '../../support/scenario';

const engine = (options: { dryRun?: boolean } = {}) => testEngine({ rules: [rule as Rule], ...options });
const event = () => trailEvent('cloudtrail/UpdateTrail.single-region', TRAIL_ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mocks = new MockAws();
const updates = () =>
  mocks
    .client(cloudtrail)
    .commandCalls(UpdateTrailCommand)
    .map((c) => c.args[0].input);
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('cloudtrail-trail-weakened (client mocks)', () => {
  it('both off: one UpdateTrail turning both on, nothing else named; read back', async () => {
    fakeTrail(mocks, { IsMultiRegionTrail: false, LogFileValidationEnabled: false });
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      findings: ['the trail records one Region only', 'log file validation is off'],
      after: { multiRegion: true, logFileValidation: true },
    });
    expect(updates()).toEqual([{ Name: TRAIL_ARN, IsMultiRegionTrail: true, EnableLogFileValidation: true }]);
  });

  it('only what is off is named', async () => {
    fakeTrail(mocks, { LogFileValidationEnabled: false });
    expect((await outcome())?.status).toBe('remediated');
    expect(updates()).toEqual([{ Name: TRAIL_ARN, EnableLogFileValidation: true }]);
  });

  it('a complete trail is compliant; a shadow is judged in its home Region; dry-run writes nothing', async () => {
    fakeTrail(mocks);
    expect((await outcome())?.status).toBe('compliant');
    mocks.restore();
    mocks = new MockAws();
    fakeTrail(mocks, { HomeRegion: 'eu-west-1', IsMultiRegionTrail: false });
    expect((await outcome())?.status).toBe('compliant');
    mocks.restore();
    mocks = new MockAws();
    fakeTrail(mocks, { IsMultiRegionTrail: false });
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('would-remediate');
    expect(updates()).toEqual([]);
  });
});

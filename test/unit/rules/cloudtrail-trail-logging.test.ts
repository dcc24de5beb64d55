import { GetTrailStatusCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, trailEvent } from '../../../local/fixtures';
import rule from '../../../remediations/cloudtrail-trail-logging';
import { processEvent } from '../../../src/process-event';
import { cloudtrail } from '../../../src/resources/cloudtrail/trail';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeTrail, TRAIL_ARN } from '../../support/fake-cloudtrail';
import { awsError } from '../../support/fake-s3';
import { MockAws } from '../../support/scenario';

const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => trailEvent('cloudtrail/StopLogging.basic', TRAIL_ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mocks = new MockAws();
const starts = () =>
  mocks
    .client(cloudtrail)
    .commandCalls(StartLoggingCommand)
    .map((c) => c.args[0].input);
const fresh = () => {
  mocks.restore();
  mocks = new MockAws();
};
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('cloudtrail-trail-logging (client mocks)', () => {
  it('the record names the trail by name or ARN; CreateTrail by its answer', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([TRAIL_ARN]);
    expect(rule.resourceIds(loadFixture('cloudtrail/CreateTrail.basic').detail as never)).toEqual([
      TRAIL_ARN,
    ]);
    const byName = loadFixture('cloudtrail/DeleteTrail.basic');
    expect(rule.resourceIds(byName.detail as never)).toEqual([TRAIL_ARN]);
    // A Region that is not one names nothing.
    byName.detail.awsRegion = 'us-nowhere-1x';
    expect(rule.resourceIds(byName.detail as never)).toEqual([]);
  });

  it('stopped: StartLogging; read back', async () => {
    const { state } = fakeTrail(mocks, {}, { logging: false });
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      before: { logging: false },
      after: { logging: true },
    });
    expect(starts()).toEqual([{ Name: 'phi-audit' }]);
    expect(state.logging).toBe(true);
  });

  it('a shadow of a trail homed elsewhere, and another account’s organization trail, are not judged here', async () => {
    fakeTrail(mocks, { HomeRegion: 'eu-west-1' }, { logging: false });
    expect(await outcome()).toMatchObject({
      status: 'compliant',
      before: { notJudged: 'judged in its home Region eu-west-1' },
    });
    fresh();
    const orgTrail = 'arn:aws:cloudtrail:us-east-1:999999999999:trail/org-audit';
    fakeTrail(mocks, { TrailARN: orgTrail, IsOrganizationTrail: true }, { logging: false });
    const report = await processEvent(engine(), trailEvent('cloudtrail/StopLogging.basic', orgTrail));
    expect(report.outcomes[0]).toMatchObject({
      status: 'compliant',
      before: { notJudged: 'an organization trail, judged in the management account' },
    });
    expect(starts()).toEqual([]);
    expect(mocks.client(cloudtrail).commandCalls(GetTrailStatusCommand)).toEqual([]);
  });

  it('dry-run, exempt, gone and own calls write nothing; AccessDenied is an error outcome', async () => {
    fakeTrail(mocks, {}, { logging: false });
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('would-remediate');
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    fresh();
    fakeTrail(mocks, {}, { logging: false, tags: { 'phiguard:exempt': 'sandbox trail' } });
    expect((await outcome())?.status).toBe('exempt');
    fresh();
    fakeTrail(mocks, {}, { exists: false });
    expect((await outcome())?.status).toBe('gone');
    fresh();
    const { stub } = fakeTrail(mocks, {}, { logging: false });
    stub.on(GetTrailStatusCommand).rejects(awsError('AccessDeniedException', 400));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(starts()).toEqual([]);
  });
});

import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/cloudtrail-region-recorded';
import { processEvent } from '../../../src/process-event';
import { cloudtrail } from '../../../src/resources/cloudtrail/trail';
import type { Rule } from '../../../src/rule';
import { testEngine } from '../../support/engine';
import { MockAws } from '../../support/scenario';

const COVERAGE = 'arn:aws:cloudtrail:us-east-1:123456789012:account-setting/trail-coverage';
const trail = (name: string, over: object = {}) => ({
  Name: name,
  TrailARN: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`,
  HomeRegion: 'us-east-1',
  IsMultiRegionTrail: false,
  ...over,
});
const outcome = async () =>
  (await processEvent(testEngine({ rules: [rule as Rule] }), loadFixture('cloudtrail/DeleteTrail.basic')))
    .outcomes[0];

let mocks = new MockAws();
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

function account(
  trails: object[],
  logging: Record<string, boolean>,
  management: Record<string, boolean> = {},
) {
  const stub = mocks.client(cloudtrail);
  stub.on(DescribeTrailsCommand).resolves({ trailList: trails as never });
  stub.on(GetTrailStatusCommand).callsFake((input: { Name: string }) => ({
    IsLogging: logging[input.Name.split('/').at(-1) as string] ?? false,
  }));
  stub.on(GetEventSelectorsCommand).callsFake((input: { TrailName: string }) => ({
    EventSelectors: [
      { IncludeManagementEvents: management[input.TrailName.split('/').at(-1) as string] ?? true },
    ],
  }));
  return stub;
}

describe('cloudtrail-region-recorded (client mocks)', () => {
  it('DeleteTrail names the Region’s coverage; no trail left is a ticket', async () => {
    expect(rule.resourceIds(loadFixture('cloudtrail/DeleteTrail.basic').detail as never)).toEqual([COVERAGE]);
    account([], {});
    expect(await outcome()).toMatchObject({ resource: COVERAGE, status: 'ticket' });
  });

  it('a logging trail of this Region, or a multi-Region one homed elsewhere, records it', async () => {
    account([trail('local')], { local: true });
    expect(await outcome()).toMatchObject({
      status: 'compliant',
      before: { recordedBy: expect.stringContaining('local') },
    });
    mocks.restore();
    mocks = new MockAws();
    account([trail('global', { HomeRegion: 'eu-west-1', IsMultiRegionTrail: true })], { global: true });
    expect((await outcome())?.status).toBe('compliant');
  });

  it('a trail deleted between the listing and its status records nothing: the Region is a ticket, not gone', async () => {
    const stub = account([trail('deleted')], {});
    stub
      .on(GetTrailStatusCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'TrailNotFoundException', $fault: 'client' }));
    expect(await outcome()).toMatchObject({ resource: COVERAGE, status: 'ticket' });
  });

  it('stopped trails, trails without management events and other Regions’ single-Region trails do not', async () => {
    const stub = account(
      [trail('stopped'), trail('data-only'), trail('elsewhere', { HomeRegion: 'eu-west-1' })],
      { stopped: false, 'data-only': true, elsewhere: true },
      { 'data-only': false },
    );
    expect(await outcome()).toMatchObject({ status: 'ticket', before: { trails: 2, recorded: false } });
    // The other Region’s single-Region trail is not even asked about.
    const asked = stub.commandCalls(GetTrailStatusCommand).map((c) => c.args[0].input.Name ?? '');
    expect(asked.some((name) => name.endsWith('/elsewhere'))).toBe(false);
    expect(asked).toHaveLength(2);
  });
});

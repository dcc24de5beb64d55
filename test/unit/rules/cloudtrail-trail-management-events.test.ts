import { GetEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trailEvent } from '../../../local/fixtures';
import rule from '../../../remediations/cloudtrail-trail-management-events';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { testEngine } from '../../support/engine';
import { fakeTrail, TRAIL_ARN } from '../../support/fake-cloudtrail';
import { MockAws } from '../../support/scenario';

const event = () => trailEvent('cloudtrail/PutEventSelectors.no-management', TRAIL_ARN);
const outcome = async () => (await processEvent(testEngine({ rules: [rule as Rule] }), event())).outcomes[0];

let mocks = new MockAws();
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('cloudtrail-trail-management-events (client mocks)', () => {
  it('basic selectors without management events: a ticket, nothing written', async () => {
    const { stub } = fakeTrail(mocks, {}, { management: false });
    expect(await outcome()).toMatchObject({
      status: 'ticket',
      reason: expect.stringContaining('management events'),
    });
    expect(stub.calls().map((c) => (c.args[0] as object).constructor.name)).not.toContain(
      'PutEventSelectorsCommand',
    );
  });

  it.each([
    ['no selectors at all (the default records them)', {}],
    [
      'an advanced selector on eventCategory Management',
      { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] },
    ],
  ])('%s: compliant', async (_label, selectors) => {
    const { stub } = fakeTrail(mocks);
    stub.on(GetEventSelectorsCommand).resolves(selectors);
    expect((await outcome())?.status).toBe('compliant');
  });

  it('advanced selectors for data events only: a ticket', async () => {
    const { stub } = fakeTrail(mocks);
    stub.on(GetEventSelectorsCommand).resolves({
      AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }],
    });
    expect((await outcome())?.status).toBe('ticket');
  });
});

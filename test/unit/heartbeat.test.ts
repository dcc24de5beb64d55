import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventRuleEvent, loadFixture } from '../../local/fixtures';
import rule from '../../remediations/phiguard-event-rule';
import { heartbeatOf, heartbeatWrite, missingHeartbeats } from '../../src/heartbeat';
import { MemoryLedger } from '../../src/ledger/memory-ledger';
import { processEvent } from '../../src/process-event';
import { events } from '../../src/resources/events/rule';
import type { Rule } from '../../src/rule';
import { ownEventRules } from '../scenarios/phiguard-event-rule';
import { testEngine } from '../support/engine';
import { MockAws } from '../support/scenario';

const HEARTBEAT = 'arn:aws:events:eu-west-1:210987654321:rule/phiguard-prod-heartbeat';
const T0 = new Date('2026-12-05T12:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe('the heartbeat', () => {
  it('is recognised by its rule’s name on a PutRule, with the time it was sent', () => {
    expect(heartbeatOf(eventRuleEvent('events/PutRule.heartbeat', HEARTBEAT).detail as never)).toEqual({
      account: '210987654321',
      region: 'eu-west-1',
      sentAt: '2026-11-01T11:59:58.000Z',
    });
    // PHI Guard's other rules, and anyone's PutRule, are not heartbeats.
    expect(heartbeatOf(loadFixture('events/PutRule.disabled').detail as never)).toBeUndefined();
    expect(heartbeatOf(loadFixture('events/DisableRule').detail as never)).toBeUndefined();
  });

  it('writes a disabled rule whose pattern nothing matches, saying when it was sent', () => {
    expect(heartbeatWrite('prod', T0)).toEqual({
      Name: 'phiguard-prod-heartbeat',
      State: 'DISABLED',
      EventPattern: '{"source":["phiguard.heartbeat"]}',
      Description: 'PHI Guard heartbeat, sent 2026-12-05T12:00:00.000Z',
    });
  });

  it('a place is missing after 3 intervals without an arrival, counted from the first heartbeat sent there', () => {
    const places = [
      { account: '111122223333', region: 'us-east-1' },
      { account: '444455556666', region: 'us-east-1' },
      { account: '777788889999', region: 'us-east-1' },
    ];
    const records = [
      { ...places[0], firstSentAt: T0.toISOString(), arrivedAt: minutes(5).toISOString() },
      { ...places[1], firstSentAt: T0.toISOString() },
      // places[2]: never written to yet (a new account): not judged before its first heartbeat.
    ];
    expect(missingHeartbeats(places, records as never, minutes(29), 10)).toEqual([]);
    expect(missingHeartbeats(places, records as never, minutes(31), 10)).toEqual([places[1]]);
    expect(missingHeartbeats(places, records as never, minutes(36), 10)).toEqual([
      { ...places[0], lastArrival: minutes(5).toISOString() },
      places[1],
    ]);
  });
});

describe('the heartbeat’s event at the event function (client mocks)', () => {
  let mocks = new MockAws();
  beforeEach(() => {
    mocks = new MockAws();
  });
  afterEach(() => mocks.restore());

  it('records its arrival, judges nothing, writes nothing, and leaves no history', async () => {
    const ledger = new MemoryLedger();
    const engine = testEngine({
      rules: [rule as Rule],
      ledger,
      env: { PHIGUARD_OWN_EVENT_RULES: ownEventRules() },
    });
    const report = await processEvent(engine, eventRuleEvent('events/PutRule.heartbeat', HEARTBEAT));
    expect(report.outcomes).toEqual([]);
    expect(report.skipped).toBe('heartbeat: its arrival is recorded');
    expect(mocks.client(events).calls()).toHaveLength(0);
    expect(await ledger.history({})).toEqual([]);
    expect(await ledger.heartbeats()).toEqual([
      {
        account: '210987654321',
        region: 'eu-west-1',
        arrivedAt: expect.stringMatching(/^\d{4}-/),
        arrivedSentAt: '2026-11-01T11:59:58.000Z',
      },
    ]);
  });
});

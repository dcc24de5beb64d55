/**
 * §164.312(b) Audit controls: a trail whose event selectors leave out management
 * events no longer records who changed what (and PHI Guard no longer hears of
 * it). Which selectors a trail needs (data events, cost) is its owner's design,
 * so this is a ticket.
 *
 * Events: PutEventSelectors.
 */

import { recordsManagementEvents } from '../src/resources/cloudtrail/event-selectors';
import { cloudTrailTrail, describeTrail, notJudgedHere } from '../src/resources/cloudtrail/trail';
import { defineRule } from '../src/rule';

export default defineRule<Record<string, never>>({
  id: 'cloudtrail-trail-management-events',
  title: 'CloudTrail trail must record management events',
  severity: 'high',
  safeguards: ['164.312(b)'],
  fix: 'ticket (the trail’s event selectors are its owner’s design)',
  resource: cloudTrailTrail,
  triggers: [{ source: 'cloudtrail.amazonaws.com', events: ['PutEventSelectors'] }],
  permissions: { read: ['cloudtrail:GetEventSelectors'], write: [] },

  async check(arn, ctx) {
    const skip = notJudgedHere(await describeTrail(ctx, arn), arn, ctx);
    if (skip) return { state: 'compliant', findings: [], observed: {}, summary: { notJudged: skip } };
    const management = await recordsManagementEvents(ctx, arn);
    return {
      state: management ? 'compliant' : 'non-compliant',
      findings: management ? [] : ['the event selectors leave out management events'],
      observed: {},
      summary: { managementEvents: management },
    };
  },

  plan() {
    return {
      kind: 'ticket',
      reason:
        'include management events in the trail’s event selectors (IncludeManagementEvents, or an advanced selector on eventCategory Management)',
    };
  },
});

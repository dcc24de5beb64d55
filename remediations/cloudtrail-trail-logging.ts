/**
 * §164.312(b) Audit controls: CloudTrail is the account's record of who did what,
 * and PHI Guard's own eyes (its events come from it). A trail that stopped logging
 * is started again at once: StopLogging is the last event a stopped trail
 * delivers.
 *
 * Judged in the trail's home Region (a multi-Region trail is listed everywhere),
 * and an organization trail only in the account that owns it.
 *
 * Events: StopLogging, and CreateTrail (a new trail does not log until started).
 */
import { StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { awsCall } from '../src/planned-action';
import {
  cloudTrailTrail,
  cloudtrail,
  describeTrail,
  isTrailLogging,
  notJudgedHere,
  trailNameOf,
} from '../src/resources/cloudtrail/trail';
import { defineRule } from '../src/rule';

export default defineRule<Record<string, never>>({
  id: 'cloudtrail-trail-logging',
  title: 'CloudTrail trail must be logging',
  severity: 'critical',
  safeguards: ['164.312(b)'],
  fix: 'StartLogging',
  resource: cloudTrailTrail,
  triggers: [{ source: 'cloudtrail.amazonaws.com', events: ['CreateTrail', 'StopLogging'] }],
  permissions: { read: ['cloudtrail:GetTrailStatus'], write: ['cloudtrail:StartLogging'] },

  async check(arn, ctx) {
    const skip = notJudgedHere(await describeTrail(ctx, arn), arn, ctx);
    if (skip) return { state: 'compliant', findings: [], observed: {}, summary: { notJudged: skip } };
    const logging = await isTrailLogging(ctx, arn);
    return {
      state: logging ? 'compliant' : 'non-compliant',
      findings: logging ? [] : ['the trail is not logging'],
      observed: {},
      summary: { logging },
    };
  },

  plan(arn) {
    // By name: the trail is judged in its home Region, where its name is unique (the
    // emulator's StartLogging takes names only).
    return { kind: 'fix', actions: [awsCall(cloudtrail, StartLoggingCommand, { Name: trailNameOf(arn) })] };
  },
});

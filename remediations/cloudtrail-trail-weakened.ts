/**
 * §164.312(b) Audit controls and §164.312(c)(1) Integrity: a trail records every
 * Region (a trail of one Region is blind to the others, where PHI may be copied)
 * and signs its log files (log file validation: a changed or deleted log file is
 * detectable).
 *
 * The fix is one UpdateTrail naming only what is off; its S3 bucket, key, log
 * group and selectors stay. Judged in the trail's home Region, and an organization
 * trail only in the account that owns it.
 *
 * Events: UpdateTrail and CreateTrail.
 */
import { UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { awsCall } from '../src/planned-action';
import { cloudTrailTrail, cloudtrail, describeTrail, notJudgedHere } from '../src/resources/cloudtrail/trail';
import { defineRule } from '../src/rule';

interface Observed {
  multiRegion: boolean;
  logFileValidation: boolean;
}

export default defineRule<Observed>({
  id: 'cloudtrail-trail-weakened',
  title: 'CloudTrail trail must cover every Region and validate its log files',
  severity: 'high',
  safeguards: ['164.312(b)', '164.312(c)(1)'],
  fix: 'UpdateTrail: multi-Region and log file validation back on (nothing else changed)',
  resource: cloudTrailTrail,
  triggers: [{ source: 'cloudtrail.amazonaws.com', events: ['CreateTrail', 'UpdateTrail'] }],
  // The trail's settings are in the description the resource type reads.
  permissions: { read: [], write: ['cloudtrail:UpdateTrail'] },

  async check(arn, ctx) {
    const trail = await describeTrail(ctx, arn);
    const skip = notJudgedHere(trail, arn, ctx);
    const observed = {
      multiRegion: trail.IsMultiRegionTrail === true,
      logFileValidation: trail.LogFileValidationEnabled === true,
    };
    if (skip) return { state: 'compliant', findings: [], observed, summary: { notJudged: skip } };
    const findings = [
      ...(observed.multiRegion ? [] : ['the trail records one Region only']),
      ...(observed.logFileValidation ? [] : ['log file validation is off']),
    ];
    return {
      state: findings.length === 0 ? 'compliant' : 'non-compliant',
      findings,
      observed,
      summary: observed,
    };
  },

  plan(arn, observed) {
    return {
      kind: 'fix',
      actions: [
        awsCall(cloudtrail, UpdateTrailCommand, {
          Name: arn,
          ...(observed.multiRegion ? {} : { IsMultiRegionTrail: true }),
          ...(observed.logFileValidation ? {} : { EnableLogFileValidation: true }),
        }),
      ],
    };
  },
});

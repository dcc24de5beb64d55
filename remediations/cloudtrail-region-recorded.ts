/**
 * §164.312(b) Audit controls: every Region's management events are recorded by a
 * trail that is logging, its own or a multi-Region one. Deleting, stopping or
 * narrowing the last such trail leaves the Region unrecorded, and PHI Guard blind
 * there: when logging stops, no more events arrive, so the sweep checks every
 * Region it covers.
 *
 * A trail needs an S3 bucket, a key and a retention its owner chooses: this is a
 * ticket, never a trail PHI Guard makes.
 *
 * Events: DeleteTrail, StopLogging, UpdateTrail, PutEventSelectors; and the sweep.
 */
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { ResourceGoneError } from '../src/errors';
import { recordsManagementEvents } from '../src/resources/cloudtrail/event-selectors';
import { trailCoverage } from '../src/resources/cloudtrail/region-coverage';
import { cloudtrail, isTrailLogging } from '../src/resources/cloudtrail/trail';
import { defineRule } from '../src/rule';

export default defineRule<Record<string, never>>({
  id: 'cloudtrail-region-recorded',
  title: 'Every Region must be recorded by a logging trail with management events',
  severity: 'critical',
  safeguards: ['164.312(b)'],
  fix: 'ticket (create or restore a multi-Region trail: its bucket, key and retention are its owner’s)',
  resource: trailCoverage,
  triggers: [
    {
      source: 'cloudtrail.amazonaws.com',
      events: ['DeleteTrail', 'StopLogging', 'UpdateTrail', 'PutEventSelectors'],
    },
  ],
  permissions: {
    read: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
    write: [],
  },

  async check(_arn, ctx) {
    const client = ctx.clients.get(cloudtrail);
    // Shadow trails included: a multi-Region trail of another home Region records this one.
    const { trailList = [] } = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    const candidates = trailList.filter(
      (t) => t.TrailARN && (t.IsMultiRegionTrail || t.HomeRegion === ctx.region),
    );
    let recordedBy: string | undefined;
    for (const trail of candidates) {
      const trailArn = trail.TrailARN as string;
      try {
        if ((await isTrailLogging(ctx, trailArn)) && (await recordsManagementEvents(ctx, trailArn))) {
          recordedBy = trailArn;
          break;
        }
      } catch (error) {
        // A trail deleted since the listing records nothing; the Region is not "gone".
        if (!(error instanceof ResourceGoneError)) throw error;
      }
    }
    return {
      state: recordedBy ? 'compliant' : 'non-compliant',
      findings: recordedBy ? [] : ['no logging trail records this Region’s management events'],
      observed: {},
      summary: recordedBy ? { recordedBy } : { trails: candidates.length, recorded: false },
    };
  },

  plan() {
    return {
      kind: 'ticket',
      reason:
        'nothing records this Region’s management events (and PHI Guard hears nothing from it): create or restart a multi-Region trail with management events',
    };
  },
});

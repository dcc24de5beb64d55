// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for cloudtrail.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import cloudtrailRegionRecorded from '../../remediations/cloudtrail-region-recorded';
import cloudtrailTrailLogging from '../../remediations/cloudtrail-trail-logging';
import cloudtrailTrailManagementEvents from '../../remediations/cloudtrail-trail-management-events';
import cloudtrailTrailWeakened from '../../remediations/cloudtrail-trail-weakened';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([
  cloudtrailTrailLogging,
  cloudtrailTrailWeakened,
  cloudtrailTrailManagementEvents,
  cloudtrailRegionRecorded,
]);

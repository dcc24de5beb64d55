import { describeAwsError } from '../aws-errors';
import type { CloudTrailRecord } from '../cloudtrail-event';
import { listAll, type ResourceContext, type ResourceType } from '../resources/resource-type';
import type { Rule } from '../rule';
import { isSelfPrincipal } from '../self-principal';
import type { Decision } from './outcome-builder';

/**
 * What of an event is evidence, and about which resources. Events arrive late,
 * twice, out of order, and also for calls that failed or that PHI Guard made
 * itself: those say nothing about drift.
 */

/** Why a record is not evidence of drift, or undefined when it is. */
export function whyNotEvidence(
  record: CloudTrailRecord,
  selfPrincipals: readonly string[],
): string | undefined {
  if (record.errorCode) return `the call failed (errorCode ${record.errorCode}); nothing changed`;
  if (isSelfPrincipal(record, selfPrincipals)) return 'made by PHI Guard itself (loop prevention)';
  return undefined;
}

/** The resources a set-aside outcome names: what the record names, else `*`. */
export function namedResources(rule: Rule, record: CloudTrailRecord): string[] {
  try {
    const selection = rule.resourceIds(record);
    if (Array.isArray(selection) && selection.length > 0) return selection;
  } catch {
    // The record is set aside anyway; an unreadable one is reported without ids.
  }
  return ['*'];
}

/**
 * The resources of one type this event is about, or the decision (for `*`) that
 * says why there are none. Resolved once per type, whichever rules of it listen.
 */
export async function resourcesForEvent(
  resource: ResourceType,
  record: CloudTrailRecord,
  ctx: ResourceContext,
): Promise<{ arns: string[] } | { none: Decision }> {
  const selection = resource.resourceIds(record);
  let arns: string[];
  if (Array.isArray(selection)) {
    arns = selection;
  } else {
    try {
      arns = 'lookup' in selection ? await selection.lookup(ctx) : await listAll(resource, ctx);
    } catch (error) {
      return {
        none: {
          status: 'error',
          reason: `finding the resources failed (${selection.because}): ${describeAwsError(error)}`,
        },
      };
    }
  }
  if (arns.length > 0) return { arns };
  const reason = Array.isArray(selection)
    ? 'the record names no resource this rule can act on'
    : 'lookup' in selection
      ? `no resources of this kind found (${selection.because})`
      : `no resources of this kind in ${ctx.region}`;
  return { none: { status: 'ignored', reason } };
}

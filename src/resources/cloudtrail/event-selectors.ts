/**
 * Whether a trail records management events: the events PHI Guard itself runs on.
 * Basic event selectors say so with `IncludeManagementEvents` (a trail without any
 * selector records them); advanced ones with a selector whose `eventCategory`
 * equals `Management`. Read by the trail rule and by the account's coverage check.
 */
import { type AdvancedEventSelector, GetEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { ResourceGoneError } from '../../errors';
import type { ResourceContext } from '../resource-type';
import { cloudtrail, isTrailGone } from './trail';

function advancedIncludesManagement(selectors: readonly AdvancedEventSelector[]): boolean {
  return selectors.some((selector) =>
    (selector.FieldSelectors ?? []).some(
      (field) => field.Field === 'eventCategory' && (field.Equals ?? []).includes('Management'),
    ),
  );
}

export function recordsManagementEvents(ctx: ResourceContext, arn: string): Promise<boolean> {
  return ctx.reads.get(arn, 'cloudtrail:event-selectors', async () => {
    try {
      const out = await ctx.clients.get(cloudtrail).send(new GetEventSelectorsCommand({ TrailName: arn }));
      if (out.AdvancedEventSelectors?.length) return advancedIncludesManagement(out.AdvancedEventSelectors);
      if (!out.EventSelectors?.length) return true;
      return out.EventSelectors.some((selector) => selector.IncludeManagementEvents !== false);
    } catch (error) {
      if (isTrailGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

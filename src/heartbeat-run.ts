import { PutRuleCommand } from '@aws-sdk/client-eventbridge';
import type { ClientPool } from './aws-clients';
import { describeAwsError } from './aws-errors';
import { mapLimited } from './concurrency';
import type { AccountResolver } from './engine/accounts';
import {
  DEFAULT_HEARTBEAT_MINUTES,
  type HeartbeatPlace,
  heartbeatWrite,
  missingHeartbeats,
} from './heartbeat';
import type { Ledger } from './ledger/ledger';
import { MemberRoleError } from './member-accounts';
import { events } from './resources/events/rule';

/** One run of the heartbeat function (or `phiguard heartbeat`): judge what arrived, then send anew. */
export interface HeartbeatRun {
  /** Places whose heartbeat has not arrived for three intervals: the alarm's count. */
  missing: (HeartbeatPlace & { lastArrival?: string })[];
  sent: HeartbeatPlace[];
  /** Places the write failed in (a member role that cannot be assumed, a refusal): they go missing in time. */
  failed: (HeartbeatPlace & { error: string })[];
}

export interface HeartbeatDeps {
  ledger: Ledger;
  clientsFor: ClientPool;
  accounts: AccountResolver;
  stage: string;
  intervalMinutes?: number;
  now?: Date;
}

/**
 * Judges the places against what the registry says arrived (before sending, so
 * this run's heartbeats cannot hide last runs' silence), then writes a heartbeat
 * in each: PHI Guard's own account with its own credentials, any other through its
 * member role.
 */
export async function runHeartbeat(
  places: readonly HeartbeatPlace[],
  deps: HeartbeatDeps,
): Promise<HeartbeatRun> {
  const now = deps.now ?? new Date();
  const missing = missingHeartbeats(
    places,
    await deps.ledger.heartbeats(),
    now,
    deps.intervalMinutes ?? DEFAULT_HEARTBEAT_MINUTES,
  );
  const sent: HeartbeatPlace[] = [];
  const failed: HeartbeatRun['failed'] = [];
  await mapLimited([...places], 8, async (place) => {
    try {
      const member = await deps.accounts.memberAccessFor(place.region, place.account);
      await deps
        .clientsFor(place.region, member)
        .get(events)
        .send(new PutRuleCommand(heartbeatWrite(deps.stage, now)));
      await deps.ledger.recordHeartbeatSent(place, now.toISOString());
      sent.push(place);
    } catch (error) {
      const reason = error instanceof MemberRoleError ? error.message : describeAwsError(error);
      failed.push({ ...place, error: reason });
    }
  });
  return { missing, sent, failed };
}

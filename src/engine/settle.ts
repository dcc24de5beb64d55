import { describeAwsError, isTransientAwsError } from '../aws-errors';
import type { Ledger } from '../ledger/ledger';
import type { EngineLogger } from '../logger';
import { notificationsFor } from '../notify/notification';
import type { NotificationPublisher } from '../notify/queue-publisher';
import type { Outcome } from '../outcome';
import { inRetryRounds } from '../retry-rounds';
import type { Settlement } from '../settlement';

/**
 * The log message of notifications that could not be queued. The stack counts it with
 * a metric filter and raises an alarm (serverless.yml): the one failure PHI Guard logs
 * instead of throwing, so it must not pass unseen.
 */
export const NOTIFICATIONS_NOT_ENQUEUED = 'notifications not enqueued';

/**
 * Rounds of the registry's settlement on top of the SDK's retries (whose token bucket a
 * run of faults drains). A settlement records fixes already made: given up, the retried
 * event finds its resource compliant and the registry never learns that PHI Guard fixed
 * it — the gap the reliability benchmark found for read-backs (see READ_BACK_ROUNDS).
 * Sending it again is safe: history entries have fixed keys, and releases and the
 * event's marker are conditional on the owner.
 */
export const SETTLEMENT_ROUNDS = 4;

export interface SettleDeps {
  ledger: Ledger;
  publisher?: NotificationPublisher;
  logger: EngineLogger;
}

/**
 * The end of every evaluation, for an event and a sweep page alike: the registry
 * records the history entries, releases the claims and settles the event marker
 * (completed, or removed when `failed` so the retry runs again), then people are
 * told. Telling never blocks or undoes a fix: a notification that cannot be queued
 * is logged (and alarmed on), not thrown, because the fix and its audit record
 * stand and a retried event would be a duplicate that notifies nothing.
 */
export async function settleAndNotify(
  deps: SettleDeps,
  settlement: Settlement,
  result: { eventId?: string; failed: boolean; outcomes: readonly Outcome[] },
): Promise<void> {
  await inRetryRounds(
    () =>
      deps.ledger.complete({
        eventId: result.eventId,
        owner: settlement.owner,
        failed: result.failed,
        entries: settlement.entries,
        releases: settlement.releases,
      }),
    { rounds: SETTLEMENT_ROUNDS, retryable: isTransientAwsError },
  );
  if (!deps.publisher) return;
  const notifications = notificationsFor(result.outcomes);
  if (notifications.length === 0) return;
  try {
    await deps.publisher.publish(notifications);
  } catch (error) {
    deps.logger.error(NOTIFICATIONS_NOT_ENQUEUED, {
      notifications: notifications.length,
      error: describeAwsError(error),
      rules: [...new Set(notifications.map((n) => n.rule))],
    });
  }
}

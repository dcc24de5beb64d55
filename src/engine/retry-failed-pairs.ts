import { setTimeout as wait } from 'node:timers/promises';
import type { Outcome } from '../outcome';
import type { Settlement } from '../settlement';
import type { EvaluationPair } from './evaluate-pairs';

/** Rounds of evaluating a page's failed pairs again. */
export const RETRY_ROUNDS = 2;

/**
 * A sweep page's second chance. A pair that ended in `error` (throttled past its
 * attempts, a write whose answer was lost and whose read-back shows it did not land)
 * is evaluated once more after a back-off, before the page is settled: under faults a
 * sweep then fixes in one run what it would otherwise leave for the next one, an
 * hour later (issue 15: at 20 % faults, 39–53 of 60 drifted buckets were fixed by
 * the first run). Only the failed pairs go again — a rule of the same resource that
 * already fixed its part keeps its `remediated` outcome. The first attempt's history
 * entry and claim release are taken out of the settlement; the retry claims again
 * as the same owner (granted) and leaves its own.
 */
export async function retryFailedPairs(
  pairs: readonly EvaluationPair[],
  outcomes: Outcome[],
  settlement: Settlement,
  options: {
    afterMs: number;
    /** The name the registry knows a resource by (its claim's key). */
    registryName: (arn: string) => string;
    evaluate: (pairs: readonly EvaluationPair[]) => Promise<Outcome[]>;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<number> {
  const failed = outcomes.flatMap((outcome, i) => (outcome?.status === 'error' ? [i] : []));
  if (failed.length === 0) return 0;
  const retried = new Set(failed.map((i) => outcomes[i]?.historyId).filter(Boolean));
  const released = new Set(
    failed.map((i) => {
      const pair = pairs[i] as EvaluationPair;
      return `${pair.rule.id}\u0000${options.registryName(pair.arn)}`;
    }),
  );
  removeWhere(settlement.entries, (entry) => retried.has(entry.id));
  removeWhere(settlement.releases, (release) => released.has(`${release.rule}\u0000${release.resource}`));
  // Full jitter around the back-off, so the shards of one sweep do not retry in step.
  await (options.sleep ?? ((ms: number) => wait(ms)))(options.afterMs * (0.5 + Math.random()));
  const again = failed.map((i) => pairs[i] as EvaluationPair);
  for (const pair of again) pair.ctx.reads.invalidate(pair.arn);
  const second = await options.evaluate(again);
  failed.forEach((i, n) => {
    outcomes[i] = second[n] as Outcome;
  });
  return failed.length;
}

function removeWhere<T>(items: T[], drop: (item: T) => boolean): void {
  for (let i = items.length - 1; i >= 0; i--) if (drop(items[i] as T)) items.splice(i, 1);
}

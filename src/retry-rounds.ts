import { setTimeout as wait } from 'node:timers/promises';

/**
 * Rounds of attempts on top of the SDK's own retries, for the few calls where giving
 * up loses something: a notification already sent to Slack whose delivery marker is
 * not yet written (a retry would send it twice), a batch of notifications the queue
 * refused. The SDK's retries share one token bucket per client, which a burst of
 * faults drains; these rounds wait with full jitter and try again regardless.
 */
export interface RetryRoundsOptions {
  /** Rounds in all, the first included. */
  rounds: number;
  /** Back-off before round n (n ≥ 2): a random wait up to min(maxMs, baseMs · 2^(n-2)). */
  baseMs?: number;
  maxMs?: number;
  /** Whether another round can help; errors it refuses are thrown at once. */
  retryable: (error: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
}

export async function inRetryRounds<T>(
  attempt: (round: number) => Promise<T>,
  options: RetryRoundsOptions,
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => wait(ms));
  const base = options.baseMs ?? 100;
  const max = options.maxMs ?? 2_000;
  for (let round = 1; ; round++) {
    try {
      return await attempt(round);
    } catch (error) {
      if (round >= options.rounds || !options.retryable(error)) throw error;
      await sleep(Math.random() * Math.min(max, base * 2 ** (round - 1)));
    }
  }
}

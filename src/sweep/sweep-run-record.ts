import type { SweepShardReport } from '../ledger/ledger';
import { type Outcome, REMAINING_STATUSES } from '../outcome';
import type { Shard } from './shard';

/** One invocation's part of a scheduled sweep's shard, as the run's record counts it (phiguard status). */
export function sweepShardReport(
  shard: Shard,
  ended: SweepShardReport['ended'],
  outcomes: readonly Outcome[],
  at: Date = new Date(),
): SweepShardReport {
  return {
    runId: shard.runId,
    ...(shard.startedAt ? { startedAt: shard.startedAt } : {}),
    ...(shard.total ? { shardsPlanned: shard.total } : {}),
    at: at.toISOString(),
    ended,
    checked: outcomes.length,
    findings: outcomes.filter((o) => REMAINING_STATUSES.has(o.status)).length,
    errors: outcomes.filter((o) => o.status === 'error').length,
  };
}

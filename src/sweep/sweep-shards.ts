import { describeAwsError } from '../aws-errors';
import { mapLimited } from '../concurrency';
import { PhiGuardError } from '../errors';
import type { Outcome } from '../outcome';
import type { Shard } from './shard';
import type { ShardProgress, Sweeper } from './sweeper';

/** A shard a sweep could not run: its resources were not checked. */
export interface ShardFailure {
  account: string;
  region: string;
  resourceType: string;
  error: string;
}

/** Shards swept at once by one process (each runs its own resources concurrently). */
const SHARDS_AT_ONCE = 4;

/**
 * Every shard through the sweeper, a few at a time. A member role that cannot be
 * assumed (or a listing that fails) loses that shard, not the sweep: it comes back
 * as a failure, for the caller to report as incomplete.
 */
export async function sweepShards(
  sweeper: Sweeper,
  shards: readonly Shard[],
  progress: { onPage?: (page: ShardProgress) => void; onShardDone?: () => void } = {},
): Promise<{ outcomes: Outcome[]; failures: ShardFailure[] }> {
  const failures: ShardFailure[] = [];
  const results = await mapLimited(shards, SHARDS_AT_ONCE, async (shard) => {
    try {
      return await sweeper.runShard(shard, progress.onPage ? { onPage: progress.onPage } : {});
    } catch (error) {
      failures.push({
        account: shard.account,
        region: shard.region,
        resourceType: shard.resourceType,
        error: error instanceof PhiGuardError ? error.message : describeAwsError(error),
      });
      return { outcomes: [], pages: 0 };
    } finally {
      progress.onShardDone?.();
    }
  });
  return { outcomes: results.flatMap((r) => r.outcomes), failures };
}

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { rules } from '../remediations';
import { createLambdaEngine } from '../src/lambda-engine';
import type { SweepShardReport } from '../src/ledger/ledger';
import { createLambdaLogger } from '../src/logger';
import type { Outcome } from '../src/outcome';
import { loadSweepSettings } from '../src/sweep/settings';
import { type Shard, shardSchema } from '../src/sweep/shard';
import { enqueueShards } from '../src/sweep/shard-queue';
import { sweepShardReport } from '../src/sweep/sweep-run-record';
import { Sweeper } from '../src/sweep/sweeper';

/**
 * Sweep queue → one shard: every rule of one resource type in one region,
 * through the same registry and notifier as events. Before the Lambda's time
 * runs out the shard stops after its current page and continues in a new
 * message from its pagination token, so no account is too large.
 */
const logger = createLambdaLogger();
const settings = loadSweepSettings();
const engine = createLambdaEngine(logger, rules);
const sweeper = new Sweeper(engine, { concurrency: settings.concurrency, pageSize: settings.pageSize });
const sqs = new SQSClient({ maxAttempts: 5 });

/**
 * The run's record for `phiguard status`. Bookkeeping: a failed write is logged,
 * never a reason to sweep the shard again.
 */
async function recordShard(
  shard: Shard,
  result: { ended: SweepShardReport['ended']; outcomes: readonly Outcome[] },
) {
  try {
    await engine.ledger.recordSweepShard(sweepShardReport(shard, result.ended, result.outcomes));
  } catch (error) {
    logger.warn('sweep run record not written', { runId: shard.runId, error: (error as Error)?.name });
  }
}

export async function onShards(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    let shard: Shard;
    try {
      shard = shardSchema.parse(JSON.parse(record.body));
    } catch {
      logger.error('malformed sweep shard', { messageId: record.messageId });
      failures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      const deadline = Date.now() + context.getRemainingTimeInMillis() - settings.reserveMs;
      const result = await sweeper.runShard(shard, { deadline });
      if (result.next)
        await enqueueShards(sqs, settings.queueUrl, [{ ...shard, token: result.next, pages: result.pages }]);
      const counts: Record<string, number> = {};
      for (const o of result.outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
      await recordShard(shard, { ended: result.next ? 'continues' : 'done', outcomes: result.outcomes });
      logger.info('sweep shard done', {
        runId: shard.runId,
        region: shard.region,
        resourceType: shard.resourceType,
        pages: result.pages,
        continued: Boolean(result.next),
        counts,
      });
    } catch (error) {
      // The shard is retried from its own token (nothing before it is lost: pages are settled as they go).
      logger.error('sweep shard failed', {
        runId: shard.runId,
        region: shard.region,
        resourceType: shard.resourceType,
        error: (error as Error)?.name,
      });
      await recordShard(shard, { ended: 'failed', outcomes: [] });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}

export const handler = middy(onShards).use(injectLambdaContext(logger));

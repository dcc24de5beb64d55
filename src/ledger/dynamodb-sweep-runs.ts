import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SweepRun, SweepShardReport } from './ledger';
import { queryPartition } from './query-partition';

/**
 * Scheduled sweeps in the registry table, one item per run, under one partition
 * so `phiguard status` reads the recent runs in one query. Each worker adds its
 * invocation's part of a shard (a shard counts as done when its listing ends; a
 * failed attempt is counted apart: the shard is retried).
 * Kept 30 days.
 *
 * pk / sk              item
 * SWEEP / <runId>      startedAt, shardsPlanned, shardsDone, checked, findings, errors, failedAttempts, lastShardAt
 */
const PK = 'SWEEP';
const KEEP_SECONDS = 30 * 86_400;

export async function recordSweepShard(
  doc: DynamoDBDocumentClient,
  table: string,
  report: SweepShardReport,
): Promise<void> {
  const adds = [
    'checked :checked, findings :findings, errors :errors',
    ...(report.ended === 'done' ? ['shardsDone :one'] : []),
    ...(report.ended === 'failed' ? ['failedAttempts :one'] : []),
  ].join(', ');
  await doc.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: PK, sk: report.runId },
      UpdateExpression: `SET startedAt = if_not_exists(startedAt, :started), shardsPlanned = if_not_exists(shardsPlanned, :planned), lastShardAt = :at, expiresAt = :ttl ADD ${adds}`,
      ExpressionAttributeValues: {
        ':started': report.startedAt ?? report.at,
        ':planned': report.shardsPlanned ?? 0,
        ':at': report.at,
        ':ttl': Math.floor(Date.parse(report.at) / 1000) + KEEP_SECONDS,
        ':checked': report.checked,
        ':findings': report.findings,
        ':errors': report.errors,
        ...(report.ended === 'continues' ? {} : { ':one': 1 }),
      },
    }),
  );
}

/** Newest first. */
export async function querySweepRuns(doc: DynamoDBDocumentClient, table: string): Promise<SweepRun[]> {
  const runs: SweepRun[] = (await queryPartition(doc, table, PK)).map((item) => ({
    runId: String(item.sk),
    startedAt: String(item.startedAt),
    shardsPlanned: Number(item.shardsPlanned ?? 0),
    shardsDone: Number(item.shardsDone ?? 0),
    checked: Number(item.checked ?? 0),
    findings: Number(item.findings ?? 0),
    errors: Number(item.errors ?? 0),
    failedAttempts: Number(item.failedAttempts ?? 0),
    lastShardAt: String(item.lastShardAt),
  }));
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

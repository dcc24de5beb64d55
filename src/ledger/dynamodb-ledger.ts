// Above 300 lines on purpose: the event marker, the claim and the settlement write one
// table's items and are composed into single transactions (the 3-call budget per event);
// split across files, each transaction would be assembled in pieces. History queries live
// in dynamodb-history.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { chunksOf } from '../chunks';
import { mapLimited } from '../concurrency';
import type { HeartbeatPlace, HeartbeatRecord } from '../heartbeat';
import { queryHeartbeats, recordHeartbeatArrival, recordHeartbeatSent } from './dynamodb-heartbeats';
import { historyKey, queryHistory } from './dynamodb-history';
import { querySweepRuns, recordSweepShard } from './dynamodb-sweep-runs';
import { putInProgressMarker } from './in-progress-marker';
import {
  type ClaimMemory,
  type ClaimRelease,
  type ClaimResult,
  DEFAULT_LEDGER_SETTINGS,
  type EventBegin,
  type HistoryEntry,
  type HistoryQuery,
  type Ledger,
  type LedgerSettings,
  pairKey,
  type SweepRun,
  type SweepShardReport,
} from './ledger';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limits: 100 actions per TransactWriteItems, 100 keys per BatchGetItem, 25 puts per BatchWriteItem. */
const MAX_TRANSACTION_ITEMS = 100;
const MAX_BATCH_GET_KEYS = 100;
const MAX_BATCH_WRITE_ITEMS = 25;
/** BatchGetItem calls of one recall in flight at once. */
const RECALL_CONCURRENCY = 4;

const DAY_SECONDS = 86_400;

/** Before retrying what a batch call left unprocessed: 100 ms, doubling, at most 1 s. */
function backOff(attempt: number): Promise<void> {
  return sleep(Math.min(1000, 50 * 2 ** attempt));
}

/**
 * The action registry in one DynamoDB table (see table-schema.ts), with
 * conditional writes and no read-before-write:
 *
 * - a new drift costs 3 calls: PutItem (event marker), UpdateItem (claim, which
 *   also returns the recent remediations for fight detection), and one
 *   TransactWriteItems (history + claim release + marker completion);
 * - a duplicate delivery costs 1: the failed conditional PutItem returns the old
 *   marker, which says whether the event is done or in progress;
 * - a compliant resource costs 3 as well, but no lock and no transaction: PutItem
 *   (marker), one BatchGetItem of the claim items (after the resource's reads, to
 *   catch a finding that just resolved) and one BatchWriteItem (history + marker
 *   completed). Compliant events are most events; this is a third of the write
 *   units of the claimed path.
 *
 * Powertools Idempotency was considered for the event marker; it spends its own
 * get/put/update around the handler and cannot fold completion into the same
 * transaction as the history and the claim release, which this design needs
 * for the 3-call budget and for an atomic audit record.
 */
export class DynamoDbLedger implements Ledger {
  readonly description: string;
  private readonly doc: DynamoDBDocumentClient;
  private readonly settings: LedgerSettings;
  private readonly now: () => number;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient,
    settings: Partial<LedgerSettings> = {},
    now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.description = `DynamoDB table ${tableName}`;
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.settings = { ...DEFAULT_LEDGER_SETTINGS, ...settings };
    this.now = now;
  }

  async beginEvent(eventId: string, owner: string): Promise<EventBegin> {
    // Past its de-dup window an event id may be reused (TTL deletion is lazy, so the marker may linger).
    const begun = await putInProgressMarker(this.doc, {
      tableName: this.tableName,
      key: { pk: `EVENT#${eventId}`, sk: 'EVENT' },
      owner,
      now: this.now(),
      lockSeconds: this.settings.lockSeconds,
      ttlSeconds: this.settings.dedupSeconds,
      reuseAfterExpiry: true,
    });
    if (begun === 'new') return { state: 'new' };
    return { state: 'duplicate', of: begun.status === 'COMPLETED' ? 'completed' : 'in-progress' };
  }

  async recall(pairs: readonly { rule: string; resource: string }[]): Promise<Map<string, ClaimMemory>> {
    const found = new Map<string, ClaimMemory>();
    const byKey = new Map(pairs.map((p) => [claimKey(p.rule, p.resource), pairKey(p.rule, p.resource)]));
    const keys = [...byKey.keys()].map((pk) => ({ pk, sk: 'CLAIM' }));
    // A sweep page asks about thousands of pairs: a few batches at a time, not one after another.
    await mapLimited(chunksOf(keys, MAX_BATCH_GET_KEYS), RECALL_CONCURRENCY, async (chunk) => {
      let wanted: Record<string, unknown>[] | undefined = chunk;
      for (let attempt = 0; wanted && wanted.length > 0; attempt++) {
        if (attempt > 0) await backOff(attempt);
        const out: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: wanted,
                // Strongly consistent: a release written a moment ago must be seen.
                ConsistentRead: true,
                ProjectionExpression: 'pk, openTickets, lastStatus, lastStatusAt',
              },
            },
          }),
        );
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const openTickets = item.openTickets as Set<string> | undefined;
          const lastStatus = item.lastStatus as string | undefined;
          const pair = byKey.get(String(item.pk));
          if (!pair) continue;
          found.set(pair, {
            ticketOpen: (openTickets?.size ?? 0) > 0,
            last: lastStatus ? { status: lastStatus, at: Number(item.lastStatusAt ?? 0) } : undefined,
          });
        }
        wanted = out.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    });
    return found;
  }

  async claim(rule: string, resource: string, owner: string): Promise<ClaimResult> {
    const now = this.now();
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: claimKey(rule, resource), sk: 'CLAIM' },
          UpdateExpression: 'SET lockOwner = :owner, lockUntil = :until, expiresAt = :ttl',
          // The same owner may claim again: the SDK re-sends a claim whose answer was lost,
          // and that claim must not find itself "held by another" until its lock expires.
          ConditionExpression: 'attribute_not_exists(lockOwner) OR lockUntil < :now OR lockOwner = :owner',
          ExpressionAttributeValues: {
            ':owner': owner,
            ':until': now + this.settings.lockSeconds,
            ':ttl': now + this.settings.fightWindowSeconds + DAY_SECONDS,
            ':now': now,
          },
          // The item as it was: everything the claim does not change, and whether an
          // unreleased lock (a holder that died) was taken over.
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const times = (out.Attributes?.remediatedAt as number[] | undefined) ?? [];
      const openTickets = out.Attributes?.openTickets as Set<string> | undefined;
      const lastStatus = out.Attributes?.lastStatus as string | undefined;
      return {
        acquired: true,
        recentRemediations: times.filter((t) => t > now - this.settings.fightWindowSeconds),
        ticketOpen: (openTickets?.size ?? 0) > 0,
        last: lastStatus ? { status: lastStatus, at: Number(out.Attributes?.lastStatusAt ?? 0) } : undefined,
        tookOver: out.Attributes?.lockOwner !== undefined && out.Attributes.lockOwner !== owner,
      };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const until = Number(
        (error.Item as Record<string, { N?: string }> | undefined)?.lockUntil?.N ?? now + 1,
      );
      return { acquired: false, heldUntil: until };
    }
  }

  async complete({
    eventId,
    owner,
    failed,
    entries,
    releases,
  }: Parameters<Ledger['complete']>[0]): Promise<void> {
    const now = this.now();
    if (!eventId) return this.settlePage(entries, releases, now);
    if (releases.length === 0 && !failed) return this.settleReadOnlyEvent(eventId, owner, entries, now);
    const items: TransactItem[] = entries.map((entry) => ({
      Put: { TableName: this.tableName, Item: this.historyItem(entry, now) },
    }));
    for (const release of releases) items.push({ Update: this.releaseUpdate(release, now) });
    if (eventId) {
      const key = { pk: `EVENT#${eventId}`, sk: 'EVENT' };
      items.push(
        failed
          ? // Forget the event so Lambda's retry of it runs again instead of being a duplicate.
            {
              Delete: {
                TableName: this.tableName,
                Key: key,
                ConditionExpression: '#owner = :owner',
                ExpressionAttributeNames: { '#owner': 'owner' },
                ExpressionAttributeValues: { ':owner': owner },
              },
            }
          : {
              Update: {
                TableName: this.tableName,
                Key: key,
                UpdateExpression: 'SET #status = :completed REMOVE lockUntil',
                ConditionExpression: '#owner = :owner',
                ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
                ExpressionAttributeValues: { ':completed': 'COMPLETED', ':owner': owner },
              },
            },
      );
    }
    for (const chunk of chunksOf(items, MAX_TRANSACTION_ITEMS)) await this.transact(chunk);
  }

  async forgetEvent(eventId: string, owner: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: `EVENT#${eventId}`, sk: 'EVENT' },
          ConditionExpression: '#owner = :owner AND #status = :inProgress',
          ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
          ExpressionAttributeValues: { ':owner': owner, ':inProgress': 'IN_PROGRESS' },
        }),
      );
    } catch (error) {
      // Completed after all, or taken over by a redelivery: theirs stands.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * An event that claimed nothing changed nothing (every resource was compliant or
   * gone): its history and its completed marker go in one BatchWriteItem, the
   * marker last. The marker is overwritten, not updated on condition: the only
   * other owner it can have is a redelivery of this very event that took over an
   * expired lock, and it reads the same live state.
   */
  private async settleReadOnlyEvent(
    eventId: string,
    owner: string,
    entries: readonly HistoryEntry[],
    now: number,
  ): Promise<void> {
    const marker = {
      pk: `EVENT#${eventId}`,
      sk: 'EVENT',
      status: 'COMPLETED',
      owner,
      expiresAt: now + this.settings.dedupSeconds,
    };
    await this.batchPut([...entries.map((entry) => this.historyItem(entry, now)), marker]);
  }

  /** BatchWriteItem puts, 25 at a time, unprocessed items retried with back-off, in order. */
  private async batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
    for (const chunk of chunksOf(items, MAX_BATCH_WRITE_ITEMS)) {
      let requests: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = chunk.map((Item) => ({
        PutRequest: { Item },
      }));
      for (let attempt = 0; requests && requests.length > 0; attempt++) {
        if (attempt > 0) await backOff(attempt);
        const out: BatchWriteCommandOutput = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = out.UnprocessedItems?.[this.tableName] as typeof requests;
      }
    }
  }

  /**
   * A sweep page has no event marker to settle atomically with its entries:
   * history goes in batches of 25 (half the write cost of a transaction) and each
   * claim is released on its own, conditional on still being ours.
   */
  private async settlePage(
    entries: readonly HistoryEntry[],
    releases: Parameters<Ledger['complete']>[0]['releases'],
    now: number,
  ): Promise<void> {
    await this.batchPut(entries.map((entry) => this.historyItem(entry, now)));
    await Promise.all(
      releases.map(async (release) => {
        try {
          await this.doc.send(new UpdateCommand(this.releaseUpdate(release, now)));
        } catch (error) {
          // Taken over after our lock expired: the newer claim stands.
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }),
    );
  }

  /**
   * Releases a claim and remembers how it ended (remediation times for fight
   * detection, last status for reminders), only if the claim is still ours: if it
   * expired and another invocation took it, theirs stands.
   */
  private releaseUpdate(release: ClaimRelease, now: number) {
    return {
      TableName: this.tableName,
      Key: { pk: claimKey(release.rule, release.resource), sk: 'CLAIM' },
      UpdateExpression:
        'SET remediatedAt = :times, lastStatus = :status, lastStatusAt = :now REMOVE lockOwner, lockUntil',
      ConditionExpression: 'lockOwner = :owner',
      ExpressionAttributeValues: {
        ':times': [...release.recentRemediations, ...(release.remediated ? [now] : [])],
        ':owner': release.owner,
        ':status': release.status,
        ':now': now,
      },
    };
  }

  /** One transaction; conditions that no longer hold (a claim taken over) are dropped, the rest retried once. */
  private async transact(items: TransactItem[]): Promise<void> {
    if (items.length === 0) return;
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const kept = items.filter((_, i) => reasons[i]?.Code !== 'ConditionalCheckFailed');
      if (kept.length === items.length || kept.length === 0) {
        if (kept.length === 0) return;
        throw error;
      }
      await this.doc.send(new TransactWriteCommand({ TransactItems: kept }));
    }
  }

  private historyItem(entry: HistoryEntry, now: number): Record<string, unknown> {
    return {
      ...entry,
      ...historyKey(entry),
      gsi1pk: `DAY#${entry.time.slice(0, 10)}`,
      gsi1sk: `${entry.time}#${entry.rule}#${entry.resource}#${entry.id}`,
      expiresAt: now + this.settings.historyRetentionDays * DAY_SECONDS,
    };
  }

  async history(query: HistoryQuery): Promise<HistoryEntry[]> {
    return queryHistory(this.doc, this.tableName, query, this.now());
  }

  recordHeartbeatSent(place: HeartbeatPlace, at: string): Promise<void> {
    return recordHeartbeatSent(this.doc, this.tableName, place, at);
  }

  recordHeartbeatArrival(arrival: HeartbeatPlace & { sentAt?: string }, at: string): Promise<void> {
    return recordHeartbeatArrival(this.doc, this.tableName, arrival, at);
  }

  heartbeats(): Promise<HeartbeatRecord[]> {
    return queryHeartbeats(this.doc, this.tableName);
  }

  recordSweepShard(report: SweepShardReport): Promise<void> {
    return recordSweepShard(this.doc, this.tableName, report);
  }

  sweepRuns(): Promise<SweepRun[]> {
    return querySweepRuns(this.doc, this.tableName);
  }
}

export function claimKey(rule: string, resource: string): string {
  return `CLAIM#${rule}#${resource}`;
}

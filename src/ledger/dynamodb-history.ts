import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { HistoryEntry, HistoryQuery } from './ledger';
import { HISTORY_BY_DAY_INDEX } from './table-schema';

const DAY_SECONDS = 86_400;

/**
 * The audit trail as stored in the registry table: each entry under its resource
 * (newest first within a resource's partition), and by day in an index for "what
 * happened lately" across resources. Newest first; by default the last 30 days.
 */
export async function queryHistory(
  doc: DynamoDBDocumentClient,
  tableName: string,
  query: HistoryQuery,
  now: number,
): Promise<HistoryEntry[]> {
  const limit = query.limit ?? 100;
  const since = query.since ?? new Date((now - 30 * DAY_SECONDS) * 1000).toISOString();
  const ruleFilter = query.rule
    ? { FilterExpression: '#rule = :rule', ExpressionAttributeNames: { '#rule': 'rule' } }
    : {};
  const ruleValue = query.rule ? { ':rule': query.rule } : {};
  if (query.resource) {
    return queryAll(
      doc,
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk >= :since',
        ExpressionAttributeValues: { ':pk': `HIST#${query.resource}`, ':since': since, ...ruleValue },
        ScanIndexForward: false,
        ...ruleFilter,
      },
      limit,
    );
  }
  const found: HistoryEntry[] = [];
  // Newest day first, back to `since`; each day is one partition of the index.
  for (
    let day = new Date(now * 1000);
    found.length < limit;
    day = new Date(day.getTime() - DAY_SECONDS * 1000)
  ) {
    const dayKey = day.toISOString().slice(0, 10);
    if (dayKey < since.slice(0, 10)) break;
    found.push(
      ...(await queryAll(
        doc,
        {
          TableName: tableName,
          IndexName: HISTORY_BY_DAY_INDEX,
          KeyConditionExpression: 'gsi1pk = :day AND gsi1sk >= :since',
          ExpressionAttributeValues: { ':day': `DAY#${dayKey}`, ':since': since, ...ruleValue },
          ScanIndexForward: false,
          ...ruleFilter,
        },
        limit - found.length,
      )),
    );
  }
  return found;
}

async function queryAll(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit: number,
): Promise<HistoryEntry[]> {
  const found: HistoryEntry[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) found.push(toEntry(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey && found.length < limit);
  return found.slice(0, limit);
}

/** Where a history entry is stored; the notifier uses it to attach a ticket key. */
export function historyKey(entry: Pick<HistoryEntry, 'resource' | 'time' | 'rule' | 'id'>): {
  pk: string;
  sk: string;
} {
  return { pk: `HIST#${entry.resource}`, sk: `${entry.time}#${entry.rule}#${entry.id}` };
}

function toEntry(item: Record<string, unknown>): HistoryEntry {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, expiresAt: _ttl, ...entry } = item;
  return entry as unknown as HistoryEntry;
}

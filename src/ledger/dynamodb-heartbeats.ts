import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HeartbeatPlace, HeartbeatRecord } from '../heartbeat';
import { queryPartition } from './query-partition';

/**
 * Heartbeats in the registry table: one item per (account, Region), under one
 * partition so the heartbeat function reads them all in one query.
 *
 * pk / sk                          item
 * HEARTBEAT / <account>#<region>   firstSentAt, lastSentAt (heartbeat function); arrivedAt, arrivedSentAt (event function)
 */
const PK = 'HEARTBEAT';
const keyOf = (place: HeartbeatPlace) => ({ pk: PK, sk: `${place.account}#${place.region}` });

export async function recordHeartbeatSent(
  doc: DynamoDBDocumentClient,
  table: string,
  place: HeartbeatPlace,
  at: string,
): Promise<void> {
  await doc.send(
    new UpdateCommand({
      TableName: table,
      Key: keyOf(place),
      UpdateExpression: 'SET firstSentAt = if_not_exists(firstSentAt, :at), lastSentAt = :at',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

/** Keeps the latest arrival: a late, redelivered heartbeat never moves it back. */
export async function recordHeartbeatArrival(
  doc: DynamoDBDocumentClient,
  table: string,
  arrival: HeartbeatPlace & { sentAt?: string },
  at: string,
): Promise<void> {
  try {
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: keyOf(arrival),
        UpdateExpression: arrival.sentAt
          ? 'SET arrivedAt = :at, arrivedSentAt = :sent'
          : 'SET arrivedAt = :at REMOVE arrivedSentAt',
        ConditionExpression: 'attribute_not_exists(arrivedAt) OR arrivedAt < :at',
        ExpressionAttributeValues: { ':at': at, ...(arrival.sentAt ? { ':sent': arrival.sentAt } : {}) },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export async function queryHeartbeats(
  doc: DynamoDBDocumentClient,
  table: string,
): Promise<HeartbeatRecord[]> {
  return (await queryPartition(doc, table, PK)).map((item) => {
    const [account, region] = String(item.sk).split('#') as [string, string];
    return {
      account,
      region,
      ...(item.firstSentAt ? { firstSentAt: String(item.firstSentAt) } : {}),
      ...(item.lastSentAt ? { lastSentAt: String(item.lastSentAt) } : {}),
      ...(item.arrivedAt ? { arrivedAt: String(item.arrivedAt) } : {}),
      ...(item.arrivedSentAt ? { arrivedSentAt: String(item.arrivedSentAt) } : {}),
    };
  });
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * "I am doing this now": a conditional put of an IN_PROGRESS marker that only
 * succeeds when there is none, or when its holder died (lock expired), or when the
 * holder is `owner` itself (the SDK re-sends a put whose answer was lost; refusing it
 * would leave the work waiting for the lock to expire), or, with `reuseAfterExpiry`,
 * when the marker is past its TTL (DynamoDB deletes lazily).
 * One call either way: on failure the old marker comes back with the error.
 *
 * Returns 'new' (ours now), or the status of the marker in the way.
 */
export async function putInProgressMarker(
  doc: DynamoDBDocumentClient,
  input: {
    tableName: string;
    key: { pk: string; sk: string };
    owner: string;
    now: number;
    lockSeconds: number;
    ttlSeconds: number;
    reuseAfterExpiry?: boolean;
  },
): Promise<'new' | { status: string | undefined }> {
  const { now } = input;
  try {
    await doc.send(
      new PutCommand({
        TableName: input.tableName,
        Item: {
          ...input.key,
          status: 'IN_PROGRESS',
          owner: input.owner,
          lockUntil: now + input.lockSeconds,
          expiresAt: now + input.ttlSeconds,
        },
        ConditionExpression: `attribute_not_exists(pk) OR (#status = :inProgress AND (lockUntil < :now OR #owner = :owner))${
          input.reuseAfterExpiry ? ' OR expiresAt < :now' : ''
        }`,
        ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
        ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS', ':now': now, ':owner': input.owner },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'new';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { status: (error.Item as Record<string, { S?: string }> | undefined)?.status?.S };
  }
}

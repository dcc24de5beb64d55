import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { hasErrorCode } from '../aws-errors';
import { LEDGER_TABLE_SCHEMA, TTL_ATTRIBUTE } from './table-schema';

/**
 * `phiguard ledger init`: creates the action registry table (same keys, index
 * and TTL as the stack's), encrypted with KMS, with point-in-time recovery and
 * deletion protection; on an existing table it only makes sure TTL and PITR are on.
 */
export async function initLedgerTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'exists'> {
  let result: 'created' | 'exists' = 'created';
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        ...LEDGER_TABLE_SCHEMA,
        AttributeDefinitions: [...LEDGER_TABLE_SCHEMA.AttributeDefinitions],
        KeySchema: [...LEDGER_TABLE_SCHEMA.KeySchema],
        GlobalSecondaryIndexes: LEDGER_TABLE_SCHEMA.GlobalSecondaryIndexes.map((index) => ({
          ...index,
          KeySchema: [...index.KeySchema],
        })),
        SSESpecification: { Enabled: true, SSEType: 'KMS' },
        DeletionProtectionEnabled: true,
        Tags: [{ Key: 'app', Value: 'phiguard' }],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException) && !hasErrorCode(error, 'ResourceInUseException'))
      throw error;
    result = 'exists';
  }
  await waitUntilTableExists(
    { client, maxWaitTime: 120, minDelay: 1, maxDelay: 5 },
    { TableName: tableName },
  );
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (error) {
    // Re-enabling TTL on a table that has it is a ValidationException: nothing to do.
    if (!hasErrorCode(error, 'ValidationException')) throw error;
  }
  await client.send(
    new UpdateContinuousBackupsCommand({
      TableName: tableName,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    }),
  );
  return result;
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PhiGuardConfig } from '../config';
import { DynamoDbLedger } from './dynamodb-ledger';
import type { Ledger } from './ledger';
import { MemoryLedger } from './memory-ledger';

/**
 * The configured action registry: the DynamoDB table named by
 * PHIGUARD_LEDGER_TABLE, else an in-memory one (callers decide whether that is
 * acceptable: the CLI says so once, the Lambda refuses to start).
 */
export function createLedger(config: PhiGuardConfig, client?: DynamoDBClient): Ledger {
  if (!config.ledgerTable) return new MemoryLedger(config.ledger);
  return createTableLedger(config.ledgerTable, config, client);
}

/** The registry in its DynamoDB table: what every Lambda uses (so their bundles carry no in-memory registry). */
export function createTableLedger(table: string, config: PhiGuardConfig, client?: DynamoDBClient): Ledger {
  return new DynamoDbLedger(table, client ?? new DynamoDBClient({ maxAttempts: 4 }), config.ledger);
}

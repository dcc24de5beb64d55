import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The action registry's table: the single source of its shape for
 * `phiguard ledger init` and for serverless.yml (a contract test compares them).
 *
 * pk / sk                         item
 * EVENT#<event id> / EVENT        de-duplication marker (TTL: hours)
 * CLAIM#<rule>#<arn> / CLAIM      claim + recent remediation times (TTL: a day)
 * HIST#<arn> / <time>#<rule>#<n>  history entry (TTL: six years); index byDay: DAY#<date> / <time>#…
 */
export const HISTORY_BY_DAY_INDEX = 'byDay';
export const TTL_ATTRIBUTE = 'expiresAt';

export const LEDGER_TABLE_SCHEMA = {
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'gsi1pk', AttributeType: 'S' },
    { AttributeName: 'gsi1sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: HISTORY_BY_DAY_INDEX,
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  BillingMode: 'PAY_PER_REQUEST',
} as const satisfies Omit<CreateTableCommandInput, 'TableName'>;

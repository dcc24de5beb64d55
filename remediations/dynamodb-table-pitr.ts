/**
 * §164.308(a)(7)(ii)(A) Data backup plan: retrievable exact copies of ePHI. A
 * DynamoDB table holding PHI keeps point-in-time recovery on, so any second of the
 * last 35 days can be restored after a bad write or a deletion of items. Turning
 * it on costs storage, never availability: the fix is automatic.
 *
 * Events: CreateTable (a new table starts without it) and UpdateContinuousBackups
 * (turning it off). A table still being created cannot take the setting yet: its
 * read waits for the table (the SDK's TableExists waiter) before it decides.
 */
import {
  DescribeContinuousBackupsCommand,
  UpdateContinuousBackupsCommand,
  waitForTableExists,
} from '@aws-sdk/client-dynamodb';
import { hasErrorCode } from '../src/aws-errors';
import { ResourceGoneError } from '../src/errors';
import { awsCall } from '../src/planned-action';
import { dynamodb, dynamodbTable, isTableGone, tableNameOf } from '../src/resources/dynamodb/table';
import type { ResourceContext } from '../src/resources/resource-type';
import { defineRule } from '../src/rule';

/** How long a table that is still being created is waited for. */
export const TABLE_ACTIVE_WAIT = { maxWaitTime: 30, minDelay: 1, maxDelay: 5 };

interface Observed {
  pointInTimeRecovery: string;
}

async function pointInTimeRecoveryOf(ctx: ResourceContext, arn: string): Promise<string> {
  const client = ctx.clients.get(dynamodb);
  const TableName = tableNameOf(arn);
  const read = async () =>
    (await client.send(new DescribeContinuousBackupsCommand({ TableName }))).ContinuousBackupsDescription
      ?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ?? 'DISABLED';
  try {
    try {
      return await read();
    } catch (error) {
      // A table that is still CREATING has no backups to describe yet.
      if (!hasErrorCode(error, 'ContinuousBackupsUnavailableException')) throw error;
      await waitForTableExists({ client, ...TABLE_ACTIVE_WAIT }, { TableName });
      return await read();
    }
  } catch (error) {
    if (isTableGone(error)) throw new ResourceGoneError(arn, { cause: error });
    throw error;
  }
}

export default defineRule<Observed>({
  id: 'dynamodb-table-pitr',
  title: 'DynamoDB table must have point-in-time recovery on',
  severity: 'medium',
  safeguards: ['164.308(a)(7)(ii)(A)'],
  fix: 'turn point-in-time recovery on',
  resource: dynamodbTable,
  triggers: [{ source: 'dynamodb.amazonaws.com', events: ['CreateTable', 'UpdateContinuousBackups'] }],
  permissions: {
    read: ['dynamodb:DescribeContinuousBackups', 'dynamodb:DescribeTable'],
    write: ['dynamodb:UpdateContinuousBackups'],
  },

  async check(arn, ctx) {
    const status = await ctx.reads.get(arn, 'dynamodb:pitr', () => pointInTimeRecoveryOf(ctx, arn));
    const compliant = status === 'ENABLED';
    return {
      state: compliant ? 'compliant' : 'non-compliant',
      findings: compliant ? [] : ['point-in-time recovery is off'],
      observed: { pointInTimeRecovery: status },
      summary: { pointInTimeRecovery: status },
    };
  },

  plan(arn) {
    return {
      kind: 'fix',
      actions: [
        awsCall(dynamodb, UpdateContinuousBackupsCommand, {
          TableName: tableNameOf(arn),
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    };
  },
});

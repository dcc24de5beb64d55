/**
 * AWS::DynamoDB::Table. DynamoDB's APIs take a table's name or its ARN; records
 * carry the name (`requestParameters.tableName`), and CreateTable's answer the ARN.
 */

import { DynamoDBClient, ListTablesCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { TAGS_READ } from '../../read-cache';
import { stringField } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType } from '../resource-type';

export const dynamodb = awsClient(DynamoDBClient, { iamPrefix: 'dynamodb' });

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

export function tableArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`;
}

export function tableNameOf(arn: string): string {
  const resource = parseArn(arn)?.resource ?? '';
  const name = resource.startsWith('table/') ? resource.slice('table/'.length) : '';
  if (!TABLE_NAME.test(name)) throw new TypeError(`not a DynamoDB table ARN: ${arn}`);
  return name;
}

/** A table that no longer exists (or is being deleted): DynamoDB's error codes for it. */
export function isTableGone(error: unknown): boolean {
  return hasErrorCode(error, 'ResourceNotFoundException', 'TableNotFoundException');
}

function tableArns(record: CloudTrailRecord): string[] {
  const fromResponse = stringField(record.responseElements, 'tableDescription', 'tableArn');
  if (fromResponse && /^arn:[^:]+:dynamodb:[^:]+:\d{12}:table\/[^/]+$/.test(fromResponse))
    return [fromResponse];
  const named = stringField(record.requestParameters, 'tableName');
  if (named?.startsWith('arn:')) return /:table\/[^/]+$/.test(named) ? [named] : [];
  const region = record.awsRegion;
  const account = accountOf(record);
  if (!named || !TABLE_NAME.test(named) || !region || !account) return [];
  return [tableArn(partitionOf(region), region, account, named)];
}

export const dynamodbTable = defineResourceType({
  type: 'AWS::DynamoDB::Table',
  client: dynamodb,
  permissions: { read: ['dynamodb:ListTables', 'dynamodb:ListTagsOfResource'] },

  resourceIds: tableArns,

  async listPage(ctx, token) {
    const page = await ctx.clients
      .get(dynamodb)
      .send(
        new ListTablesCommand({ ExclusiveStartTableName: token, Limit: Math.min(ctx.pageSize ?? 100, 100) }),
      );
    const arns = (page.TableNames ?? []).map((name) =>
      tableArn(ctx.partition, ctx.region, ctx.accountId, name),
    );
    return { arns, next: page.LastEvaluatedTableName || undefined };
  },

  tags: (arn, ctx) =>
    ctx.reads.get(arn, TAGS_READ, async () => {
      try {
        const out = await ctx.clients.get(dynamodb).send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
        return tagRecord(out.Tags);
      } catch (error) {
        if (isTableGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    }),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return (
      base && `${base}/dynamodbv2/home?region=${region}#table?name=${encodeURIComponent(tableNameOf(arn))}`
    );
  },
});

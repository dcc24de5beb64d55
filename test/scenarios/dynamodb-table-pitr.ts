import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { inRegion, loadFixture } from '../../local/fixtures';
import { dynamodb, tableNameOf } from '../../src/resources/dynamodb/table';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/phi-encounters';

export default {
  drifted: [
    {
      name: 'point-in-time recovery off',
      arn: ARN,
      aws(mocks) {
        let enabled = false;
        const stub = mocks.client(dynamodb);
        stub.on(DescribeContinuousBackupsCommand).callsFake(() => ({
          ContinuousBackupsDescription: {
            ContinuousBackupsStatus: 'ENABLED',
            PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: enabled ? 'ENABLED' : 'DISABLED' },
          },
        }));
        stub.on(UpdateContinuousBackupsCommand).callsFake(() => {
          enabled = true;
          return {};
        });
        stub.on(ListTagsOfResourceCommand).resolves({ Tags: [] });
        stub.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
      },
    },
  ],
  samples: {},
  emulator: {
    async seed(clients) {
      const name = uniqueName('phi-table');
      const out = await clients.get(dynamodb).send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      return out.TableDescription?.TableArn as string;
    },
    expect: 'remediated',
    event(arn, region) {
      const event = inRegion(loadFixture('dynamodb/UpdateContinuousBackups.disabled'), region);
      (event.detail.requestParameters as Record<string, unknown>).tableName = tableNameOf(arn);
      return event;
    },
    async fixed(clients, arn) {
      const out = await clients
        .get(dynamodb)
        .send(new DescribeContinuousBackupsCommand({ TableName: tableNameOf(arn) }));
      expect(
        out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
      ).toBe('ENABLED');
    },
  },
} satisfies RuleScenarios;

import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { expect } from 'vitest';
import { rdsEvent } from '../../local/fixtures';
import { createDbInstance } from '../../local/seed-rds';
import { dbInstanceIdOf } from '../../src/resources/rds/db-instance';
import { rds } from '../../src/resources/rds/rds-client';
import { fakeDbInstance } from '../support/fake-rds';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';
import { CREATE_INSTANCE_SAMPLES, MODIFY_INSTANCE_SAMPLES } from './rds-instance-public-access';

const ARN = 'arn:aws:rds:us-east-1:123456789012:db:claims-db';

export default {
  drifted: [
    {
      name: 'backups kept 1 day of 7',
      arn: ARN,
      aws(mocks) {
        fakeDbInstance(mocks.client(rds), {
          DBInstanceIdentifier: 'claims-db',
          DBInstanceArn: ARN,
          Engine: 'postgres',
          BackupRetentionPeriod: 1,
        });
      },
    },
  ],
  samples: { ...CREATE_INSTANCE_SAMPLES, ...MODIFY_INSTANCE_SAMPLES },
  emulator: {
    seed: (clients) => createDbInstance(clients.get(rds), uniqueName('phi-db'), { retentionDays: 1 }),
    expect: 'remediated',
    event: (arn) => rdsEvent('rds/CreateDBInstance.public', arn),
    async fixed(clients, arn) {
      const out = await clients
        .get(rds)
        .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: dbInstanceIdOf(arn) }));
      expect(out.DBInstances?.[0]?.BackupRetentionPeriod).toBe(7);
    },
  },
} satisfies RuleScenarios;

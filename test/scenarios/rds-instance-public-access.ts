import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { expect } from 'vitest';
import { rdsEvent } from '../../local/fixtures';
import { createDbInstance } from '../../local/seed-rds';
import { dbInstanceIdOf } from '../../src/resources/rds/db-instance';
import { rds } from '../../src/resources/rds/rds-client';
import { fakeDbInstance } from '../support/fake-rds';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

const ARN = 'arn:aws:rds:us-east-1:123456789012:db:claims-db';

/** The ids every rule of AWS::RDS::DBInstance takes from the real records of its events. */
export const CREATE_INSTANCE_SAMPLES = {
  'rds/CreateDBInstance.1.json': ['arn:aws:rds:us-east-1:123456789012:db:test-instance'],
  'rds/CreateDBInstance.2.json': ['arn:aws:rds:us-east-1:101010101111:db:onenessdb'],
};
export const MODIFY_INSTANCE_SAMPLES = {
  'rds/ModifyDBInstance.1.json': ['arn:aws:rds:us-west-1:123456789012:db:my-database'],
  'rds/ModifyDBInstance.2.json': ['arn:aws:rds:us-east-1:123456789012:db:production-db'],
  'rds/ModifyDBInstance.3.json': ['arn:aws:rds:us-east-1:123456789012:db:production-db'],
};

export default {
  drifted: [
    {
      name: 'a publicly accessible PostgreSQL instance',
      arn: ARN,
      aws(mocks) {
        fakeDbInstance(mocks.client(rds), {
          DBInstanceIdentifier: 'claims-db',
          DBInstanceArn: ARN,
          Engine: 'postgres',
          PubliclyAccessible: true,
        });
      },
    },
  ],
  samples: { ...CREATE_INSTANCE_SAMPLES, ...MODIFY_INSTANCE_SAMPLES },
  emulator: {
    seed: (clients) => createDbInstance(clients.get(rds), uniqueName('phi-db'), { publiclyAccessible: true }),
    expect: 'remediated',
    event: (arn) => rdsEvent('rds/ModifyDBInstance.public', arn),
    async fixed(clients, arn) {
      const out = await clients
        .get(rds)
        .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: dbInstanceIdOf(arn) }));
      expect(out.DBInstances?.[0]?.PubliclyAccessible).toBe(false);
    },
  },
} satisfies RuleScenarios;

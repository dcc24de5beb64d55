import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { expect } from 'vitest';
import { rdsEvent } from '../../local/fixtures';
import { createDbCluster } from '../../local/seed-rds';
import { dbClusterIdOf } from '../../src/resources/rds/db-cluster';
import { rds } from '../../src/resources/rds/rds-client';
import { fakeDbCluster } from '../support/fake-rds';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

const ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:claims-aurora';

export default {
  drifted: [
    {
      name: 'an Aurora cluster keeping backups 1 day of 7',
      arn: ARN,
      aws(mocks) {
        fakeDbCluster(mocks.client(rds), {
          DBClusterIdentifier: 'claims-aurora',
          DBClusterArn: ARN,
          Engine: 'aurora-postgresql',
          BackupRetentionPeriod: 1,
        });
      },
    },
  ],
  samples: {},
  emulator: {
    seed: (clients) => createDbCluster(clients.get(rds), uniqueName('phi-aurora'), { retentionDays: 1 }),
    expect: 'remediated',
    event: (arn) => rdsEvent('rds/ModifyDBCluster.retention', arn),
    async fixed(clients, arn) {
      const out = await clients
        .get(rds)
        .send(new DescribeDBClustersCommand({ DBClusterIdentifier: dbClusterIdOf(arn) }));
      expect(out.DBClusters?.[0]?.BackupRetentionPeriod).toBe(7);
    },
  },
} satisfies RuleScenarios;

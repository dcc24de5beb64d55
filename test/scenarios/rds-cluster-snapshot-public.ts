import { DescribeDBClusterSnapshotAttributesCommand } from '@aws-sdk/client-rds';
import { expect } from 'vitest';
import { rdsEvent } from '../../local/fixtures';
import { createDbCluster, createDbClusterSnapshot } from '../../local/seed-rds';
import { dbClusterSnapshotIdOf } from '../../src/resources/rds/db-cluster-snapshot';
import { rds } from '../../src/resources/rds/rds-client';
import { fakeDbSnapshot } from '../support/fake-rds';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'a cluster snapshot restorable by all, and shared with one account',
      arn: 'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:claims-aurora-nightly',
      aws(mocks) {
        fakeDbSnapshot(mocks.client(rds), 'claims-aurora-nightly', ['all', '111122223333'], {
          cluster: true,
        });
      },
    },
  ],
  samples: {},
  emulator: {
    async seed(clients) {
      const cluster = uniqueName('phi-aurora');
      await createDbCluster(clients.get(rds), cluster);
      return createDbClusterSnapshot(clients.get(rds), cluster, `${cluster}-nightly`, {
        public: true,
        accounts: ['111122223333'],
      });
    },
    expect: 'remediated',
    event: (arn) => rdsEvent('rds/ModifyDBClusterSnapshotAttribute.public', arn),
    async fixed(clients, arn) {
      const out = await clients.get(rds).send(
        new DescribeDBClusterSnapshotAttributesCommand({
          DBClusterSnapshotIdentifier: dbClusterSnapshotIdOf(arn),
        }),
      );
      expect(out.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes).toEqual([
        { AttributeName: 'restore', AttributeValues: ['111122223333'] },
      ]);
    },
  },
} satisfies RuleScenarios;

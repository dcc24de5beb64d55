import { rdsEvent } from '../../local/fixtures';
import { createDbCluster } from '../../local/seed-rds';
import { rds } from '../../src/resources/rds/rds-client';
import { fakeDbCluster } from '../support/fake-rds';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

const ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:claims-aurora';

export default {
  drifted: [
    {
      name: 'an unencrypted Aurora cluster (a ticket)',
      arn: ARN,
      aws(mocks) {
        fakeDbCluster(mocks.client(rds), {
          DBClusterIdentifier: 'claims-aurora',
          DBClusterArn: ARN,
          Engine: 'aurora-postgresql',
          StorageEncrypted: false,
        });
      },
    },
  ],
  samples: {},
  emulator: {
    seed: (clients) => createDbCluster(clients.get(rds), uniqueName('phi-aurora'), { encrypted: false }),
    expect: 'ticket',
    event: (arn) => rdsEvent('rds/CreateDBCluster.basic', arn),
  },
} satisfies RuleScenarios;

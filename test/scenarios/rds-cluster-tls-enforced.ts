import { inRegion, loadFixture } from '../../local/fixtures';
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
      name: 'rds.force_ssl off in the cluster parameter group (a ticket)',
      arn: ARN,
      aws(mocks) {
        fakeDbCluster(
          mocks.client(rds),
          {
            DBClusterIdentifier: 'claims-aurora',
            DBClusterArn: ARN,
            Engine: 'aurora-postgresql',
            DBClusterParameterGroup: 'claims-aurora-pg16',
          },
          { parameters: { 'rds.force_ssl': '0' } },
        );
      },
    },
  ],
  samples: {},
  emulator: {
    seed: (clients) => createDbCluster(clients.get(rds), uniqueName('phi-aurora'), { tls: false }),
    expect: 'ticket',
    // The cluster parameter group's change: the clusters using it are found by a read.
    event(arn, region) {
      const event = inRegion(loadFixture('rds/ModifyDBClusterParameterGroup.force-ssl-off'), region);
      (event.detail.requestParameters as Record<string, unknown>).dBClusterParameterGroupName =
        `${dbClusterIdOf(arn)}-cluster-params`;
      return event;
    },
  },
} satisfies RuleScenarios;

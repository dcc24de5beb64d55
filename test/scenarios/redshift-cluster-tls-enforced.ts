import { inRegion, loadFixture } from '../../local/fixtures';
import { redshift, redshiftClusterIdOf } from '../../src/resources/redshift/cluster';
import { fakeRedshiftCluster } from '../support/fake-redshift';
import type { RuleScenarios } from '../support/scenario';
import { MODIFY_CLUSTER_SAMPLES, seedCluster } from './redshift-cluster-public-access';
import { LOGS } from './s3-bucket-access-logging';

export default {
  drifted: [
    {
      name: 'require_ssl off in its parameter group (a ticket)',
      arn: 'arn:aws:redshift:us-east-1:123456789012:cluster:claims-warehouse',
      aws(mocks) {
        fakeRedshiftCluster(
          mocks.client(redshift),
          {
            ClusterIdentifier: 'claims-warehouse',
            ClusterParameterGroups: [{ ParameterGroupName: 'claims-redshift' }],
          },
          { parameters: { require_ssl: 'false' } },
        );
      },
    },
  ],
  samples: MODIFY_CLUSTER_SAMPLES,
  emulator: {
    env: { PHIGUARD_ACCESS_LOGS_BUCKET: LOGS },
    // The emulator answers require_ssl=false for every parameter group.
    seed: (clients, region) => seedCluster(clients, region, {}),
    expect: 'ticket',
    // The parameter group's change: the clusters using it are found by a read.
    event(arn, region) {
      const event = inRegion(loadFixture('redshift/ModifyClusterParameterGroup.require-ssl-off'), region);
      (event.detail.requestParameters as Record<string, unknown>).parameterGroupName =
        `${redshiftClusterIdOf(arn)}-params`;
      return event;
    },
  },
} satisfies RuleScenarios;

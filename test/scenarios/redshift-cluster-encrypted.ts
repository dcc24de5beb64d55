import { redshift } from '../../src/resources/redshift/cluster';
import { fakeRedshiftCluster } from '../support/fake-redshift';
import type { RuleScenarios } from '../support/scenario';
import { clusterEvent, MODIFY_CLUSTER_SAMPLES, seedCluster } from './redshift-cluster-public-access';
import { LOGS } from './s3-bucket-access-logging';

export default {
  drifted: [
    {
      name: 'an unencrypted cluster (a ticket)',
      arn: 'arn:aws:redshift:us-east-1:123456789012:cluster:claims-warehouse',
      aws(mocks) {
        fakeRedshiftCluster(mocks.client(redshift), {
          ClusterIdentifier: 'claims-warehouse',
          Encrypted: false,
        });
      },
    },
  ],
  samples: MODIFY_CLUSTER_SAMPLES,
  emulator: {
    env: { PHIGUARD_ACCESS_LOGS_BUCKET: LOGS },
    seed: (clients, region) => seedCluster(clients, region, { encrypted: false }),
    expect: 'ticket',
    event: (arn) => clusterEvent('redshift/CreateCluster.public', arn),
  },
} satisfies RuleScenarios;

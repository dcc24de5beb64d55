import { DescribeClustersCommand, DescribeLoggingStatusCommand } from '@aws-sdk/client-redshift';
import { expect } from 'vitest';
import { inRegion, loadFixture } from '../../local/fixtures';
import { createLogBucket } from '../../local/seed';
import { createRedshiftCluster } from '../../local/seed-redshift';
import { redshift, redshiftClusterIdOf } from '../../src/resources/redshift/cluster';
import { s3 } from '../../src/resources/s3/bucket';
import { fakeRedshiftCluster } from '../support/fake-redshift';
import { uniqueName } from '../support/moto';
import type { EmulatorClients, RuleScenarios } from '../support/scenario';
import { LOGS } from './s3-bucket-access-logging';

const ARN = 'arn:aws:redshift:us-east-1:123456789012:cluster:claims-warehouse';

/** The ids every rule of AWS::Redshift::Cluster listening to ModifyCluster takes from the real records. */
export const MODIFY_CLUSTER_SAMPLES = {
  'redshift/ModifyCluster.1.json': ['arn:aws:redshift:us-east-1:123456789012:cluster:misconfig-maker'],
};

/** A Redshift event fixture about the cluster of `arn`. */
export function clusterEvent(name: string, arn: string) {
  const event = inRegion(loadFixture(name), arn.split(':')[3] as string);
  (event.detail.requestParameters as Record<string, unknown>).clusterIdentifier = redshiftClusterIdOf(arn);
  return event;
}

/** A cluster in the emulator logging to the scenarios' log bucket, drifted as asked. */
export async function seedCluster(
  clients: EmulatorClients,
  region: string,
  options: Parameters<typeof createRedshiftCluster>[3],
) {
  const logs = LOGS.replace('{region}', region);
  await createLogBucket(clients.get(s3), logs);
  return createRedshiftCluster(clients.get(redshift), region, uniqueName('phi-warehouse'), {
    logTo: logs,
    ...options,
  });
}

export default {
  drifted: [
    {
      name: 'a publicly accessible cluster',
      arn: ARN,
      aws(mocks) {
        fakeRedshiftCluster(mocks.client(redshift), {
          ClusterIdentifier: 'claims-warehouse',
          PubliclyAccessible: true,
        });
      },
    },
  ],
  samples: MODIFY_CLUSTER_SAMPLES,
  emulator: {
    env: { PHIGUARD_ACCESS_LOGS_BUCKET: LOGS },
    seed: (clients, region) => seedCluster(clients, region, { publiclyAccessible: true }),
    expect: 'remediated',
    event: (arn) => clusterEvent('redshift/ModifyCluster.public', arn),
    async fixed(clients, arn) {
      const ClusterIdentifier = redshiftClusterIdOf(arn);
      const out = await clients.get(redshift).send(new DescribeClustersCommand({ ClusterIdentifier }));
      expect(out.Clusters?.[0]?.PubliclyAccessible).toBe(false);
      // Nothing else was touched: its audit logging still goes where it went.
      const logging = await clients
        .get(redshift)
        .send(new DescribeLoggingStatusCommand({ ClusterIdentifier }));
      expect(logging.S3KeyPrefix).toBe(`redshift/${ClusterIdentifier}/`);
    },
  },
} satisfies RuleScenarios;

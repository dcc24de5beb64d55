import { DescribeLoggingStatusCommand } from '@aws-sdk/client-redshift';
import { expect } from 'vitest';
import { createLogBucket } from '../../local/seed';
import { createRedshiftCluster } from '../../local/seed-redshift';
import { redshift, redshiftClusterIdOf } from '../../src/resources/redshift/cluster';
import { s3 } from '../../src/resources/s3/bucket';
import { fakeRedshiftCluster } from '../support/fake-redshift';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';
import { clusterEvent } from './redshift-cluster-public-access';
import { LOGS } from './s3-bucket-access-logging';

export default {
  drifted: [
    {
      name: 'audit logging off',
      arn: 'arn:aws:redshift:us-east-1:123456789012:cluster:claims-warehouse',
      env: { PHIGUARD_ACCESS_LOGS_BUCKET: LOGS },
      aws(mocks) {
        fakeRedshiftCluster(
          mocks.client(redshift),
          { ClusterIdentifier: 'claims-warehouse' },
          { logging: false },
        );
      },
    },
  ],
  samples: {},
  emulator: {
    env: { PHIGUARD_ACCESS_LOGS_BUCKET: LOGS },
    async seed(clients, region) {
      await createLogBucket(clients.get(s3), LOGS.replace('{region}', region));
      return createRedshiftCluster(clients.get(redshift), region, uniqueName('phi-warehouse'));
    },
    expect: 'remediated',
    event: (arn) => clusterEvent('redshift/DisableLogging.basic', arn),
    async fixed(clients, arn) {
      const ClusterIdentifier = redshiftClusterIdOf(arn);
      const out = await clients.get(redshift).send(new DescribeLoggingStatusCommand({ ClusterIdentifier }));
      expect(out).toMatchObject({
        LoggingEnabled: true,
        BucketName: LOGS.replace('{region}', arn.split(':')[3] as string),
        S3KeyPrefix: `redshift/${ClusterIdentifier}/`,
      });
    },
  },
} satisfies RuleScenarios;

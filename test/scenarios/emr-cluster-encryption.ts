import {
  type Cluster,
  DescribeClusterCommand,
  DescribeSecurityConfigurationCommand,
} from '@aws-sdk/client-emr';
import { emr } from '../../src/resources/emr/cluster';
import type { MockAws, RuleScenarios } from '../support/scenario';

export const CLUSTER_ARN = 'arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-2AXXXXXXGAPLF';

/** A cluster and the security configurations of its Region behind the mocked client. */
export function fakeCluster(
  mocks: MockAws,
  cluster: Partial<Cluster>,
  configurations: Record<string, object> = {},
) {
  const stub = mocks.client(emr);
  stub.on(DescribeClusterCommand).callsFake(() => ({
    Cluster: {
      Id: 'j-2AXXXXXXGAPLF',
      ClusterArn: CLUSTER_ARN,
      Status: { State: 'WAITING' },
      Tags: [],
      ...cluster,
    },
  }));
  stub.on(DescribeSecurityConfigurationCommand).callsFake((input: { Name: string }) => ({
    Name: input.Name,
    SecurityConfiguration: JSON.stringify(configurations[input.Name] ?? {}),
  }));
  return stub;
}

export default {
  drifted: [
    {
      name: 'a cluster without a security configuration',
      arn: CLUSTER_ARN,
      aws: (mocks) => fakeCluster(mocks, {}),
    },
  ],
  /** No real RunJobFlow record in ../shared/cloudtrail-samples. */
  samples: {},
  emulator: {
    unsupported:
      "moto's EMR serves every Region from us-east-1 when reached through an endpoint URL: a seeded cluster would appear in every other test's sweep of every Region",
  },
} satisfies RuleScenarios;

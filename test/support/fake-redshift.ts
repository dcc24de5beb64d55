import {
  type Cluster,
  DescribeClusterParametersCommand,
  DescribeClustersCommand,
  DescribeLoggingStatusCommand,
  EnableLoggingCommand,
  ModifyClusterCommand,
} from '@aws-sdk/client-redshift';
import { awsError } from './fake-s3';
import type { ClientStub } from './scenario';

/**
 * Redshift as client mocks: one cluster that answers reads with its current state
 * and takes ModifyCluster and EnableLogging as Redshift would. By default it is
 * compliant with every Redshift rule; `initial` and `options` name the drift.
 */
export function fakeRedshiftCluster(
  stub: ClientStub,
  initial: Cluster,
  options: { exists?: boolean; logging?: boolean; parameters?: Record<string, string> } = {},
) {
  const state = {
    cluster: {
      ClusterStatus: 'available',
      PubliclyAccessible: false,
      Encrypted: true,
      ClusterParameterGroups: [{ ParameterGroupName: 'claims-redshift' }],
      Tags: [],
      ...initial,
    } as Cluster,
    logging: options.logging ?? true,
    bucket: undefined as string | undefined,
    prefix: undefined as string | undefined,
  };
  const gone = () => {
    if (options.exists === false) throw awsError('ClusterNotFound', 404);
  };
  stub.on(DescribeClustersCommand).callsFake(() => {
    gone();
    return { Clusters: [state.cluster] };
  });
  stub.on(ModifyClusterCommand).callsFake((input) => {
    if (input.PubliclyAccessible !== undefined)
      state.cluster = { ...state.cluster, PubliclyAccessible: input.PubliclyAccessible };
    return { Cluster: state.cluster };
  });
  stub.on(DescribeLoggingStatusCommand).callsFake(() => {
    gone();
    return { LoggingEnabled: state.logging, BucketName: state.bucket, S3KeyPrefix: state.prefix };
  });
  stub.on(EnableLoggingCommand).callsFake((input) => {
    Object.assign(state, { logging: true, bucket: input.BucketName, prefix: input.S3KeyPrefix });
    return { LoggingEnabled: true };
  });
  stub.on(DescribeClusterParametersCommand).callsFake(() => ({
    Parameters: Object.entries({ require_ssl: 'true', ...options.parameters }).map(
      ([ParameterName, ParameterValue]) => ({
        ParameterName,
        ParameterValue,
      }),
    ),
  }));
  return state;
}

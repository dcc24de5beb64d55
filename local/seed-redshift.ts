/**
 * Redshift clusters for the emulator (scenarios, the sweep test, the benchmark).
 * Each gets its own parameter group. The emulator cannot change a parameter
 * (ModifyClusterParameterGroup is not implemented) and answers require_ssl=false
 * for every group, so every cluster seeded here is also a require_ssl ticket.
 */
import {
  CreateClusterCommand,
  CreateClusterParameterGroupCommand,
  EnableLoggingCommand,
  type RedshiftClient,
} from '@aws-sdk/client-redshift';

export interface ClusterOptions {
  publiclyAccessible?: boolean;
  encrypted?: boolean;
  /** The bucket its audit logs go to; without one, audit logging is off. */
  logTo?: string;
  tags?: Record<string, string>;
}

/** Returns the cluster's ARN in the emulator's account. */
export async function createRedshiftCluster(
  redshift: RedshiftClient,
  region: string,
  id: string,
  options: ClusterOptions = {},
): Promise<string> {
  await redshift.send(
    new CreateClusterParameterGroupCommand({
      ParameterGroupName: `${id}-params`,
      ParameterGroupFamily: 'redshift-2.0',
      Description: 'PHI Guard seed',
    }),
  );
  await redshift.send(
    new CreateClusterCommand({
      ClusterIdentifier: id,
      NodeType: 'ra3.xlplus',
      MasterUsername: 'phiadmin',
      MasterUserPassword: 'Seed-password-1',
      PubliclyAccessible: options.publiclyAccessible ?? false,
      Encrypted: options.encrypted ?? true,
      ClusterParameterGroupName: `${id}-params`,
      Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  if (options.logTo) {
    await redshift.send(
      new EnableLoggingCommand({
        ClusterIdentifier: id,
        BucketName: options.logTo,
        S3KeyPrefix: `redshift/${id}/`,
      }),
    );
  }
  return `arn:aws:redshift:${region}:123456789012:cluster:${id}`;
}

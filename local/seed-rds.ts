/**
 * RDS resources for the emulator (scenarios, the sweep test, the benchmark). Each
 * seeded instance and cluster gets its own parameter group with the engine's TLS
 * parameter set as asked: the emulator has no default parameter groups to read.
 * By default everything is compliant with every RDS rule; options name the drift.
 */
import {
  CreateDBClusterCommand,
  CreateDBClusterParameterGroupCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  CreateDBSnapshotCommand,
  ModifyDBClusterParameterGroupCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBParameterGroupCommand,
  ModifyDBSnapshotAttributeCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';

export interface DbOptions {
  publiclyAccessible?: boolean;
  encrypted?: boolean;
  retentionDays?: number;
  tls?: boolean;
  tags?: Record<string, string>;
}

const tagList = (tags: Record<string, string> = {}) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** A PostgreSQL instance (rds.force_ssl in its own parameter group); returns its ARN. */
export async function createDbInstance(rds: RDSClient, id: string, options: DbOptions = {}): Promise<string> {
  const group = `${id}-params`;
  await rds.send(
    new CreateDBParameterGroupCommand({
      DBParameterGroupName: group,
      DBParameterGroupFamily: 'postgres16',
      Description: 'PHI Guard seed',
    }),
  );
  await rds.send(
    new ModifyDBParameterGroupCommand({
      DBParameterGroupName: group,
      Parameters: [
        {
          ParameterName: 'rds.force_ssl',
          ParameterValue: options.tls === false ? '0' : '1',
          ApplyMethod: 'immediate',
        },
      ],
    }),
  );
  const out = await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: id,
      DBInstanceClass: 'db.t3.medium',
      Engine: 'postgres',
      MasterUsername: 'phiadmin',
      MasterUserPassword: 'seed-password-1',
      AllocatedStorage: 20,
      PubliclyAccessible: options.publiclyAccessible ?? false,
      StorageEncrypted: options.encrypted ?? true,
      BackupRetentionPeriod: options.retentionDays ?? 7,
      DBParameterGroupName: group,
      Tags: tagList(options.tags),
    }),
  );
  return out.DBInstance?.DBInstanceArn as string;
}

/** An Aurora PostgreSQL cluster (rds.force_ssl in its own cluster parameter group); returns its ARN. */
export async function createDbCluster(rds: RDSClient, id: string, options: DbOptions = {}): Promise<string> {
  const group = `${id}-cluster-params`;
  await rds.send(
    new CreateDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: group,
      DBParameterGroupFamily: 'aurora-postgresql16',
      Description: 'PHI Guard seed',
    }),
  );
  await rds.send(
    new ModifyDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: group,
      Parameters: [
        {
          ParameterName: 'rds.force_ssl',
          ParameterValue: options.tls === false ? '0' : '1',
          ApplyMethod: 'immediate',
        },
      ],
    }),
  );
  const out = await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: id,
      Engine: 'aurora-postgresql',
      MasterUsername: 'phiadmin',
      MasterUserPassword: 'seed-password-1',
      StorageEncrypted: options.encrypted ?? true,
      BackupRetentionPeriod: options.retentionDays ?? 7,
      DBClusterParameterGroupName: group,
      Tags: tagList(options.tags),
    }),
  );
  return out.DBCluster?.DBClusterArn as string;
}

/** A manual snapshot of an instance, restorable by `all` when `public`, and by the given accounts. */
export async function createDbSnapshot(
  rds: RDSClient,
  instanceId: string,
  id: string,
  sharing: { public?: boolean; accounts?: string[] } = {},
): Promise<string> {
  const out = await rds.send(
    new CreateDBSnapshotCommand({ DBInstanceIdentifier: instanceId, DBSnapshotIdentifier: id }),
  );
  const values = [...(sharing.public ? ['all'] : []), ...(sharing.accounts ?? [])];
  if (values.length > 0) {
    await rds.send(
      new ModifyDBSnapshotAttributeCommand({
        DBSnapshotIdentifier: id,
        AttributeName: 'restore',
        ValuesToAdd: values,
      }),
    );
  }
  return out.DBSnapshot?.DBSnapshotArn as string;
}

/** A manual snapshot of a cluster, restorable by `all` when `public`, and by the given accounts. */
export async function createDbClusterSnapshot(
  rds: RDSClient,
  clusterId: string,
  id: string,
  sharing: { public?: boolean; accounts?: string[] } = {},
): Promise<string> {
  const out = await rds.send(
    new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: clusterId, DBClusterSnapshotIdentifier: id }),
  );
  const values = [...(sharing.public ? ['all'] : []), ...(sharing.accounts ?? [])];
  if (values.length > 0) {
    await rds.send(
      new ModifyDBClusterSnapshotAttributeCommand({
        DBClusterSnapshotIdentifier: id,
        AttributeName: 'restore',
        ValuesToAdd: values,
      }),
    );
  }
  return out.DBClusterSnapshot?.DBClusterSnapshotArn as string;
}

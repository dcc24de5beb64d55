import {
  type DBCluster,
  type DBInstance,
  DescribeDBClusterParametersCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBClusterCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBInstanceCommand,
  ModifyDBSnapshotAttributeCommand,
} from '@aws-sdk/client-rds';
import { awsError } from './fake-s3';
import type { ClientStub } from './scenario';

/**
 * RDS as client mocks: one instance, cluster or snapshot that answers reads with
 * its current state and takes modifications as RDS would. `visibleAfter` holds a
 * modification back for that many reads (RDS shows changes after a while).
 */
export function fakeDbInstance(
  stub: ClientStub,
  initial: DBInstance,
  options: { exists?: boolean; visibleAfter?: number; parameters?: Record<string, string> } = {},
) {
  const state = { instance: { DBInstanceStatus: 'available', TagList: [], ...initial } as DBInstance };
  let pending: Partial<DBInstance> = {};
  let readsUntilVisible = 0;
  stub.on(DescribeDBInstancesCommand).callsFake(() => {
    if (options.exists === false) throw awsError('DBInstanceNotFound', 404);
    if (readsUntilVisible > 0) readsUntilVisible -= 1;
    else state.instance = { ...state.instance, ...pending };
    return { DBInstances: [state.instance] };
  });
  stub.on(ModifyDBInstanceCommand).callsFake((input) => {
    pending = {
      ...(input.PubliclyAccessible !== undefined ? { PubliclyAccessible: input.PubliclyAccessible } : {}),
      ...(input.BackupRetentionPeriod !== undefined
        ? { BackupRetentionPeriod: input.BackupRetentionPeriod }
        : {}),
    };
    readsUntilVisible = options.visibleAfter ?? 0;
    return { DBInstance: state.instance };
  });
  stub.on(DescribeDBParametersCommand).callsFake(() => ({
    Parameters: Object.entries(options.parameters ?? {}).map(([ParameterName, ParameterValue]) => ({
      ParameterName,
      ParameterValue,
    })),
  }));
  return state;
}

export function fakeDbCluster(
  stub: ClientStub,
  initial: DBCluster,
  options: { exists?: boolean; parameters?: Record<string, string> } = {},
) {
  const state = { cluster: { Status: 'available', TagList: [], ...initial } as DBCluster };
  stub.on(DescribeDBClustersCommand).callsFake(() => {
    if (options.exists === false) throw awsError('DBClusterNotFoundFault', 404);
    return { DBClusters: [state.cluster] };
  });
  stub.on(ModifyDBClusterCommand).callsFake((input) => {
    if (input.BackupRetentionPeriod !== undefined)
      state.cluster = { ...state.cluster, BackupRetentionPeriod: input.BackupRetentionPeriod };
    return { DBCluster: state.cluster };
  });
  stub.on(DescribeDBClusterParametersCommand).callsFake(() => ({
    Parameters: Object.entries(options.parameters ?? {}).map(([ParameterName, ParameterValue]) => ({
      ParameterName,
      ParameterValue,
    })),
  }));
  return state;
}

/** A manual DB snapshot (`cluster`: a DB cluster snapshot) with its `restore` attribute. */
export function fakeDbSnapshot(
  stub: ClientStub,
  id: string,
  restore: string[],
  options: { cluster?: boolean; exists?: boolean; tags?: Record<string, string> } = {},
) {
  const state = { restore: [...restore] };
  const TagList = Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const gone = () => {
    if (options.exists === false)
      throw awsError(options.cluster ? 'DBClusterSnapshotNotFoundFault' : 'DBSnapshotNotFound', 404);
  };
  const attributes = () => [{ AttributeName: 'restore', AttributeValues: state.restore }];
  const remove = (values: string[] | undefined) => {
    state.restore = state.restore.filter((value) => !(values ?? []).includes(value));
    return {};
  };
  if (options.cluster) {
    stub.on(DescribeDBClusterSnapshotsCommand).callsFake(() => {
      gone();
      return { DBClusterSnapshots: [{ DBClusterSnapshotIdentifier: id, TagList }] };
    });
    stub.on(DescribeDBClusterSnapshotAttributesCommand).callsFake(() => {
      gone();
      return {
        DBClusterSnapshotAttributesResult: {
          DBClusterSnapshotIdentifier: id,
          DBClusterSnapshotAttributes: attributes(),
        },
      };
    });
    stub.on(ModifyDBClusterSnapshotAttributeCommand).callsFake((input) => remove(input.ValuesToRemove));
  } else {
    stub.on(DescribeDBSnapshotsCommand).callsFake(() => {
      gone();
      return { DBSnapshots: [{ DBSnapshotIdentifier: id, TagList }] };
    });
    stub.on(DescribeDBSnapshotAttributesCommand).callsFake(() => {
      gone();
      return { DBSnapshotAttributesResult: { DBSnapshotIdentifier: id, DBSnapshotAttributes: attributes() } };
    });
    stub.on(ModifyDBSnapshotAttributeCommand).callsFake((input) => remove(input.ValuesToRemove));
  }
  return state;
}

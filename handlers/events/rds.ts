// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for rds.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import rdsClusterBackupRetention from '../../remediations/rds-cluster-backup-retention';
import rdsClusterSnapshotPublic from '../../remediations/rds-cluster-snapshot-public';
import rdsClusterStorageEncrypted from '../../remediations/rds-cluster-storage-encrypted';
import rdsClusterTlsEnforced from '../../remediations/rds-cluster-tls-enforced';
import rdsInstanceBackupRetention from '../../remediations/rds-instance-backup-retention';
import rdsInstancePublicAccess from '../../remediations/rds-instance-public-access';
import rdsInstanceStorageEncrypted from '../../remediations/rds-instance-storage-encrypted';
import rdsInstanceTlsEnforced from '../../remediations/rds-instance-tls-enforced';
import rdsSnapshotPublic from '../../remediations/rds-snapshot-public';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([
  rdsInstancePublicAccess,
  rdsInstanceBackupRetention,
  rdsInstanceStorageEncrypted,
  rdsInstanceTlsEnforced,
  rdsClusterBackupRetention,
  rdsClusterStorageEncrypted,
  rdsClusterTlsEnforced,
  rdsSnapshotPublic,
  rdsClusterSnapshotPublic,
]);

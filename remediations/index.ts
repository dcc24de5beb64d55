/**
 * The rule registry. Adding a HIPAA control is: a rule file beside this one,
 * its fixtures in events/, its tests, and one line below (a control on a resource
 * type PHI Guard does not read yet also brings that type's module in
 * src/resources/). The EventBridge patterns, IAM statements, settings and
 * documentation of the stack are generated from this list, and so are the
 * event functions (one per event source: `npm run docs` writes their entry
 * points in handlers/events/).
 *
 * Order matters where two rules write to the same resource for one event: the
 * TLS-only policy merge runs before Block Public Access turns on
 * BlockPublicPolicy, which would otherwise reject a policy that is still public.
 * A fix can change what a later rule of the resource judges (cancelling a key's
 * deletion leaves it disabled): the later rules read again after it. Put a rule
 * whose fix affects another before it.
 */
import { createRegistry } from '../src/registry';
import type { Rule } from '../src/rule';
import apigatewayStageAccessLogging from './apigateway-stage-access-logging';
import apigatewayStageCacheEncrypted from './apigateway-stage-cache-encrypted';
import classicElbAccessLogging from './classic-elb-access-logging';
import classicElbListenerPlaintext from './classic-elb-listener-plaintext';
import cloudtrailRegionRecorded from './cloudtrail-region-recorded';
import cloudtrailTrailLogging from './cloudtrail-trail-logging';
import cloudtrailTrailManagementEvents from './cloudtrail-trail-management-events';
import cloudtrailTrailWeakened from './cloudtrail-trail-weakened';
import dynamodbTablePitr from './dynamodb-table-pitr';
import ebsEncryptionByDefault from './ebs-encryption-by-default';
import ebsSnapshotPublic from './ebs-snapshot-public';
import ebsVolumeEncrypted from './ebs-volume-encrypted';
import elbAccessLogging from './elb-access-logging';
import elbListenerPlaintext from './elb-listener-plaintext';
import emrBlockPublicAccess from './emr-block-public-access';
import emrClusterEncryption from './emr-cluster-encryption';
import glacierVaultNamePhi from './glacier-vault-name-phi';
import glacierVaultPolicyPublic from './glacier-vault-policy-public';
import kmsKeyDeletionScheduled from './kms-key-deletion-scheduled';
import kmsKeyDisabled from './kms-key-disabled';
import kmsKeyRotation from './kms-key-rotation';
import phiguardEventRule from './phiguard-event-rule';
import rdsClusterBackupRetention from './rds-cluster-backup-retention';
import rdsClusterSnapshotPublic from './rds-cluster-snapshot-public';
import rdsClusterStorageEncrypted from './rds-cluster-storage-encrypted';
import rdsClusterTlsEnforced from './rds-cluster-tls-enforced';
import rdsInstanceBackupRetention from './rds-instance-backup-retention';
import rdsInstancePublicAccess from './rds-instance-public-access';
import rdsInstanceStorageEncrypted from './rds-instance-storage-encrypted';
import rdsInstanceTlsEnforced from './rds-instance-tls-enforced';
import rdsSnapshotPublic from './rds-snapshot-public';
import redshiftClusterAuditLogging from './redshift-cluster-audit-logging';
import redshiftClusterEncrypted from './redshift-cluster-encrypted';
import redshiftClusterPublicAccess from './redshift-cluster-public-access';
import redshiftClusterTlsEnforced from './redshift-cluster-tls-enforced';
import s3BucketAccessLogging from './s3-bucket-access-logging';
import s3BucketEncryption from './s3-bucket-encryption';
import s3BucketNamePhi from './s3-bucket-name-phi';
import s3BucketPublicAccess from './s3-bucket-public-access';
import s3BucketTlsOnly from './s3-bucket-tls-only';
import s3BucketVersioning from './s3-bucket-versioning';
import snowballImportJobKms from './snowball-import-job-kms';
import snsTopicEncrypted from './sns-topic-encrypted';
import sqsQueueEncrypted from './sqs-queue-encrypted';
import vpcFlowLogs from './vpc-flow-logs';

export { createRegistry };

export const rules: readonly Rule[] = createRegistry([
  s3BucketTlsOnly,
  s3BucketPublicAccess,
  s3BucketEncryption,
  s3BucketVersioning,
  s3BucketAccessLogging,
  // After public access: its ACL read, when the name looks like PHI, is the one that rule made.
  s3BucketNamePhi,
  elbListenerPlaintext,
  elbAccessLogging,
  classicElbListenerPlaintext,
  classicElbAccessLogging,
  vpcFlowLogs,
  dynamodbTablePitr,
  ebsEncryptionByDefault,
  ebsSnapshotPublic,
  ebsVolumeEncrypted,
  // Public access first: the one fix an exposed database must not wait for.
  rdsInstancePublicAccess,
  rdsInstanceBackupRetention,
  rdsInstanceStorageEncrypted,
  rdsInstanceTlsEnforced,
  rdsClusterBackupRetention,
  rdsClusterStorageEncrypted,
  rdsClusterTlsEnforced,
  rdsSnapshotPublic,
  rdsClusterSnapshotPublic,
  redshiftClusterPublicAccess,
  redshiftClusterAuditLogging,
  redshiftClusterEncrypted,
  redshiftClusterTlsEnforced,
  sqsQueueEncrypted,
  snsTopicEncrypted,
  // Deletion first: cancelling it leaves the key disabled, which the next rule tickets.
  kmsKeyDeletionScheduled,
  kmsKeyDisabled,
  kmsKeyRotation,
  cloudtrailTrailLogging,
  cloudtrailTrailWeakened,
  cloudtrailTrailManagementEvents,
  cloudtrailRegionRecorded,
  apigatewayStageCacheEncrypted,
  apigatewayStageAccessLogging,
  glacierVaultPolicyPublic,
  glacierVaultNamePhi,
  emrBlockPublicAccess,
  emrClusterEncryption,
  snowballImportJobKms,
  // PHI Guard guarding its own event path (its EventBridge rules).
  phiguardEventRule,
]);

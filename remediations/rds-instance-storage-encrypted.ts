/**
 * §164.312(a)(2)(iv) Encryption and decryption: a DB instance holding PHI stores
 * it encrypted (KMS), and so do its automated backups, read replicas and
 * snapshots. Storage cannot be encrypted in place: a person snapshots the
 * instance, copies the snapshot with a KMS key, restores it and moves clients over
 * — a ticket, never an automatic fix.
 *
 * An instance of an Aurora or Multi-AZ DB cluster is encrypted with its cluster:
 * rds-cluster-storage-encrypted judges it there, once.
 *
 * Events: the calls that create or restore an instance.
 */
import { dbInstance, describeDbInstance } from '../src/resources/rds/db-instance';
import { defineRule } from '../src/rule';

export default defineRule<Record<string, never>>({
  id: 'rds-instance-storage-encrypted',
  title: 'RDS DB instance storage must be encrypted',
  severity: 'high',
  safeguards: ['164.312(a)(2)(iv)'],
  fix: 'ticket (storage cannot be encrypted in place: snapshot, encrypted copy, restore, switch clients); cluster members are judged on their cluster',
  resource: dbInstance,
  triggers: [
    {
      source: 'rds.amazonaws.com',
      events: [
        'CreateDBInstance',
        'CreateDBInstanceReadReplica',
        'RestoreDBInstanceFromDBSnapshot',
        'RestoreDBInstanceFromS3',
        'RestoreDBInstanceToPointInTime',
      ],
    },
  ],
  permissions: { read: [], write: [] },

  async check(arn, ctx) {
    const instance = await describeDbInstance(ctx, arn);
    if (instance.DBClusterIdentifier) {
      return {
        state: 'compliant',
        findings: [],
        observed: {},
        summary: { judgedOnCluster: instance.DBClusterIdentifier },
      };
    }
    const encrypted = instance.StorageEncrypted === true;
    return {
      state: encrypted ? 'compliant' : 'non-compliant',
      findings: encrypted ? [] : ['storage is not encrypted'],
      observed: {},
      summary: { storageEncrypted: encrypted },
    };
  },

  plan() {
    return {
      kind: 'ticket',
      reason:
        'storage cannot be encrypted in place: snapshot the instance, copy the snapshot with a KMS key, restore it and switch clients over',
    };
  },
});

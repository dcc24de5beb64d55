/**
 * §164.312(a)(2)(iv) Encryption and decryption: an Aurora or Multi-AZ DB cluster
 * holding PHI stores it encrypted (KMS), for every instance in it, its backups and
 * snapshots. A cluster cannot be encrypted in place: a person snapshots it,
 * restores the snapshot as an encrypted cluster and moves clients over — a ticket.
 *
 * Events: the calls that create or restore a cluster.
 */
import { dbCluster, describeDbCluster } from '../src/resources/rds/db-cluster';
import { defineRule } from '../src/rule';

export default defineRule<Record<string, never>>({
  id: 'rds-cluster-storage-encrypted',
  title: 'RDS Aurora / Multi-AZ DB cluster storage must be encrypted',
  severity: 'high',
  safeguards: ['164.312(a)(2)(iv)'],
  fix: 'ticket (a cluster cannot be encrypted in place: snapshot, restore encrypted, switch clients)',
  resource: dbCluster,
  triggers: [
    {
      source: 'rds.amazonaws.com',
      events: [
        'CreateDBCluster',
        'RestoreDBClusterFromS3',
        'RestoreDBClusterFromSnapshot',
        'RestoreDBClusterToPointInTime',
      ],
    },
  ],
  permissions: { read: [], write: [] },

  async check(arn, ctx) {
    const encrypted = (await describeDbCluster(ctx, arn)).StorageEncrypted === true;
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
        'a cluster cannot be encrypted in place: snapshot it, restore the snapshot with a KMS key and switch clients over',
    };
  },
});

/**
 * §164.312(a)(2)(iv) Encryption and decryption: a Redshift cluster holding PHI
 * stores it encrypted (KMS). Redshift can encrypt a cluster by modifying it, but
 * the cluster is read-only for the whole migration (hours for a large one) and
 * clients' writes fail meanwhile: a ticket, for a person to schedule.
 *
 * Events: CreateCluster, ModifyCluster (turning encryption off migrates the data
 * back) and RestoreFromClusterSnapshot.
 */
import { describeRedshiftCluster, redshiftCluster } from '../src/resources/redshift/cluster';
import { defineRule } from '../src/rule';

export default defineRule<Record<string, never>>({
  id: 'redshift-cluster-encrypted',
  title: 'Redshift cluster must be encrypted at rest',
  severity: 'high',
  safeguards: ['164.312(a)(2)(iv)'],
  fix: 'ticket (encrypting migrates the data and keeps the cluster read-only for hours)',
  resource: redshiftCluster,
  triggers: [
    {
      source: 'redshift.amazonaws.com',
      events: ['CreateCluster', 'ModifyCluster', 'RestoreFromClusterSnapshot'],
    },
  ],
  permissions: { read: [], write: [] },

  async check(arn, ctx) {
    const encrypted = (await describeRedshiftCluster(ctx, arn)).Encrypted === true;
    return {
      state: encrypted ? 'compliant' : 'non-compliant',
      findings: encrypted ? [] : ['the cluster is not encrypted'],
      observed: {},
      summary: { encrypted },
    };
  },

  plan() {
    return {
      kind: 'ticket',
      reason:
        'encrypting the cluster (ModifyCluster Encrypted=true with a KMS key) migrates its data and keeps it read-only until done: schedule it',
    };
  },
});

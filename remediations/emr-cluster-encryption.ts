/**
 * §164.312(a)(2)(iv) Encryption and decryption / §164.312(e)(2)(ii) encryption in
 * transit: an EMR cluster processing PHI encrypts its data at rest (EBS, local
 * disks, EMRFS on S3) and between its nodes. On EMR that is the cluster's security
 * configuration: compliant means the cluster has one, and it turns on both
 * at-rest and in-transit encryption.
 *
 * Always a ticket: a running cluster's security configuration cannot be changed;
 * it must be relaunched with one, which a person schedules (its jobs stop).
 *
 * Events: RunJobFlow. The sweep judges every running cluster.
 */
import { DescribeSecurityConfigurationCommand } from '@aws-sdk/client-emr';
import { describeCluster, emr, emrCluster } from '../src/resources/emr/cluster';
import { defineRule } from '../src/rule';

interface Observed {
  securityConfiguration?: string;
}

interface EncryptionSettings {
  atRest: boolean;
  inTransit: boolean;
}

/** What a security configuration turns on; an unreadable document turns on nothing. */
function encryptionOf(document: string | undefined): EncryptionSettings {
  try {
    const parsed = JSON.parse(document ?? '{}') as {
      EncryptionConfiguration?: { EnableAtRestEncryption?: unknown; EnableInTransitEncryption?: unknown };
    };
    return {
      atRest: parsed.EncryptionConfiguration?.EnableAtRestEncryption === true,
      inTransit: parsed.EncryptionConfiguration?.EnableInTransitEncryption === true,
    };
  } catch {
    return { atRest: false, inTransit: false };
  }
}

export default defineRule<Observed>({
  id: 'emr-cluster-encryption',
  title: 'EMR cluster must run with a security configuration that encrypts at rest and in transit',
  severity: 'high',
  safeguards: ['164.312(a)(2)(iv)', '164.312(e)(1)'],
  fix: 'ticket: relaunch the cluster with a security configuration that encrypts at rest and in transit',
  resource: emrCluster,
  triggers: [{ source: 'elasticmapreduce.amazonaws.com', events: ['RunJobFlow'] }],
  permissions: { read: ['elasticmapreduce:DescribeSecurityConfiguration'], write: [] },

  async check(arn, ctx) {
    const cluster = await describeCluster(ctx, arn);
    const name = cluster.SecurityConfiguration || undefined;
    const encryption = name
      ? encryptionOf(
          (
            await ctx.reads.get(`emr:security-configuration:${name}`, 'document', () =>
              ctx.clients.get(emr).send(new DescribeSecurityConfigurationCommand({ Name: name })),
            )
          ).SecurityConfiguration,
        )
      : { atRest: false, inTransit: false };
    const findings = name
      ? [
          ...(encryption.atRest ? [] : [`security configuration ${name} does not encrypt at rest`]),
          ...(encryption.inTransit ? [] : [`security configuration ${name} does not encrypt in transit`]),
        ]
      : ['the cluster runs without a security configuration: nothing is encrypted at rest or in transit'];
    return {
      state: findings.length === 0 ? 'compliant' : 'non-compliant',
      findings,
      observed: { securityConfiguration: name },
      summary: { securityConfiguration: name ?? null, ...encryption },
    };
  },

  plan(_arn, observed) {
    return {
      kind: 'ticket',
      reason: observed.securityConfiguration
        ? `the cluster's security configuration (${observed.securityConfiguration}) does not turn on both at-rest and in-transit encryption, and a running cluster's configuration cannot be changed: relaunch it with one that does`
        : 'the cluster runs without a security configuration, and one cannot be added to a running cluster: relaunch it with a security configuration that encrypts at rest and in transit',
    };
  },
});

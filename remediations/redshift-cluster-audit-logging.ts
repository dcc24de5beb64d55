/**
 * §164.312(b) Audit controls: a Redshift cluster holding PHI records who
 * connected and what they ran. Audit logging delivers the connection and user
 * logs to S3.
 *
 * The fix is EnableLogging to the access-log bucket of the cluster's region (the
 * setting PHIGUARD_ACCESS_LOGS_BUCKET, shared with s3-bucket-access-logging), under
 * a prefix naming the cluster; the bucket must let the Redshift service write to it
 * (README). A cluster already logging keeps its destination. Without a bucket
 * configured it is a ticket. A cluster still being created (or paused) waits for
 * the next event or sweep.
 *
 * Events: DisableLogging (turning it off) and CreateCluster (a new cluster does
 * not log).
 */
import { DescribeLoggingStatusCommand, EnableLoggingCommand } from '@aws-sdk/client-redshift';
import { ResourceGoneError } from '../src/errors';
import { awsCall } from '../src/planned-action';
import {
  CLUSTER_NOT_MODIFIABLE,
  describeRedshiftCluster,
  isClusterGone,
  redshift,
  redshiftCluster,
  redshiftClusterIdOf,
} from '../src/resources/redshift/cluster';
import { defineRule } from '../src/rule';
import { accessLogsBucket, accessLogsBucketIn, NO_ACCESS_LOGS_BUCKET } from './s3-bucket-access-logging';

interface Observed {
  status: string;
}

const settings = { bucket: accessLogsBucket };

export default defineRule<Observed, typeof settings>({
  id: 'redshift-cluster-audit-logging',
  title: 'Redshift cluster must keep audit logs',
  severity: 'medium',
  safeguards: ['164.312(b)'],
  fix: 'EnableLogging to the configured access-log bucket, under a prefix naming the cluster; none configured → ticket',
  resource: redshiftCluster,
  triggers: [{ source: 'redshift.amazonaws.com', events: ['CreateCluster', 'DisableLogging'] }],
  settings,
  permissions: { read: ['redshift:DescribeLoggingStatus'], write: ['redshift:EnableLogging'] },

  async check(arn, ctx) {
    const cluster = await describeRedshiftCluster(ctx, arn);
    const logging = await ctx.reads.get(arn, 'redshift:logging', async () => {
      try {
        const out = await ctx.clients
          .get(redshift)
          .send(new DescribeLoggingStatusCommand({ ClusterIdentifier: redshiftClusterIdOf(arn) }));
        return out.LoggingEnabled === true;
      } catch (error) {
        if (isClusterGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    });
    return {
      state: logging ? 'compliant' : 'non-compliant',
      findings: logging ? [] : ['audit logging is off'],
      observed: { status: cluster.ClusterStatus ?? 'unknown' },
      summary: { auditLogging: logging },
    };
  },

  plan(arn, observed, ctx) {
    const bucket = accessLogsBucketIn(ctx.settings.bucket, ctx.region);
    if (!bucket) {
      return NO_ACCESS_LOGS_BUCKET;
    }
    if (CLUSTER_NOT_MODIFIABLE.has(observed.status)) {
      return {
        kind: 'defer',
        reason: `the cluster is ${observed.status}; the next event or sweep turns its audit logging on`,
      };
    }
    const id = redshiftClusterIdOf(arn);
    return {
      kind: 'fix',
      actions: [
        awsCall(redshift, EnableLoggingCommand, {
          ClusterIdentifier: id,
          BucketName: bucket,
          S3KeyPrefix: `redshift/${id}/`,
        }),
      ],
    };
  },
});

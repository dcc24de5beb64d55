/**
 * §164.312(b) Audit controls: requests to a bucket holding PHI are recorded. With
 * S3 server access logging on, every request to the bucket (who, what, when, from
 * where) is delivered to a log bucket. Compliant means logging is on, to any
 * target: a bucket already logging elsewhere keeps its target.
 *
 * The fix logs to the configured access-log bucket, with a prefix naming the
 * bucket; without one configured it is a ticket. The access-log bucket itself is
 * never made to log to itself (each delivery would log another request, without
 * end): it is reported as the destination, not as drift.
 *
 * Events: CreateBucket (a new bucket does not log) and PutBucketLogging (turning
 * it off).
 */
import { GetBucketLoggingCommand, PutBucketLoggingCommand } from '@aws-sdk/client-s3';
import { awsCall } from '../src/planned-action';
import type { ResourceContext } from '../src/resources/resource-type';
import { BUCKET_READS, readBucket, requireBucketName, s3, s3Bucket } from '../src/resources/s3/bucket';
import { defineRule, type Plan } from '../src/rule';
import { ruleSetting } from '../src/rule-settings';
import * as z from '../src/zod';

/**
 * Where access logs of S3 (and Redshift audit logs) are delivered: one bucket per
 * region, as both services require the log bucket in the resource's own region.
 */
export const accessLogsBucket = ruleSetting({
  env: 'PHIGUARD_ACCESS_LOGS_BUCKET',
  file: 'accessLogs.bucket',
  description:
    'bucket that receives S3 server access logs, Redshift audit logs and load balancer access logs, in the resource’s region: a name, where {region} stands for the region (phi-access-logs-{region})',
  unset: 'a ticket instead of a fix',
  schema: z
    .string()
    .check(
      z.regex(/^[a-z0-9{][a-z0-9.{}-]{1,80}[a-z0-9}]$/, 'must be a bucket name, optionally with {region}'),
    ),
});

/** The access-log bucket for a region: the setting with {region} filled in. */
export function accessLogsBucketIn(setting: string | undefined, region: string): string | undefined {
  return setting?.replaceAll('{region}', region);
}

/** What every rule that logs to the access-log bucket plans when none is configured. */
export const NO_ACCESS_LOGS_BUCKET = {
  kind: 'ticket',
  reason: `no access-log bucket configured (set ${accessLogsBucket.env})`,
} as const satisfies Plan;

interface Observed {
  logging: boolean;
  isLogDestination: boolean;
}

function loggingOf(ctx: ResourceContext, arn: string) {
  return readBucket(ctx, arn, BUCKET_READS.logging, [], undefined, async (client, Bucket) => {
    const out = await client.send(new GetBucketLoggingCommand({ Bucket }));
    return out.LoggingEnabled?.TargetBucket;
  });
}

const settings = { bucket: accessLogsBucket };

export default defineRule<Observed, typeof settings>({
  id: 's3-bucket-access-logging',
  title: 'S3 bucket must log the requests made to it (server access logging)',
  severity: 'medium',
  safeguards: ['164.312(b)'],
  fix: 'log to the configured access-log bucket with a prefix naming the bucket; none configured → ticket',
  resource: s3Bucket,
  triggers: [{ source: 's3.amazonaws.com', events: ['CreateBucket', 'PutBucketLogging'] }],
  settings,
  permissions: { read: ['s3:GetBucketLogging'], write: ['s3:PutBucketLogging'] },

  async check(arn, ctx) {
    const bucket = requireBucketName(arn);
    const target = await loggingOf(ctx, arn);
    const isLogDestination = bucket === accessLogsBucketIn(ctx.settings.bucket, ctx.region);
    const logging = target !== undefined;
    const compliant = logging || isLogDestination;
    return {
      state: compliant ? 'compliant' : 'non-compliant',
      findings: compliant ? [] : ['server access logging is off'],
      observed: { logging, isLogDestination },
      summary: { accessLogging: logging, ...(isLogDestination ? { accessLogDestination: true } : {}) },
    };
  },

  plan(arn, _observed, ctx) {
    const target = accessLogsBucketIn(ctx.settings.bucket, ctx.region);
    if (!target) {
      return NO_ACCESS_LOGS_BUCKET;
    }
    const bucket = requireBucketName(arn);
    return {
      kind: 'fix',
      actions: [
        awsCall(s3, PutBucketLoggingCommand, {
          Bucket: bucket,
          BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: `${bucket}/` } },
        }),
      ],
    };
  },
});

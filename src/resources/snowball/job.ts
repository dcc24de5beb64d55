/**
 * AWS::Snowball::Job. Snowball's APIs name a job by its id (`JID…`); CreateJob's
 * answer carries it. PHI Guard names a job `arn:…:snowball:<region>:<account>:job/<id>`.
 * A job that is complete or cancelled reads as gone: the device has been erased.
 * Jobs have no tags, so one cannot be exempted by tag (set the rule's mode).
 *
 * moto does not implement Snowball (the local emulator answers it as an account
 * without jobs: local/snowball-stand-in.ts): the job rule is tested with client mocks.
 */

import {
  DescribeJobCommand,
  type JobMetadata,
  ListJobsCommand,
  SnowballClient,
} from '@aws-sdk/client-snowball';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { stringField } from '../../record-fields';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';

/** The newest @aws-sdk/client-snowball the registry offers is 3.523.0, from before operation schemas. */
export const snowball = awsClient(SnowballClient, {
  iamPrefix: 'snowball',
  legacy: {
    operations: { DescribeJob: DescribeJobCommand, ListJobs: ListJobsCommand },
    endpointVariable: 'AWS_ENDPOINT_URL_SNOWBALL',
  },
});

const JOB_ID = /^JID[0-9a-f-]{36}$/;
const FINISHED = new Set(['Complete', 'Cancelled']);

export function jobArn(partition: string, region: string, accountId: string, id: string): string {
  return `arn:${partition}:snowball:${region}:${accountId}:job/${id}`;
}

export function jobIdOf(arn: string): string {
  const resource = parseArn(arn)?.resource ?? '';
  const id = resource.startsWith('job/') ? resource.slice('job/'.length) : '';
  if (!JOB_ID.test(id)) throw new TypeError(`not a Snowball job ARN: ${arn}`);
  return id;
}

/** The job as DescribeJob answers, shared by its rules; gone once complete or cancelled. */
export function describeJob(ctx: ResourceContext, arn: string): Promise<JobMetadata> {
  return ctx.reads.get(arn, 'snowball:job', async () => {
    let job: JobMetadata | undefined;
    try {
      job = (await ctx.clients.get(snowball).send(new DescribeJobCommand({ JobId: jobIdOf(arn) })))
        .JobMetadata;
    } catch (error) {
      if (hasErrorCode(error, 'InvalidResourceException')) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
    if (!job || FINISHED.has(job.JobState ?? '')) throw new ResourceGoneError(arn);
    return job;
  });
}

function jobArns(record: CloudTrailRecord): string[] {
  const id = stringField(record.responseElements, 'jobId') ?? stringField(record.requestParameters, 'jobId');
  const region = record.awsRegion;
  const account = accountOf(record);
  if (!id || !JOB_ID.test(id) || !region || !account) return [];
  return [jobArn(partitionOf(region), region, account, id)];
}

export const snowballJob = defineResourceType({
  type: 'AWS::Snowball::Job',
  client: snowball,
  permissions: { read: ['snowball:ListJobs', 'snowball:DescribeJob'] },

  resourceIds: jobArns,

  async listPage(ctx, token) {
    const page = await ctx.clients
      .get(snowball)
      .send(new ListJobsCommand({ NextToken: token, MaxResults: Math.min(ctx.pageSize ?? 100, 100) }));
    const arns = (page.JobListEntries ?? []).flatMap((job) =>
      job.JobId && JOB_ID.test(job.JobId) && !FINISHED.has(job.JobState ?? '')
        ? [jobArn(ctx.partition, ctx.region, ctx.accountId, job.JobId)]
        : [],
    );
    return { arns, next: page.NextToken || undefined };
  },

  tags: async () => ({}),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/importexport/home?region=${region}#/jobs/${jobIdOf(arn)}`;
  },
});

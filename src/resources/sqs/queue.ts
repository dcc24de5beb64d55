/**
 * AWS::SQS::Queue. SQS's APIs take a queue's URL, never its ARN; records carry the
 * URL (`requestParameters.queueUrl`, CreateQueue's `responseElements.queueUrl`),
 * whose path is `/<account>/<name>`. The URL to call is asked of the service
 * (GetQueueUrl) rather than built: its form differs between regions and
 * partitions. A sweep page already has every URL from ListQueues.
 */

import { GetQueueUrlCommand, ListQueuesCommand, ListQueueTagsCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { TAGS_READ } from '../../read-cache';
import { stringField } from '../../record-fields';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';

// Calls go to the client's endpoint (a VPC endpoint, an emulator), not to the host a
// queue URL names: SQS's JSON protocol carries the URL in the body, and a queue URL
// always names the public endpoint.
export const sqs = awsClient(SQSClient, {
  iamPrefix: 'sqs',
  config: () => ({ useQueueUrlAsEndpoint: false }),
});

/** Standard and FIFO queue names (a FIFO name ends in `.fifo`). */
const QUEUE_NAME = /^[a-zA-Z0-9_-]{1,80}(\.fifo)?$/;
const QUEUE_URL = 'sqs:queue-url';

export function queueArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:sqs:${region}:${accountId}:${name}`;
}

/** The queue's name and owner from its ARN; a TypeError for any other ARN. */
export function queueOf(arn: string): { name: string; account: string } {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'sqs' || !QUEUE_NAME.test(parsed.resource)) {
    throw new TypeError(`not an SQS queue ARN: ${arn}`);
  }
  return { name: parsed.resource, account: parsed.accountId };
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` → account and name; undefined for anything else. */
function parseQueueUrl(url: string): { account: string; name: string } | undefined {
  try {
    const match = /^\/(\d{12})\/([^/]+)$/.exec(new URL(url).pathname);
    return match?.[1] && match[2] && QUEUE_NAME.test(match[2])
      ? { account: match[1], name: match[2] }
      : undefined;
  } catch {
    return undefined;
  }
}

/** A queue that no longer exists: SQS's error codes for it (JSON and query protocols). */
export function isQueueGone(error: unknown): boolean {
  return hasErrorCode(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue');
}

function queueArns(record: CloudTrailRecord): string[] {
  const region = record.awsRegion;
  if (!region) return [];
  const url =
    stringField(record.requestParameters, 'queueUrl') ?? stringField(record.responseElements, 'queueUrl');
  const fromUrl = url ? parseQueueUrl(url) : undefined;
  if (fromUrl) return [queueArn(partitionOf(region), region, fromUrl.account, fromUrl.name)];
  // CreateQueue that failed to answer: the name, in the caller's account.
  const name = stringField(record.requestParameters, 'queueName');
  const account = accountOf(record);
  if (!name || !QUEUE_NAME.test(name) || !account) return [];
  return [queueArn(partitionOf(region), region, String(account), name)];
}

/** The URL to call for the queue of `arn` (asked once per event or sweep page); ResourceGoneError when it no longer exists. */
export function queueUrlOf(ctx: ResourceContext, arn: string): Promise<string> {
  return ctx.reads.get(arn, QUEUE_URL, async () => {
    const { name, account } = queueOf(arn);
    try {
      const out = await ctx.clients
        .get(sqs)
        .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
      if (!out.QueueUrl) throw new ResourceGoneError(arn);
      return out.QueueUrl;
    } catch (error) {
      if (isQueueGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

export const sqsQueue = defineResourceType({
  type: 'AWS::SQS::Queue',
  client: sqs,
  permissions: { read: ['sqs:ListQueues', 'sqs:GetQueueUrl', 'sqs:ListQueueTags'] },

  resourceIds: queueArns,

  async listPage(ctx, token) {
    const page = await ctx.clients
      .get(sqs)
      .send(new ListQueuesCommand({ NextToken: token, MaxResults: Math.min(ctx.pageSize ?? 1000, 1000) }));
    const arns: string[] = [];
    for (const url of page.QueueUrls ?? []) {
      const queue = parseQueueUrl(url);
      if (!queue) continue;
      const arn = queueArn(ctx.partition, ctx.region, queue.account, queue.name);
      // The listing names each queue's URL: no GetQueueUrl per queue in a sweep.
      ctx.reads.prime(arn, QUEUE_URL, url);
      arns.push(arn);
    }
    return { arns, next: page.NextToken || undefined };
  },

  tags: (arn, ctx) =>
    ctx.reads.get(arn, TAGS_READ, async () => {
      const QueueUrl = await queueUrlOf(ctx, arn);
      try {
        const out = await ctx.clients.get(sqs).send(new ListQueueTagsCommand({ QueueUrl }));
        return { ...out.Tags };
      } catch (error) {
        if (isQueueGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    }),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    const { name, account } = queueOf(arn);
    const url = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
    return base && `${base}/sqs/v3/home?region=${region}#/queues/${encodeURIComponent(url)}`;
  },
});

/**
 * AWS::SNS::Topic. SNS's APIs and records name a topic by its ARN
 * (`requestParameters.topicArn`; CreateTopic's `responseElements.topicArn`).
 */

import { ListTagsForResourceCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { parseArn } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import type { CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { TAGS_READ } from '../../read-cache';
import { stringField } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType } from '../resource-type';

export const sns = awsClient(SNSClient, { iamPrefix: 'sns' });

/** Standard and FIFO topic ARNs (a FIFO name ends in `.fifo`). */
const TOPIC_ARN = /^arn:[^:]+:sns:[^:]+:\d{12}:[a-zA-Z0-9_-]{1,256}(\.fifo)?$/;

/** A topic that no longer exists: SNS's error code for it. */
export function isTopicGone(error: unknown): boolean {
  return hasErrorCode(error, 'NotFound', 'NotFoundException');
}

function topicArns(record: CloudTrailRecord): string[] {
  const arn =
    stringField(record.requestParameters, 'topicArn') ?? stringField(record.responseElements, 'topicArn');
  return arn && TOPIC_ARN.test(arn) ? [arn] : [];
}

export const snsTopic = defineResourceType({
  type: 'AWS::SNS::Topic',
  client: sns,
  permissions: { read: ['sns:ListTopics', 'sns:ListTagsForResource'] },

  resourceIds: topicArns,

  async listPage(ctx, token) {
    // ListTopics pages by 100; it takes no page size.
    const page = await ctx.clients.get(sns).send(new ListTopicsCommand({ NextToken: token }));
    const arns = (page.Topics ?? []).flatMap((t) =>
      t.TopicArn && TOPIC_ARN.test(t.TopicArn) ? [t.TopicArn] : [],
    );
    return { arns, next: page.NextToken || undefined };
  },

  tags: (arn, ctx) =>
    ctx.reads.get(arn, TAGS_READ, async () => {
      try {
        const out = await ctx.clients.get(sns).send(new ListTagsForResourceCommand({ ResourceArn: arn }));
        return tagRecord(out.Tags);
      } catch (error) {
        if (isTopicGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    }),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return parseArn(arn) && base ? `${base}/sns/v3/home?region=${region}#/topic/${arn}` : undefined;
  },
});

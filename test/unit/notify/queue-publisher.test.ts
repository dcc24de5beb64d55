import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { notificationsFor } from '../../../src/notify/notification';
import { NotificationEnqueueError, SqsNotificationPublisher } from '../../../src/notify/queue-publisher';
import { outcome } from '../../support/outcomes';

/**
 * moto never refuses part of a SendMessageBatch, which SQS does under load: the
 * partial failures are tested against client mocks (the whole path is tested
 * against moto behind the fault proxy in test/integration/notifier-faults.test.ts).
 */
const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/phiguard-test-notify';
const three = () =>
  notificationsFor(
    ['a', 'b', 'c'].map((name) =>
      outcome({ resource: `arn:aws:s3:::bucket-${name}`, eventId: `evt-${name}` }),
    ),
  );
const publisher = () =>
  new SqsNotificationPublisher(new SQSClient({ region: 'us-east-1', maxAttempts: 1 }), QUEUE);

describe('SqsNotificationPublisher (client mocks: moto never refuses part of a batch)', () => {
  it('sends again only the entries SQS refused on its side, until all are queued', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: '0', MessageId: 'm0', MD5OfMessageBody: '' }],
        Failed: [
          { Id: '1', Code: 'InternalError', SenderFault: false },
          { Id: '2', Code: 'ServiceUnavailable', SenderFault: false },
        ],
      })
      .resolvesOnce({ Successful: [], Failed: [{ Id: '2', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Successful: [{ Id: '2', MessageId: 'm2', MD5OfMessageBody: '' }], Failed: [] });
    const notifications = three();
    await publisher().publish(notifications);
    const sent = sqs
      .commandCalls(SendMessageBatchCommand)
      .map((c) => c.args[0].input.Entries?.map((e) => e.Id));
    expect(sent).toEqual([['0', '1', '2'], ['1', '2'], ['2']]);
    const lastBody = sqs.commandCalls(SendMessageBatchCommand)[2]?.args[0].input.Entries?.[0]?.MessageBody;
    expect(JSON.parse(lastBody as string).id).toBe(notifications[2]?.id);
  });

  it('gives up at once on an entry refused as the sender’s fault, and after its rounds on one that keeps failing', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', Code: 'InvalidMessageContents', SenderFault: true }],
    });
    await expect(publisher().publish(three())).rejects.toThrow(NotificationEnqueueError);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);

    sqs.reset();
    sqs.on(SendMessageBatchCommand).rejects(
      Object.assign(new Error('throttled'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
        $retryable: { throttling: true },
      }),
    );
    await expect(publisher().publish(three())).rejects.toThrow('throttled');
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(4);
  });
});

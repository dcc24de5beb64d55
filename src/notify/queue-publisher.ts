import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { chunksOf } from '../chunks';
import { PhiGuardError } from '../errors';
import type { Notification } from './notification';

/** Hands notifications to the notifier: the remediation path never waits on Slack or Jira. */
export interface NotificationPublisher {
  publish(notifications: readonly Notification[]): Promise<void>;
}

export class NotificationEnqueueError extends PhiGuardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotificationEnqueueError';
  }
}

/** SQS (KMS-encrypted, TLS-only) in batches of ten, the API's maximum. */
export class SqsNotificationPublisher implements NotificationPublisher {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(notifications: readonly Notification[]): Promise<void> {
    for (const chunk of chunksOf(notifications, 10)) {
      const out = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((n, i) => ({
            Id: String(i),
            MessageBody: JSON.stringify(n),
            MessageAttributes: {
              kind: { DataType: 'String', StringValue: n.kind },
              severity: { DataType: 'String', StringValue: n.severity },
            },
          })),
        }),
      );
      if (out.Failed && out.Failed.length > 0) {
        throw new NotificationEnqueueError(
          `${out.Failed.length} notification(s) not enqueued: ${out.Failed.map((f) => f.Code).join(', ')}`,
        );
      }
    }
  }
}

/** Collects notifications in memory (the CLI without a queue, and tests). */
export class MemoryNotificationPublisher implements NotificationPublisher {
  readonly published: Notification[] = [];
  async publish(notifications: readonly Notification[]): Promise<void> {
    this.published.push(...notifications);
  }
}

import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { isTransientAwsError } from '../aws-errors';
import { chunksOf } from '../chunks';
import { PhiGuardError } from '../errors';
import { inRetryRounds } from '../retry-rounds';
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

/** Entries SQS refused for a reason on its side (not the sender's fault): another round may take them. */
class EntriesNotTakenError extends NotificationEnqueueError {
  constructor(readonly codes: string[]) {
    super(`${codes.length} notification(s) not enqueued: ${codes.join(', ')}`);
    this.name = 'EntriesNotTakenError';
  }
}

/** Rounds per batch on top of the SDK's retries: a notification not queued is one nobody hears of. */
export const ENQUEUE_ROUNDS = 4;

/**
 * SQS (KMS-encrypted, TLS-only) in batches of ten, the API's maximum. A batch the
 * queue partly refused is sent again with only the refused entries; a lost answer
 * may queue a notification twice, which the notifier's delivery markers absorb.
 */
export class SqsNotificationPublisher implements NotificationPublisher {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly rounds = ENQUEUE_ROUNDS,
  ) {}

  async publish(notifications: readonly Notification[]): Promise<void> {
    for (const chunk of chunksOf(notifications, 10)) {
      let pending: SendMessageBatchRequestEntry[] = chunk.map((n, i) => ({
        Id: String(i),
        MessageBody: JSON.stringify(n),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: n.kind },
          severity: { DataType: 'String', StringValue: n.severity },
        },
      }));
      await inRetryRounds(
        async () => {
          const out = await this.client.send(
            new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
          );
          const failed = out.Failed ?? [];
          if (failed.length === 0) return;
          if (failed.some((f) => f.SenderFault)) {
            throw new NotificationEnqueueError(
              `${failed.length} notification(s) not enqueued: ${failed.map((f) => f.Code).join(', ')}`,
            );
          }
          const refused = new Set(failed.map((f) => f.Id));
          pending = pending.filter((entry) => refused.has(entry.Id));
          throw new EntriesNotTakenError(failed.map((f) => f.Code ?? 'unknown'));
        },
        {
          rounds: this.rounds,
          retryable: (error) => error instanceof EntriesNotTakenError || isTransientAwsError(error),
        },
      );
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

import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { uniqueName } from './moto';

/**
 * A queue that hands a message back at once (visibility 0, so a test can receive it
 * again without waiting) and moves it to its own dead-letter queue after
 * `maxReceiveCount` receives, as the notify queue does in the stack.
 */
export async function queueWithDeadLetters(
  sqs: SQSClient,
  prefix: string,
  maxReceiveCount: number,
): Promise<{ queueUrl: string; dlqUrl: string }> {
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(`${prefix}-dlq`) })))
    .QueueUrl as string;
  const dlqArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn as string;
  const queueUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: uniqueName(prefix),
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
          VisibilityTimeout: '0',
        },
      }),
    )
  ).QueueUrl as string;
  return { queueUrl, dlqUrl };
}

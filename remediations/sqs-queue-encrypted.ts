/**
 * §164.312(a)(2)(iv) Encryption and decryption: messages carrying PHI are
 * encrypted at rest in SQS. Compliant means SSE-SQS (SQS-managed keys) or SSE-KMS
 * (a KMS key of the owner's choosing, which stays).
 *
 * The fix sets only `SqsManagedSseEnabled=true`: SetQueueAttributes changes the
 * attributes it is given, so the policy, redrive and timeouts stay. Producers and
 * consumers need nothing new (SQS-managed keys need no KMS permissions). SQS takes
 * up to a minute to show an attribute change: the read-back waits 20 s, then the
 * outcome is `pending` and the next event or sweep confirms it.
 *
 * Events: CreateQueue (a queue created without encryption) and SetQueueAttributes
 * (SSE turned off).
 */
import { GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ResourceGoneError } from '../src/errors';
import { awsCall } from '../src/planned-action';
import { isQueueGone, queueUrlOf, sqs, sqsQueue } from '../src/resources/sqs/queue';
import { defineRule, type Settle } from '../src/rule';

export const QUEUE_ATTRIBUTE_SETTLE: Settle = { timeoutSeconds: 20, intervalSeconds: 5 };

interface Observed {
  queueUrl: string;
}

export default defineRule<Observed>({
  id: 'sqs-queue-encrypted',
  title: 'SQS queue must encrypt messages at rest',
  severity: 'high',
  safeguards: ['164.312(a)(2)(iv)'],
  fix: 'SqsManagedSseEnabled=true (other attributes kept; a queue with a KMS key is compliant)',
  resource: sqsQueue,
  triggers: [{ source: 'sqs.amazonaws.com', events: ['CreateQueue', 'SetQueueAttributes'] }],
  permissions: { read: ['sqs:GetQueueAttributes'], write: ['sqs:SetQueueAttributes'] },

  async check(arn, ctx) {
    const queueUrl = await queueUrlOf(ctx, arn);
    const attributes = await ctx.reads.get(arn, 'sqs:encryption', async () => {
      try {
        const out = await ctx.clients.get(sqs).send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ['SqsManagedSseEnabled', 'KmsMasterKeyId'],
          }),
        );
        return out.Attributes ?? {};
      } catch (error) {
        if (isQueueGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    });
    const encryption = attributes.KmsMasterKeyId
      ? 'SSE-KMS'
      : attributes.SqsManagedSseEnabled === 'true'
        ? 'SSE-SQS'
        : 'none';
    return {
      state: encryption === 'none' ? 'non-compliant' : 'compliant',
      findings: encryption === 'none' ? ['server-side encryption is off'] : [],
      observed: { queueUrl },
      summary: { encryption },
    };
  },

  plan(_arn, observed) {
    return {
      kind: 'fix',
      settle: QUEUE_ATTRIBUTE_SETTLE,
      actions: [
        awsCall(sqs, SetQueueAttributesCommand, {
          QueueUrl: observed.queueUrl,
          Attributes: { SqsManagedSseEnabled: 'true' },
        }),
      ],
    };
  },
});

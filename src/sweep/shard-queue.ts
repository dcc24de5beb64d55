import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { chunksOf } from '../chunks';
import { PhiGuardError } from '../errors';
import type { Shard } from './shard';

export class ShardEnqueueError extends PhiGuardError {
  constructor(message: string) {
    super(message);
    this.name = 'ShardEnqueueError';
  }
}

/** Puts shards on the sweep queue (KMS, TLS-only), ten per call. */
export async function enqueueShards(
  sqs: SQSClient,
  queueUrl: string,
  shards: readonly Shard[],
): Promise<void> {
  for (const chunk of chunksOf(shards, 10)) {
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((shard, i) => ({ Id: String(i), MessageBody: JSON.stringify(shard) })),
      }),
    );
    if (out.Failed?.length) {
      throw new ShardEnqueueError(
        `${out.Failed.length} sweep shard(s) not enqueued: ${out.Failed.map((f) => f.Code).join(', ')}`,
      );
    }
  }
}

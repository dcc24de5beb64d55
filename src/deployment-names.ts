/**
 * What the stack names `phiguard-<stage>-…` and the operator commands find by those
 * names (`phiguard status`, `phiguard dlq`), without looking the stack up: the
 * registry table and the dead-letter queues (serverless.yml).
 */
export const ledgerTableName = (stage: string) => `phiguard-${stage}-ledger`;

export type DeadLetterQueueKey = 'events' | 'notifications' | 'sweep';

export const DEAD_LETTER_QUEUES: readonly { key: DeadLetterQueueKey; suffix: string; what: string }[] = [
  {
    key: 'events',
    suffix: 'events-dlq',
    what: 'events that failed every retry (missed fixes until redriven)',
  },
  { key: 'notifications', suffix: 'notify-dlq', what: 'notifications not delivered' },
  { key: 'sweep', suffix: 'sweep-dlq', what: 'sweep shards that failed every retry' },
];

export const deadLetterQueueName = (stage: string, suffix: string) => `phiguard-${stage}-${suffix}`;

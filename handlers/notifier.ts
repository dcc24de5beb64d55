import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfig } from '../src/config';
import { ConfigError } from '../src/errors';
import { asEngineLogger, createLambdaLogger } from '../src/logger';
import { buildNotifierDeps } from '../src/notify/build';
import { Notifier } from '../src/notify/notifier';
import { loadNotifierSettings } from '../src/notify/settings';

/**
 * SQS (the notification queue) → Slack, SNS, Jira, ServiceNow, OpsCenter.
 * Configuration and secrets are read at cold start. Failed messages are
 * reported individually (partial batch response): the queue retries them with
 * its visibility timeout and dead-letters the ones that keep failing.
 */
const logger = createLambdaLogger();
const config = loadConfig();
if (!config.ledgerTable) {
  throw new ConfigError(
    'PHIGUARD_LEDGER_TABLE is not set: the notifier keeps delivery and ticket state there',
  );
}
const notifier = new Notifier(
  await buildNotifierDeps(loadNotifierSettings(), config, asEngineLogger(logger)),
);

export async function onNotifications(event: SQSEvent): Promise<SQSBatchResponse> {
  const result = await notifier.processBatch(
    event.Records.map((r) => ({ messageId: r.messageId, body: r.body })),
  );
  logger.info('notification batch', {
    messages: event.Records.length,
    delivered: result.delivered,
    digests: result.digests,
    retried: result.batchItemFailures.length,
  });
  return { batchItemFailures: result.batchItemFailures };
}

export const handler = middy(onNotifications).use(injectLambdaContext(logger));

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { rules } from '../remediations';
import { createClientPool } from '../src/aws-clients';
import { loadConfig } from '../src/config';
import { Engine } from '../src/engine';
import { ConfigError } from '../src/errors';
import { createLedger } from '../src/ledger/create-ledger';
import { asEngineLogger, createLambdaLogger } from '../src/logger';
import { createPublisher } from '../src/notify/build';
import { processEvent } from '../src/process-event';

/**
 * EventBridge → this function, one CloudTrail management event per invocation.
 * Configuration is read at init: a bad setting fails the cold start loudly
 * instead of silently mis-handling events. A malformed event or a failed
 * remediation throws, so Lambda retries it and then sends it to the DLQ.
 */
const logger = createLambdaLogger();
const config = loadConfig();
if (!config.ledgerTable) {
  // Without the registry there is no de-duplication, no fight protection and no audit trail.
  throw new ConfigError('PHIGUARD_LEDGER_TABLE is not set: the Lambda needs the action registry table');
}
const engine = new Engine({
  rules,
  config,
  ledger: createLedger(config),
  publisher: createPublisher(config),
  clientsFor: createClientPool(),
  logger: asEngineLogger(logger),
});
logger.info('phiguard ready', {
  rules: rules.length,
  dryRun: config.dryRun,
  ledger: engine.ledger.description,
});

export async function onCloudTrailEvent(event: unknown, _context?: Context) {
  const report = await processEvent(engine, event);
  return {
    eventId: report.eventId,
    skipped: report.skipped,
    outcomes: report.outcomes.map(({ rule, resource, status, reason }) => ({
      rule,
      resource,
      status,
      reason,
    })),
  };
}

export const handler = middy(onCloudTrailEvent).use(injectLambdaContext(logger));

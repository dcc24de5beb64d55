import type { Logger } from '@aws-lambda-powertools/logger';
import { rules } from '../remediations';
import { createClientPool } from './aws-clients';
import { loadConfig } from './config';
import { Engine } from './engine/engine';
import { ConfigError } from './errors';
import { createTableLedger } from './ledger/create-ledger';
import { asEngineLogger } from './logger';
import { createPublisher } from './notify/build';

/**
 * The engine as every remediating Lambda runs it (events and sweep workers):
 * configuration read at init, the registry table required (without it there
 * is no de-duplication, no fight protection and no audit trail), the notifier's
 * queue when configured. A bad setting fails the cold start, not an event.
 */
export function createLambdaEngine(logger: Logger): Engine {
  const config = loadConfig(process.env, process.cwd(), rules);
  if (!config.ledgerTable) {
    throw new ConfigError('PHIGUARD_LEDGER_TABLE is not set: the Lambda needs the action registry table');
  }
  const engine = new Engine({
    rules,
    config,
    ledger: createTableLedger(config.ledgerTable, config),
    publisher: createPublisher(config),
    clientsFor: createClientPool(),
    logger: asEngineLogger(logger),
  });
  logger.info('phiguard ready', {
    rules: rules.length,
    dryRun: config.dryRun,
    ledger: engine.ledger.description,
  });
  return engine;
}

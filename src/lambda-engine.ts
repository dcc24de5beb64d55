import type { Logger } from '@aws-lambda-powertools/logger';
import { createClientPool } from './aws-clients';
import { loadConfig } from './config';
import { Engine } from './engine/engine';
import { ConfigError } from './errors';
import { createTableLedger } from './ledger/create-ledger';
import { asEngineLogger } from './logger';
import { createPublisher } from './notify/build';
import type { Rule } from './rule';

/**
 * The engine as every remediating Lambda runs it (events and sweep workers):
 * configuration read at init, the registry table required (without it there
 * is no de-duplication, no fight protection and no audit trail), the notifier's
 * queue when configured. A bad setting fails the cold start, not an event.
 * `rules` is the whole registry (the sweep worker) or, with `partOfRegistry`,
 * an event function's share of it.
 */
export function createLambdaEngine(logger: Logger, rules: readonly Rule[], partOfRegistry = false): Engine {
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
    partOfRegistry,
  });
  logger.info('phiguard ready', {
    rules: rules.length,
    dryRun: config.dryRun,
    ledger: engine.ledger.description,
  });
  return engine;
}

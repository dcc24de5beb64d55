import { rules } from '../../remediations';
import { createClientPool } from '../aws-clients';
import { loadConfig, type PhiGuardConfig } from '../config';
import { Engine } from '../engine';
import { createLedger } from '../ledger/create-ledger';
import { type EngineLogger, silentLogger } from '../logger';
import { createPublisher } from '../notify/build';

/** The CLI's configuration: `--apply` is its explicit opt-in; without it a run is always a dry-run. */
export function loadCliConfig(apply: boolean): PhiGuardConfig {
  return loadConfig({ ...process.env, PHIGUARD_DRY_RUN: apply ? 'false' : 'true' });
}

/**
 * The engine as the CLI runs it (`invoke`, `scan`): the configured registry, or
 * without a table an in-memory one, said once on stderr; notifications queued
 * when a queue is configured; logs only when asked.
 */
export function createCliEngine(config: PhiGuardConfig, logger: EngineLogger = silentLogger): Engine {
  const ledger = createLedger(config);
  if (!config.ledgerTable) {
    process.stderr.write(
      'phiguard: PHIGUARD_LEDGER_TABLE is not set; using an in-memory action registry for this run (no de-duplication across runs, no history kept)\n',
    );
  }
  return new Engine({
    rules,
    config,
    ledger,
    publisher: createPublisher(config),
    clientsFor: createClientPool(),
    logger,
  });
}

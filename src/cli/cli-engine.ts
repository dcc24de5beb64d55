import { rules } from '../../remediations';
import { createClientPool } from '../aws-clients';
import { loadConfig, type PhiGuardConfig } from '../config';
import { Engine } from '../engine/engine';
import { createLedger } from '../ledger/create-ledger';
import { type EngineLogger, silentLogger } from '../logger';
import { createPublisher } from '../notify/build';

/**
 * The CLI's configuration, with every rule's settings. `--apply` is the explicit
 * opt-in to act; without it a run is always a dry-run (commands that do not run
 * rules leave the environment's value as it is).
 */
export function loadCliConfig(apply?: boolean): PhiGuardConfig {
  const env =
    apply === undefined ? process.env : { ...process.env, PHIGUARD_DRY_RUN: apply ? 'false' : 'true' };
  return loadConfig(env, process.cwd(), rules);
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

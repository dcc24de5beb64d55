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
 * Says once on stderr that the run's registry is in memory, when no table is
 * configured. Said after the input is known to be usable, so a bad input gets
 * exactly one line: its error.
 */
export function sayIfMemoryLedger(config: PhiGuardConfig): void {
  if (!config.ledgerTable) {
    process.stderr.write(
      'phiguard: PHIGUARD_LEDGER_TABLE is not set; using an in-memory action registry for this run (no de-duplication across runs, no history kept)\n',
    );
  }
}

/**
 * The engine as the CLI runs it (`invoke`, `scan`): the configured registry, or
 * without a table an in-memory one (the caller says so: sayIfMemoryLedger);
 * notifications queued when a queue is configured; logs only when asked.
 */
export function createCliEngine(config: PhiGuardConfig, logger: EngineLogger = silentLogger): Engine {
  const ledger = createLedger(config);
  return new Engine({
    rules,
    config,
    ledger,
    publisher: createPublisher(config),
    clientsFor: createClientPool(),
    logger,
  });
}

import type { Engine, EventReport } from './engine/engine';
import { RemediationFailedError } from './errors';

/**
 * The single entry point shared by the Lambda handler and `phiguard invoke`, so
 * the CLI replays an event through exactly the code the Lambda runs.
 *
 * Resolves with the report; rejects with `InvalidEventError` for input that
 * is not an event, and with {@link RemediationFailedError} (carrying the report)
 * when any outcome is `error`, so Lambda retries and finally dead-letters it.
 */
export async function processEvent(engine: Engine, event: unknown): Promise<EventReport> {
  const report = await engine.handleEvent(event);
  const failures = report.outcomes
    .filter((outcome) => outcome.status === 'error')
    .map((outcome) => ({
      rule: outcome.rule,
      resource: outcome.resource,
      reason: outcome.reason ?? 'unknown error',
    }));
  if (failures.length > 0) throw new EventFailedError(report, failures);
  return report;
}

/** A {@link RemediationFailedError} that still carries every outcome of the event. */
export class EventFailedError extends RemediationFailedError {
  readonly report: EventReport;
  constructor(report: EventReport, failures: ConstructorParameters<typeof RemediationFailedError>[0]) {
    super(failures);
    this.name = 'EventFailedError';
    this.report = report;
  }
}

import { randomUUID } from 'node:crypto';
import type { ClaimRelease, HistoryEntry } from './ledger/ledger';
import { OUTCOME_STATUSES, type Outcome, type OutcomeStatus } from './outcome';

/** Statuses that enter the audit history (not `ignored` or `duplicate`: nothing was evaluated). */
const RECORDED: ReadonlySet<OutcomeStatus> = new Set(
  OUTCOME_STATUSES.filter((status) => status !== 'ignored' && status !== 'duplicate'),
);

/** What one event's (or sweep's) evaluations leave for the ledger to settle in one write. */
export class Settlement {
  readonly entries: HistoryEntry[] = [];
  readonly releases: ClaimRelease[] = [];
  constructor(readonly owner: string) {}

  record(outcome: Outcome): void {
    if (!RECORDED.has(outcome.status)) return;
    const id = randomUUID().replaceAll('-', '').slice(0, 16);
    outcome.historyId = id;
    this.entries.push({
      id,
      rule: outcome.rule,
      resource: outcome.resource,
      status: outcome.status,
      safeguards: outcome.safeguards,
      eventId: outcome.eventId,
      eventName: outcome.eventName,
      actor: outcome.actor,
      time: outcome.time,
      dryRun: outcome.dryRun,
      actions: outcome.actions,
      before: outcome.before,
      after: outcome.after,
      reason: outcome.reason,
      findings: outcome.findings,
      region: outcome.region,
    });
  }
}

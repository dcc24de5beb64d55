import type { ClaimRelease, HistoryEntry } from './ledger/ledger';
import { OUTCOME_STATUSES, type Outcome, type OutcomeStatus } from './outcome';

/** Statuses that enter the audit history (not `ignored` or `duplicate`: nothing was evaluated). */
const RECORDED: ReadonlySet<OutcomeStatus> = new Set(
  OUTCOME_STATUSES.filter((status) => status !== 'ignored' && status !== 'duplicate'),
);

export function isRecorded(status: OutcomeStatus): boolean {
  return RECORDED.has(status);
}

/** What one event's (or sweep page's) evaluations leave for the ledger to settle in one write. */
export class Settlement {
  readonly entries: HistoryEntry[] = [];
  readonly releases: ClaimRelease[] = [];
  constructor(readonly owner: string) {}

  /** The outcome's history entry, under the id it was built with. */
  record(outcome: Outcome): void {
    if (!outcome.historyId) return;
    this.entries.push({
      id: outcome.historyId,
      rule: outcome.rule,
      resource: outcome.resource,
      status: outcome.status,
      safeguards: outcome.safeguards,
      eventId: outcome.eventId,
      eventName: outcome.eventName,
      eventTime: outcome.eventTime,
      actor: outcome.actor,
      time: outcome.time,
      dryRun: outcome.dryRun,
      actions: outcome.actions,
      before: outcome.before,
      after: outcome.after,
      reason: outcome.reason,
      findings: outcome.findings,
      region: outcome.region,
      account: outcome.account,
      ...(outcome.fight ? { fight: true } : {}),
    });
  }
}

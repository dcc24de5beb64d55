import type { HistoryEntry } from '../ledger/ledger';
import { renderTable } from './table';

export function formatHistory(entries: readonly HistoryEntry[]): string {
  if (entries.length === 0) return '(no history entries match)';
  return renderTable(
    ['TIME', 'STATUS', 'RULE', 'ACCOUNT', 'RESOURCE', 'RUN', 'ACTIONS', 'TICKET', 'EVENT', 'ACTOR'],
    entries.map((e) => [
      e.time,
      e.status,
      e.rule,
      e.account ?? '-',
      e.resource,
      e.dryRun ? 'dry-run' : 'apply',
      e.actions.map((a) => a.api).join(',') || '-',
      e.ticketKey ?? '-',
      e.eventId ?? '-',
      e.actor ?? '-',
    ]),
  );
}

import type { EventReport } from '../engine/engine';
import { renderTable } from './table';

function detailOf(outcome: EventReport['outcomes'][number]): string {
  if (outcome.actions.length > 0 && ['would-remediate', 'remediated'].includes(outcome.status)) {
    return outcome.actions.map((action) => action.api).join(', ');
  }
  return outcome.reason ?? outcome.findings?.join('; ') ?? '';
}

export function formatReport(report: EventReport): string {
  const header = `${report.eventSource} ${report.eventName}  event ${report.eventId ?? '(no id)'}  region ${report.region ?? '?'}  actor ${report.actor ?? '?'}`;
  if (report.skipped) return `${header}\nskipped: ${report.skipped}`;
  const table = renderTable(
    ['STATUS', 'RULE', 'RESOURCE', 'SAFEGUARDS', 'DETAIL'],
    report.outcomes.map((o) => [o.status, o.rule, o.resource, o.safeguards.join(' '), detailOf(o)]),
  );
  const mode = report.outcomes[0]?.dryRun === false ? 'apply' : 'dry-run (use --apply to act)';
  return `${header}\nmode: ${mode}\n${table}`;
}

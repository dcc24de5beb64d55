import type { Outcome } from '../outcome';

/**
 * `phiguard scan --format csv`: one row per (rule, resource) outcome, for a
 * spreadsheet. RFC 4180 quoting, CRLF line ends (what spreadsheet programs expect).
 */
export const CSV_COLUMNS = [
  'account',
  'region',
  'rule',
  'resource',
  'resource_type',
  'status',
  'severity',
  'safeguards',
  'dry_run',
  'detail',
  'calls',
  'time',
  'event_id',
  'actor',
] as const;

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is
 * prefixed with `'`: an ARN or an actor cannot be crafted into one, but a reason
 * echoing an AWS error might, and a scan export must never execute on opening.
 */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function formatCsv(outcomes: readonly Outcome[]): string {
  const rows = outcomes.map((o) => [
    o.account ?? '',
    o.region ?? '',
    o.rule,
    o.resource,
    o.resourceType ?? '',
    o.status,
    o.severity,
    o.safeguards.join(' '),
    String(o.dryRun),
    [...(o.findings ?? []), ...(o.reason ? [o.reason] : [])].join('; '),
    o.actions.map((a) => `${a.service}:${a.api}`).join(' '),
    o.time,
    o.eventId ?? '',
    o.actor ?? '',
  ]);
  return [[...CSV_COLUMNS], ...rows].map((row) => row.map(cell).join(',')).join('\r\n');
}

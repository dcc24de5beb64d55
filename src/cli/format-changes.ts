import type { Outcome } from '../outcome';
import { renderTable } from './table';

function show(value: unknown): string {
  if (value === undefined) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One row per setting that a remediation changed: the before/after view of an apply run. */
export function formatChanges(outcomes: readonly Outcome[]): string {
  const rows: string[][] = [];
  for (const outcome of outcomes) {
    if (outcome.status !== 'remediated' || !outcome.before || !outcome.after) continue;
    for (const key of new Set([...Object.keys(outcome.before), ...Object.keys(outcome.after)])) {
      const before = show(outcome.before[key]);
      const after = show(outcome.after[key]);
      if (before !== after) rows.push([outcome.resource, outcome.rule, key, before, after]);
    }
  }
  if (rows.length === 0) return '(no settings changed)';
  return renderTable(['RESOURCE', 'RULE', 'SETTING', 'BEFORE', 'AFTER'], rows);
}

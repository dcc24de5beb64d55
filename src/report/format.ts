import type { Evidence } from './evidence';

/** `42 s`, `3.5 min`, `2.1 h`, `1.5 d`; `—` when nothing was measured. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

/** `100 %`, `87.5 %`; `—` when no resource was evaluated. */
export function formatShare(share: number | undefined): string {
  if (share === undefined) return '—';
  return `${Number.parseFloat((share * 100).toFixed(1))} %`;
}

export function periodOf(evidence: Pick<Evidence, 'since' | 'until'>): string {
  return `${evidence.since.slice(0, 10)} to ${evidence.until.slice(0, 10)}`;
}

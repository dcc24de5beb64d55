import { PHIGUARD_VERSION } from '../version';
import type { Evidence } from './evidence';
import { formatDuration, formatShare, periodOf } from './format';
import { bucketTimesToFix, TIME_TO_FIX_BUCKETS } from './svg-charts';

/** A markdown cell: pipes and line breaks would break the table. */
function md(text: string): string {
  return text.replaceAll('|', '\\|').replace(/[\r\n]+/g, ' ');
}

/** The evidence report as markdown (a wiki page, a ticket attachment); the charts become tables. */
export function renderEvidenceMarkdown(evidence: Evidence): string {
  const lines = [
    '# HIPAA Security Rule — technical safeguard evidence',
    '',
    `PHI Guard ${PHIGUARD_VERSION} · period ${periodOf(evidence)} · generated ${evidence.generatedAt}`,
    '',
    `- Accounts: ${evidence.accounts.join(', ') || 'none recorded'}`,
    `- Regions: ${evidence.regions.join(', ') || 'none recorded'}`,
    `- Audit-trail entries: ${evidence.historyEntries}${evidence.scanned ? '; with a live dry-run scan' : ''}`,
    '',
    '## Summary by safeguard',
    '',
    '| safeguard | controls | evaluated | compliant now | drifts | fixed automatically | median time to fix | p95 time to fix | tickets opened / open | exemptions | fights |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const s of evidence.safeguards) {
    lines.push(
      `| §${s.id} ${md(s.title)} | ${s.controls.length} | ${s.resourcesEvaluated} | ${formatShare(s.compliantShare)} | ${s.driftsDetected} | ${s.fixedAutomatically} | ${formatDuration(s.timeToFix.medianSeconds)} | ${formatDuration(s.timeToFix.p95Seconds)} | ${s.ticketsOpened} / ${s.ticketsStillOpen} | ${s.exemptions.length} | ${s.fights} |`,
    );
  }
  lines.push(
    '',
    '## Drifts per week',
    '',
    `| week (Monday) | ${evidence.safeguards.map((s) => `§${s.id}`).join(' | ')} |`,
  );
  lines.push(`|---|${evidence.safeguards.map(() => '--:').join('|')}|`);
  for (const week of evidence.weeks) {
    lines.push(`| ${week.start} | ${evidence.safeguards.map((s) => week.drifts[s.id] ?? 0).join(' | ')} |`);
  }
  const buckets = bucketTimesToFix(evidence.timeToFixSeconds);
  lines.push('', '## Time to fix', '', '| from API call to verified fix | fixes |', '|---|--:|');
  TIME_TO_FIX_BUCKETS.forEach((b, i) => {
    lines.push(`| ${b.label} | ${buckets[i] ?? 0} |`);
  });
  lines.push('', '## Safeguards in detail');
  for (const s of evidence.safeguards) {
    lines.push('', `### §${s.id} — ${s.title}`, '');
    if (s.controls.length === 0) lines.push('No PHI Guard control enforces this safeguard yet.');
    for (const c of s.controls) lines.push(`- \`${c.id}\` — ${c.title}`);
    const ttf = s.timeToFix;
    lines.push(
      '',
      `- Resources evaluated: ${s.resourcesEvaluated} (${s.basis === 'scan' ? 'live dry-run scan' : 'latest recorded outcome of each'}); compliant now: ${formatShare(s.compliantShare)}`,
      `- Drifts detected: ${s.driftsDetected}; fixed automatically: ${s.fixedAutomatically}${ttf.unmeasured ? ` (${ttf.unmeasured} found by a sweep, not timed)` : ''}`,
      `- Time to verified fix: median ${formatDuration(ttf.medianSeconds)}, 95th percentile ${formatDuration(ttf.p95Seconds)} (${ttf.count} measured)`,
      `- Needed a person: ${s.ticketsOpened} opened, ${s.ticketsStillOpen} still open; fights detected: ${s.fights}`,
    );
    if (s.exemptions.length > 0) {
      lines.push(
        '',
        "| exempt resource | control | reason (the owner's `phiguard:exempt` tag) |",
        '|---|---|---|',
      );
      for (const e of s.exemptions) {
        lines.push(
          `| \`${md(e.resource)}\` | \`${e.rule}\` | ${md(e.reason ?? `_${e.reasonUnavailable ?? 'not read'}_`)} |`,
        );
      }
    }
  }
  lines.push(
    '',
    '---',
    '',
    "Time to fix runs from the drift's CloudTrail `eventTime` to the fix read back. An exemption's reason is its owner's `phiguard:exempt` tag, read when the report was made and not stored by PHI Guard. Names that look like PHI are redacted.",
  );
  return `${lines.join('\n')}\n`;
}

import { PHIGUARD_VERSION } from '../version';
import type { Evidence, SafeguardEvidence } from './evidence';
import { formatDuration, formatShare, periodOf } from './format';
import { escapeXml as esc, timeToFixChart, weeklyDriftChart } from './svg-charts';

/**
 * The evidence report as one self-contained HTML file: inline CSS and SVG, no
 * script, no external font or image, so it opens on an air-gapped laptop and
 * prints cleanly to PDF (a print stylesheet keeps tables and charts whole).
 */
const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --fail: #b42318; --pass: #067647; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto; padding: 24px; max-width: 1080px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
.meta { color: var(--muted); margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--rule); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.fail { color: var(--fail); font-weight: 600; }
.pass { color: var(--pass); font-weight: 600; }
.chart { margin: 8px 0 24px; }
.chart svg { width: 100%; height: auto; }
.chart .grid { stroke: #eaeef2; }
.chart .tick, .chart .value { font-size: 11px; fill: var(--muted); }
.chart .axis { font-size: 12px; fill: var(--muted); }
.legend { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; vertical-align: baseline; }
figcaption { font-size: 12px; color: var(--muted); }
dl.metrics { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 8px 0; }
dl.metrics dt { color: var(--muted); }
dl.metrics dd { margin: 0; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { padding: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; }
  table, figure, section.safeguard > dl { break-inside: avoid; }
  tr { break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .chart rect, .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

function summaryRow(s: SafeguardEvidence): string {
  const share = formatShare(s.compliantShare);
  const shareClass = s.compliantShare === undefined ? '' : s.compliantShare === 1 ? 'pass' : 'fail';
  return `<tr data-safeguard="${esc(s.id)}"><td>§${esc(s.id)}<br>${esc(s.title)}</td><td class="num">${s.controls.length}</td><td class="num">${s.resourcesEvaluated}</td><td class="num ${shareClass}">${share}</td><td class="num">${s.driftsDetected}</td><td class="num">${s.fixedAutomatically}</td><td class="num">${formatDuration(s.timeToFix.medianSeconds)}</td><td class="num">${formatDuration(s.timeToFix.p95Seconds)}</td><td class="num">${s.ticketsOpened} / ${s.ticketsStillOpen}</td><td class="num">${s.exemptions.length}</td><td class="num">${s.fights}</td></tr>`;
}

function safeguardSection(s: SafeguardEvidence): string {
  const controls = s.controls.length
    ? `<ul>${s.controls.map((c) => `<li><code>${esc(c.id)}</code> — ${esc(c.title)}</li>`).join('')}</ul>`
    : '<p>No PHI Guard control enforces this safeguard yet.</p>';
  const exemptions = s.exemptions.length
    ? `<table><thead><tr><th>Resource</th><th>Control</th><th>Account / Region</th><th>Reason (the owner's <code>phiguard:exempt</code> tag)</th></tr></thead><tbody>${s.exemptions
        .map(
          (e) =>
            `<tr><td><code>${esc(e.resource)}</code></td><td><code>${esc(e.rule)}</code></td><td>${esc(e.account ?? '')} ${esc(e.region ?? '')}</td><td>${e.reason !== undefined ? esc(e.reason) : `<em>${esc(e.reasonUnavailable ?? 'not read')}</em>`}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>No exemptions.</p>';
  const ttf = s.timeToFix;
  return `<section class="safeguard" id="s-${esc(s.id.replace(/[^\w]/g, '-'))}">
<h3>§${esc(s.id)} — ${esc(s.title)}</h3>
<h4>Controls</h4>${controls}
<dl class="metrics">
<dt>Resources evaluated</dt><dd>${s.resourcesEvaluated} (${s.basis === 'scan' ? 'live dry-run scan' : 'latest recorded outcome of each'})</dd>
<dt>Compliant now</dt><dd>${formatShare(s.compliantShare)}</dd>
<dt>Drifts detected</dt><dd>${s.driftsDetected}</dd>
<dt>Fixed automatically</dt><dd>${s.fixedAutomatically}${ttf.unmeasured ? ` (${ttf.unmeasured} found by a sweep, without an event to time from)` : ''}</dd>
<dt>Time to verified fix</dt><dd>median ${formatDuration(ttf.medianSeconds)}, 95th percentile ${formatDuration(ttf.p95Seconds)} (${ttf.count} measured)</dd>
<dt>Needed a person</dt><dd>${s.ticketsOpened} opened, ${s.ticketsStillOpen} still open</dd>
<dt>Fights detected</dt><dd>${s.fights}</dd>
</dl>
<h4>Exemptions</h4>${exemptions}
</section>`;
}

export function renderEvidenceHtml(evidence: Evidence): string {
  const chartSafeguards = evidence.safeguards.map((s) => ({ id: s.id, title: s.title }));
  const totalDrifts = evidence.safeguards.reduce((n, s) => n + s.driftsDetected, 0);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>PHI Guard — HIPAA evidence report, ${esc(periodOf(evidence))}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>HIPAA Security Rule — technical safeguard evidence</h1>
<p class="meta">PHI Guard ${esc(PHIGUARD_VERSION)} · period ${esc(periodOf(evidence))} · generated ${esc(evidence.generatedAt)}<br>
Accounts: ${esc(evidence.accounts.join(', ') || 'none recorded')} · Regions: ${esc(evidence.regions.join(', ') || 'none recorded')} · ${evidence.historyEntries} audit-trail entries${evidence.scanned ? ' · with a live dry-run scan' : ''}</p>
</header>
<main>
<h2>Summary by safeguard</h2>
<table class="summary">
<thead><tr><th>Safeguard</th><th class="num">Controls</th><th class="num">Resources evaluated</th><th class="num">Compliant now</th><th class="num">Drifts detected</th><th class="num">Fixed automatically</th><th class="num">Median time to fix</th><th class="num">95th pct time to fix</th><th class="num">Tickets opened / open</th><th class="num">Exemptions</th><th class="num">Fights</th></tr></thead>
<tbody>${evidence.safeguards.map(summaryRow).join('')}</tbody>
</table>
<h2>Drifts per week</h2>
${weeklyDriftChart({ weeks: evidence.weeks, safeguards: chartSafeguards }, `Drifts detected per week by safeguard (${totalDrifts} in the period)`)}
<h2>Time to fix</h2>
${timeToFixChart(evidence.timeToFixSeconds, `Time from the drift's API call to the verified fix (${evidence.timeToFixSeconds.length} fixes)`)}
<h2>Safeguards in detail</h2>
${evidence.safeguards.map(safeguardSection).join('\n')}
<h2>How these figures are made</h2>
<ul>
<li>From PHI Guard's action registry: every outcome it recorded (kept six years, §164.316(b)(2)(i)).${evidence.scanned ? ' "Compliant now" is from a live dry-run scan made with this report (nothing was changed).' : ' "Compliant now" is each resource\'s latest recorded outcome; run with <code>--scan</code> for a live reading.'}</li>
<li>A drift is an outcome that found a resource not meeting a control: fixed, pending, planned in dry-run, needing a person, reported, or exempt.</li>
<li>Time to fix runs from the CloudTrail <code>eventTime</code> of the API call that caused the drift to the moment PHI Guard read the fix back; drift found by a sweep has no event to time from and is counted, not timed.</li>
<li>An exemption's reason is the value of the resource's <code>phiguard:exempt</code> tag, written by its owner, read when the report was made; PHI Guard does not store it.</li>
<li>A fight is a drift fixed again and again within an hour (a pipeline or a person reverting the fix): PHI Guard stopped and opened a ticket.</li>
<li>Resources are named by ARN; names that look like PHI are shown redacted. No data content, object key, tag value other than the exemption reason, or policy body appears here.</li>
</ul>
</main>
<footer>Generated by <code>phiguard report</code>. This file has no scripts and loads nothing.</footer>
</body>
</html>
`;
}

/**
 * The evidence report's charts as inline SVG: no script, no font, no request, so
 * the file opens and prints the same on an air-gapped laptop. Every bar is a
 * `rect.bar` carrying its data (`data-count`, …) and a `<title>` a person sees on
 * hover and a screen reader reads.
 */

/** Okabe–Ito: told apart by people with any common colour-vision deficiency, and in greyscale print. */
export const SAFEGUARD_COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 16, right: 12, bottom: 44, left: 40 };

/** A round axis maximum at or above `max` (1, 2, 5 × 10^n). */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].find((m) => m * power >= max) ?? 10) * power;
}

function yAxis(max: number, plotHeight: number): string {
  const ticks = [0, max / 2, max];
  return ticks
    .map((t) => {
      const y = MARGIN.top + plotHeight - (t / max) * plotHeight;
      return `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}" class="grid"/><text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end" class="tick">${Number.isInteger(t) ? t : t.toFixed(1)}</text>`;
    })
    .join('');
}

export interface WeeklySeries {
  weeks: { start: string; drifts: Record<string, number> }[];
  /** Stack order and legend; colours by position. */
  safeguards: { id: string; title: string }[];
}

/** Drifts detected per week, stacked by safeguard. */
export function weeklyDriftChart(series: WeeklySeries, label: string): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const totals = series.weeks.map((w) => Object.values(w.drifts).reduce((a, b) => a + b, 0));
  const max = niceMax(Math.max(0, ...totals));
  const slot = plotWidth / Math.max(1, series.weeks.length);
  const barWidth = Math.max(2, slot * 0.7);
  const labelEvery = Math.ceil(series.weeks.length / 13);
  const parts: string[] = [yAxis(max, plotHeight)];
  series.weeks.forEach((week, i) => {
    const x = MARGIN.left + i * slot + (slot - barWidth) / 2;
    let base = MARGIN.top + plotHeight;
    series.safeguards.forEach((s, k) => {
      const count = week.drifts[s.id] ?? 0;
      if (count === 0) return;
      const h = (count / max) * plotHeight;
      base -= h;
      parts.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="${base.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${SAFEGUARD_COLOURS[k % SAFEGUARD_COLOURS.length]}" data-week="${week.start}" data-safeguard="${escapeXml(s.id)}" data-count="${count}"><title>Week of ${week.start}: ${count} drift${count === 1 ? '' : 's'}, §${escapeXml(s.id)}</title></rect>`,
      );
    });
    if (i % labelEvery === 0) {
      parts.push(
        `<text x="${(x + barWidth / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" class="tick">${week.start.slice(5)}</text>`,
      );
    }
  });
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" text-anchor="middle" class="axis">week starting (UTC, month-day)</text>`,
  );
  const legend = series.safeguards
    .map(
      (s, k) =>
        `<li><span class="swatch" style="background:${SAFEGUARD_COLOURS[k % SAFEGUARD_COLOURS.length]}"></span>§${escapeXml(s.id)} ${escapeXml(s.title)}</li>`,
    )
    .join('');
  return `<figure class="chart"><svg role="img" aria-label="${escapeXml(label)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg><ul class="legend">${legend}</ul><figcaption>${escapeXml(label)}</figcaption></figure>`;
}

/** Time-to-fix buckets, upper bounds in seconds. */
export const TIME_TO_FIX_BUCKETS: readonly { label: string; upTo: number }[] = [
  { label: '≤ 1 min', upTo: 60 },
  { label: '1–5 min', upTo: 300 },
  { label: '5–15 min', upTo: 900 },
  { label: '15–60 min', upTo: 3600 },
  { label: '1–4 h', upTo: 4 * 3600 },
  { label: '4–24 h', upTo: 24 * 3600 },
  { label: '> 1 day', upTo: Number.POSITIVE_INFINITY },
];

export function bucketTimesToFix(seconds: readonly number[]): number[] {
  const counts = TIME_TO_FIX_BUCKETS.map(() => 0);
  for (const s of seconds) {
    const i = TIME_TO_FIX_BUCKETS.findIndex((b) => s <= b.upTo);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** How many fixes took how long, from the drift's API call to the fix read back. */
export function timeToFixChart(seconds: readonly number[], label: string): string {
  const counts = bucketTimesToFix(seconds);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = niceMax(Math.max(0, ...counts));
  const slot = plotWidth / TIME_TO_FIX_BUCKETS.length;
  const barWidth = slot * 0.7;
  const parts: string[] = [yAxis(max, plotHeight)];
  TIME_TO_FIX_BUCKETS.forEach((bucket, i) => {
    const count = counts[i] ?? 0;
    const x = MARGIN.left + i * slot + (slot - barWidth) / 2;
    const h = (count / max) * plotHeight;
    const y = MARGIN.top + plotHeight - h;
    if (count > 0) {
      parts.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${SAFEGUARD_COLOURS[0]}" data-bucket="${escapeXml(bucket.label)}" data-count="${count}"><title>${escapeXml(bucket.label)}: ${count} fix${count === 1 ? '' : 'es'}</title></rect>`,
        `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" class="value">${count}</text>`,
      );
    }
    parts.push(
      `<text x="${(x + barWidth / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" class="tick">${escapeXml(bucket.label)}</text>`,
    );
  });
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" text-anchor="middle" class="axis">from the drift's API call (CloudTrail eventTime) to the fix read back</text>`,
  );
  return `<figure class="chart"><svg role="img" aria-label="${escapeXml(label)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg><figcaption>${escapeXml(label)}</figcaption></figure>`;
}

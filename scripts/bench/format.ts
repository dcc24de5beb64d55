/** What the benchmarks print: percentiles of timings, and plain-text tables. */

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

export const median = (values: number[]) => percentile(values, 50);

/** Columns padded to their widest cell; numbers with `decimals` places unless whole. */
export function table(header: string[], rows: (string | number)[][], decimals = 2): string {
  const cells = rows.map((row) =>
    row.map((c) => (typeof c === 'number' ? (Number.isInteger(c) ? String(c) : c.toFixed(decimals)) : c)),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  return [header, widths.map((w) => '-'.repeat(w)), ...cells]
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

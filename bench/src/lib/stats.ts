/** Small numeric and formatting helpers shared by the benchmarks. */

/** The q-quantile (0..1) of `values` by the nearest-rank method; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export function formatInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

export function formatMs(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

export function formatRatio(n: number): string {
  return Number.isFinite(n) ? n.toFixed(2) : 'n/a';
}

/** A GitHub-flavoured Markdown table, which also reads well in a terminal. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], alignRight: readonly boolean[] = []): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(3, ...all.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    '| ' + cells.map((cell, c) => (alignRight[c] ? cell.padStart(widths[c] ?? 3) : cell.padEnd(widths[c] ?? 3))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, c) => (alignRight[c] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|';
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Seconds since an arbitrary origin, monotonic. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

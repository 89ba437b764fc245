// Statistics and formatting for the stream benchmark's table (bench/js/stream-bench.mjs).

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** min and max as fractions of the median: how far apart the rounds were. */
export function spread(values) {
  const m = median(values);
  return { min: Math.min(...values) / m, max: Math.max(...values) / m };
}

export const fmtSpread = (s) => (s && Number.isFinite(s.min) ? `${Math.round(s.min * 100)}–${Math.round(s.max * 100)}%` : '');
export const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
export const fmtMb = (mb) => mb.toFixed(1);
export const fmtRatio = (r) => `${r.toFixed(2)}×`;
export function fmtEvents(perSec) {
  return perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)} M` : `${(perSec / 1e3).toFixed(1)} k`;
}

/**
 * A plain-text table, columns padded to their widest cell; a row shorter than the header has
 * its last cell span the rest (for "did not finish: …").
 */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length === header.length).map((r) => String(r[i] ?? '').length)));
  const line = (cells) => cells.map((c, i) => (i < 2 || cells.length < header.length ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

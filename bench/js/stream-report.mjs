// Statistics and formatting for the stream benchmark's table (bench/js/stream-bench.mjs).
import { chunkSizes } from './synthetic.mjs';

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
 * A plain-text table, columns padded to their widest cell (the label columns left-aligned, the
 * figures right-aligned); a row shorter than the header has
 * its last cell span the rest (for "did not finish: …").
 */
export function table(header, rows, labelColumns = 2) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length === header.length).map((r) => String(r[i] ?? '').length)));
  const line = (cells) => cells.map((c, i) => (i < labelColumns || cells.length < header.length ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const stats = (runs, key) => {
  const values = runs.map((r) => r[key]).filter((v) => v !== null && v !== undefined);
  return values.length ? { median: median(values), spread: spread(values), n: values.length } : null;
};
const failures = (m) => {
  const bad = m.runs.filter((r) => r.status !== 'ok');
  return bad.length ? `${bad.length} of ${m.runs.length} ${bad.every((r) => r.status === 'dnf') ? 'did not finish' : 'failed'}: ${[...new Set(bad.map((r) => r.reason))].join('; ')}` : '';
};
/** How many pieces the body is cut into (the server's writes, the in-process fetch's chunks). */
function pieceCount(bytes, chunking) {
  const next = chunkSizes(chunking);
  let count = 0;
  for (let at = 0; at < bytes; at += next()) count++;
  return count;
}
const cpuCell = (client, server) => (client ? `${fmtMs(client.median)}${server ? ` / ${fmtMs(server.median)}` : ''}` : '');

/**
 * One table per transport × chunking, rows per deltas and workload: each client's medians and
 * spreads, the ratio row (with the ceiling: SDK time ÷ floor time), and the floor. Returns the
 * text and a summary entry per row (for --json).
 */
export function cellTables({ measurements, cells, workloads, clients, expectedOf }) {
  const summary = [];
  const out = [];
  const sameCell = (a, b) => a.deltas === b.deltas && a.transport === b.transport && a.chunking === b.chunking && a.writes === b.writes;
  const find = (cell, client, workload) => measurements.find((m) => m.client === client && m.workload === workload && sameCell(m, cell));
  const sectionOf = (c) => `${c.transport} ${c.chunking} ${c.writes}`;
  for (const section of [...new Set(cells.map(sectionOf))]) {
    const [transport, chunking, writes] = section.split(' ');
    const rows = [];
    const floorNotes = [];
    const notes = [];
    for (const cell of cells.filter((c) => sectionOf(c) === section)) {
      const floorM = find(cell, 'fetch', 'drain');
      const floorMs = floorM && stats(floorM.runs.filter((r) => r.status === 'ok').map((r) => r.result), 'ms');
      const deltasLabel = String(cell.deltas);
      const rowFor = (label, client, m) => {
        const okRuns = m.runs.filter((r) => r.status === 'ok').map((r) => r.result);
        const withCpu = okRuns.map((r) => ({ ...r, cpuTotalMs: r.cpuMs ? r.cpuMs.user + r.cpuMs.system : null }));
        const [ms, eps, rss, first, warm, cpu, serverCpu] = ['ms', 'eventsPerSec', 'deltaRssMb', m.client === 'fetch' ? 'firstByteMs' : 'firstTextMs', 'warmFirstTextMs', 'cpuTotalMs', 'serverCpuMs'].map((key) => stats(withCpu, key));
        const entry = { deltas: cell.deltas, transport, writes: cell.writes, chunking, workload: m.workload, client, runs: m.runs.length, ok: okRuns.length, ms, eventsPerSec: eps, deltaRssMb: rss, first, warm, cpuMs: cpu, serverCpuMs: serverCpu, failures: failures(m) };
        summary.push(entry);
        if (entry.failures) notes.push(`${cell.deltas} ${m.workload} ${client}: ${entry.failures}`);
        if (!ms) {
          rows.push([deltasLabel, label, client, `did not finish: ${[...new Set(m.runs.map((r) => r.reason))].join('; ')}`]);
          return entry;
        }
        rows.push([deltasLabel, label, client, fmtMs(ms.median), fmtEvents(eps.median), fmtSpread(eps.spread), fmtMb(rss.median), fmtSpread(rss.spread),
          `${fmtMs(first.median)}${m.client === 'fetch' ? ' (first byte)' : ''}`, fmtSpread(first.spread), warm ? fmtMs(warm.median) : '',
          floorMs && m.client !== 'fetch' ? `${(ms.median / floorMs.median).toFixed(1)}×` : '', '', cpuCell(cpu, serverCpu), `${entry.ok}/${entry.runs}`]);
        return entry;
      };
      for (const workload of workloads.filter((w) => w !== 'floor')) {
        const [sdk, ours] = clients.map((client, i) => rowFor(i === 0 ? workload : '', client === 'sdk' ? 'SDK 1.15.0' : 'anthropic-wasm', find(cell, client, workload)));
        if (clients.length === 2) {
          const r = (key) => (sdk[key] && ours[key] ? fmtRatio(ours[key].median / sdk[key].median) : '—');
          const ceiling = sdk.ms && floorMs ? fmtRatio(sdk.ms.median / floorMs.median) : '';
          Object.assign(ours, { ceiling: sdk.ms && floorMs ? sdk.ms.median / floorMs.median : null });
          rows.push([deltasLabel, '', 'ratio', '', r('eventsPerSec'), '', r('deltaRssMb'), '', r('first'), '', r('warm'), '', ceiling, '', '']);
        }
      }
      if (floorM) {
        rowFor('floor', 'fetch + drain', floorM);
        const reads = stats(floorM.runs.filter((r) => r.status === 'ok').map((r) => r.result), 'reads');
        if (reads) floorNotes.push(`floor at ${cell.deltas} deltas: the body (${pieceCount(expectedOf(cell.deltas).bytes, chunking)} ${transport === 'tcp' ? 'writes' : 'chunks'}) arrived in ${Math.round(reads.median)} reads`);
      }
    }
    const serverWrites = chunking === '64k' ? '64 KiB HTTP chunks, one write each' : writes === 'piece' ? '1–7-byte HTTP chunks, one writev each (TCP_NODELAY)' : '1–7-byte HTTP chunks coalesced into 64 KiB writes';
    const title = transport === 'tcp' ? `loopback HTTP server (own process), ${serverWrites}` : `in-process fetch, ${chunking === '64k' ? '64 KiB' : '1–7-byte'} chunks`;
    out.push(`\n${title}`);
    out.push(table(['deltas', 'workload', 'client', 'ms', 'events/s', 'spread', 'ΔRSS MB', 'spread', 'first text ms', 'spread', 'warm', '× floor', 'ceiling', 'CPU ms', 'ok'], rows, 3));
    for (const note of [...floorNotes, ...notes]) out.push(`  ${note}`);
  }
  return { text: out.join('\n'), summary };
}

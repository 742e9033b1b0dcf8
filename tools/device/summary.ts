/** The kit's closing table (stderr): one row per case and render, to paste into a note. */
import type { CaseRecord, RenderRecord } from './cases.js';

const num = (v: number | null | undefined, digits = 1): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '-');

export function summaryTable(records: ReadonlyArray<CaseRecord | RenderRecord>): string {
  const rows: string[][] = [['case', 'fps', 'ms med', 'ms p95', 'provider', 'max Δ', 'note']];
  for (const r of records) {
    if (r.kind === 'case') {
      rows.push(
        r.ok
          ? [r.id, num(r.fps), num(r.msMedian, 2), num(r.msP95, 2), r.provider ?? '-', r.maxDiff === null || r.maxDiff === undefined ? '-' : String(r.maxDiff), r.cpuOps?.length ? `cpu ops: ${r.cpuOps.join(',')}` : '']
          : [r.id, '-', '-', '-', '-', '-', `${r.stage ?? 'error'}: ${(r.error ?? '').slice(0, 90)}`],
      );
    } else {
      const st = r.stages;
      rows.push(
        r.ok && st
          ? [
              r.id,
              num(r.renderFps),
              num(st['generator']?.msMedian, 2),
              num(st['generator']?.msP95, 2),
              r.provider ?? '-',
              '-',
              `${r.frames}/${r.framesPlanned} frames; ms/frame analysis ${num(st['analysis']?.msMedian, 2)} mapping ${num(st['mapping']?.msMedian, 2)} fit ${num(st['fit']?.msMedian, 2)} pipe ${num(st['pipe']?.msMedian, 2)}`,
            ]
          : [r.id, '-', '-', '-', '-', '-', `${r.stage ?? 'error'}: ${(r.error ?? '').slice(0, 90)}`],
      );
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

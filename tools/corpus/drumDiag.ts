/**
 * Why the drum detectors miss or add hits on a corpus song: every kick/snare miss and false hit, classed by what the
 * truth has near it (the other drum, a hat, a new chord/bass note, a drumless span, a detection just before it), and
 * with --trace the per-hop detector values around each one (and, on hops a snare was read for a kick's click, what its
 * tail kept: clickTail.ts).
 *   npx tsc -p . && node dist/tools/corpus/drumDiag.js <song substring> [--trace] [--kick|--snare] [--dump] [--holdout|--holdout2|…|--holdout5]
 *     [--rate <Hz>] [--limit <dB>] [--gain <dB>] [--hum <dBFS> [--mains 50|60]]
 * --holdout … --holdout5 read a kept-apart set instead of the corpus (tools/corpus/sets.ts); --rate, --limit, --gain,
 * --hum and --mains play its files as eval-analysis does (playback.ts played).
 * --dump writes each song's per-hop values and truth to /tmp/drumdiag/<song>.json for offline study.
 */
import { FeatureExtractor } from '../../src/analysis/extractor.js';
import type { DrumDiagnostics } from '../../src/analysis/drums.js';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import type { SongTruth } from './songs.js';
import { loadCorpus } from './corpus.js';
import { played } from './playback.js';
import { playbackOfArgs, setOfArgs, songOfArgs } from './sets.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TOL_S = 0.05;
const dumpDir = process.argv.includes('--dump') ? '/tmp/drumdiag' : null;

/** The detector's own diagnostics under their names, plus the renamed and derived figures of a hop. */
const SHARED = [
  ...['snare', 'click', 'hats', 'gate', 'lowJump', 'bassRise', 'bodyShare', 'thumpRise', 'kickPicked'],
  'clickKept',
] as const;
type HopRow = Pick<DrumDiagnostics, (typeof SHARED)[number]> & {
  t: number;
  events: string[];
  kickEnv: number;
  snareEnv: number;
  lowNorm: number;
  /** The kick band's flux (`DrumDiagnostics.kick`); `lowRaw` is its flux before the click gate. */
  low: number;
  lowRaw: number;
  peak: number;
  /** The net's kick and snare activations, and which drums the rules fired (before the merge). */
  netKick: number;
  netSnare: number;
  rules: string;
  bands?: number[];
  full?: number[];
};

function analyse(channels: Float32Array[], sampleRate: number): HopRow[] {
  const ex = new FeatureExtractor(analysisConfigSchema.parse({}), sampleRate);
  const rows: HopRow[] = [];
  /** The rules' newest kick and snare hops as of the hop before: a change is a rule event. */
  const prevRule = [-1e9, -1e9];
  const n = channels[0]!.length;
  for (let i = 0; i < n; i += 512) {
    const end = Math.min(n, i + 512);
    ex.push(
      channels.map((c) => c.subarray(i, end)),
      (f) => {
        const d = ex.diag;
        const row = {
          t: f.t,
          events: f.events,
          kickEnv: f.onset.kick,
          snareEnv: f.onset.snare,
          lowNorm: ex.drums.lowNorm,
          ...(Object.fromEntries(SHARED.map((k) => [k, d[k]])) as Pick<DrumDiagnostics, (typeof SHARED)[number]>),
          low: d.kick,
          lowRaw: d.low,
          peak: d.snarePeak,
          netKick: ex.drums.net.kick,
          netSnare: ex.drums.net.snare,
          rules: (ex.drums.ruleKickHop !== prevRule[0] ? 'K' : '') + (ex.drums.ruleSnareHop !== prevRule[1] ? 'S' : ''),
          ...(dumpDir ? { bands: Array.from(ex.drums.bandFlux.drum, (v) => Math.round(v * 1e5) / 1e5), full: Array.from(ex.drums.bandFlux.full.subarray(0, 12), (v) => Math.round(v * 1e5) / 1e5) } : {}),
        };
        prevRule[0] = ex.drums.ruleKickHop;
        prevRule[1] = ex.drums.ruleSnareHop;
        rows.push(row);
      },
    );
  }
  return rows;
}

const near = (ts: number[], t: number, tol: number): number | null => {
  let best: number | null = null;
  for (const x of ts) if (Math.abs(x - t) <= tol && (best === null || Math.abs(x - t) < Math.abs(best - t))) best = x;
  return best;
};

/** Greedy one-to-one matching as in fMeasure; returns the unmatched detections and truths. */
function unmatched(det: number[], truth: number[]): { fp: number[]; fn: number[] } {
  const used = new Uint8Array(det.length);
  const fn: number[] = [];
  for (const g of truth) {
    let best = -1;
    for (let i = 0; i < det.length; i++) if (!used[i] && Math.abs(det[i]! - g) <= TOL_S && (best < 0 || Math.abs(det[i]! - g) < Math.abs(det[best]! - g))) best = i;
    if (best >= 0) used[best] = 1;
    else fn.push(g);
  }
  return { fp: det.filter((_, i) => !used[i]), fn };
}

function classify(t: number, drum: 'kick' | 'snare', truth: SongTruth, kicksDet: number[], snaresDet: number[], isFp: boolean): string {
  const other = drum === 'kick' ? truth.snare : truth.kick;
  const tags: string[] = [];
  if (truth.drumless.some(([a, b]) => t >= a && t < b)) tags.push('drumless');
  if (near(other, t, 0.06) !== null) tags.push(drum === 'kick' ? 'onSnare' : 'onKick');
  if (near(truth.hats, t, 0.03) !== null) tags.push('hat');
  if (near(truth.harmony.map((h) => h.start), t, 0.08) !== null) tags.push('chordBar');
  const own = drum === 'kick' ? kicksDet : snaresDet;
  if (!isFp) {
    const before = own.filter((x) => x < t - TOL_S && x > t - 0.2);
    if (before.length) tags.push(`blockedBy${Math.round(1000 * (t - before[before.length - 1]!))}ms`);
    const late = own.find((x) => x > t + TOL_S && x < t + 0.15);
    if (late !== undefined) tags.push(`late${Math.round(1000 * (late - t))}ms`);
  } else {
    const mine = near(drum === 'kick' ? truth.kick : truth.snare, t, 0.2);
    if (mine !== null) tags.push(`own${Math.round(1000 * (t - mine))}ms`);
  }
  return tags.join(',') || 'other';
}

function trace(rows: HopRow[], t: number): void {
  const i0 = rows.findIndex((r) => r.t >= t - 0.03);
  for (let i = Math.max(0, i0); i < Math.min(rows.length, i0 + 10); i++) {
    const r = rows[i]!;
    const f = (x: number): string => (x >= 1e8 ? '   inf' : x.toFixed(x < 10 ? 3 : 1).padStart(6));
    console.log(
      `    ${r.t.toFixed(3)} kEnv ${f(r.kickEnv)} lowN ${f(r.lowNorm)} low ${f(r.low * 1000)} gate ${f(r.gate)} jump ${f(r.lowJump)} bRise ${f(r.bassRise)} body ${f(r.bodyShare)} ${r.kickPicked ? 'P' : ' '}` +
        ` | sEnv ${f(r.snareEnv)} snr ${f(r.snare * 1000)} clk ${f(r.click * 1000)} hat ${f(r.hats * 1000)} pk ${f(r.peak * 1000)} | net ${r.netKick.toFixed(2)} ${r.netSnare.toFixed(2)} ${r.rules.padEnd(2)} ${r.events.filter((e) => e === 'kick' || e === 'snare').join(' ')}` +
        (Number.isFinite(r.clickKept) ? ` | tail kept ${r.clickKept.toFixed(3)}` : ''),
    );
  }
}

const args = process.argv.slice(2);
const song = songOfArgs(args);
const doTrace = args.includes('--trace');
const only = args.includes('--kick') ? 'kick' : args.includes('--snare') ? 'snare' : null;
const playback = playbackOfArgs(args);
for (const item of loadCorpus(song, setOfArgs(args))) {
  const it = played(item, playback);
  const rows = analyse(it.audio.channels, it.audio.sampleRate);
  if (dumpDir) {
    mkdirSync(dumpDir, { recursive: true });
    writeFileSync(join(dumpDir, `${it.name}.json`), JSON.stringify({ truth: it.truth, rows, centreHz: Array.from(new FeatureExtractor(analysisConfigSchema.parse({}), it.audio.sampleRate).drums.bandFlux.centreHz) }));
  }
  const times = (e: string): number[] => rows.filter((r) => r.events.includes(e)).map((r) => r.t);
  const kicks = times('kick');
  const snares = times('snare');
  console.log(`${it.name}: ${it.truth.kick.length} kicks, ${it.truth.snare.length} snares true; detected ${kicks.length} kicks, ${snares.length} snares`);
  for (const drum of ['kick', 'snare'] as const) {
    if (only && only !== drum) continue;
    const det = drum === 'kick' ? kicks : snares;
    const { fp, fn } = unmatched(det, drum === 'kick' ? it.truth.kick : it.truth.snare);
    const counts = new Map<string, number>();
    const list: Array<[string, number, string]> = [];
    for (const [kind, ts] of [['miss', fn], ['false', fp]] as const) {
      for (const t of ts) {
        // A false event the rules did not fire on its hop is the net's (drumMerge.ts).
        const byNet = kind === 'false' && !rows.find((r) => r.t === t)!.rules.includes(drum === 'kick' ? 'K' : 'S');
        const c = classify(t, drum, it.truth, kicks, snares, kind === 'false') + (byNet ? ',net' : '');
        const key = `${kind} ${c.replace(/-?\d+ms/g, '')}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        list.push([kind, t, c]);
      }
    }
    console.log(`  ${drum}: ${fn.length} missed, ${fp.length} false —`, [...counts].map(([k, v]) => `${k}: ${v}`).join('; '));
    if (doTrace)
      for (const [kind, t, c] of list.sort((a, b) => a[1] - b[1])) {
        console.log(`  ${drum} ${kind} at ${t.toFixed(3)} (${c})`);
        trace(rows, t);
      }
  }
}

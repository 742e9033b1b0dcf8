/**
 * Scores one corpus item against its MIDI truth, for latentvj (every figure) and for aubio (causal beat tracking,
 * run on the same file in the same process run). MIREX conventions: onsets ±50 ms, beats ±70 ms, after 8 s for
 * beats and tempo.
 */
import { spawnSync } from 'node:child_process';
import { argmax, eventTimes, fMeasure, median, topK } from '../../src/analysis/evaluation.js';
import type { Features } from '../../src/analysis/types.js';
import { localTempo, type SongTruth } from './songs.js';

export interface SongScore {
  kickF: number;
  snareF: number;
  /** Kick and snare events per minute inside drumless spans (NaN: the song has none). */
  falsePerMin: number;
  chordTopK: number;
  chordEstimate: number;
  bassTop1: number;
  beatF: number;
  downbeatF: number;
  tempoShare: number;
  /** Drops found within one bar (n found / n true; NaN: the song has none). */
  dropFound: number;
  /** Drop events fired in the whole song (true drops + false ones). */
  dropEvents: number;
  /**
   * Beat events a minute in drumless intros of rhythmic songs (before their first drum hit: no rhythmic evidence yet).
   * Drumless spans after drums are scored by beatF instead: the flywheel carries the beat through them.
   */
  introBeatsPerMin: number;
  /** Beat events in an ambient (drumless) song (NaN otherwise). */
  ambientBeats: number;
  latencyMs: number;
}

export interface PeerScore {
  beatF: number;
  tempoShare: number;
  ambientBeats: number;
}

const ONSET_TOL_S = 0.05;
const BEAT_TOL_S = 0.07;
export const SKIP_S = 8;
/** After a chord change the chroma needs its window to fill. */
const CHORD_EXCLUDE_S = 0.15;

function inDrumless(truth: SongTruth, t: number): boolean {
  // The first half second of a drumless span still rings with the drums before it.
  return truth.drumless.some(([a, b]) => t >= a + 0.5 && t < b);
}

/** Minutes of drumless spans (less their first half second) from `fromS` on. */
function drumlessMinutes(truth: SongTruth, fromS: number): number {
  return truth.drumless.reduce((s, [a, b]) => s + Math.max(0, b - Math.max(a + 0.5, fromS)), 0) / 60;
}

/** Share of times (one per record, from `fromS`, where the truth has a tempo) whose tempo is within 2 %. */
function tempoShareOf(times: number[], bpmAt: (i: number) => number, truth: SongTruth, fromS: number): number {
  let ok = 0;
  let n = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t < fromS) continue;
    const want = localTempo(truth.beats, t);
    if (!Number.isFinite(want)) continue;
    n++;
    if (Math.abs(bpmAt(i) / want - 1) <= 0.02) ok++;
  }
  return n ? ok / n : NaN;
}

function harmonyAt(truth: SongTruth, t: number): SongTruth['harmony'][number] | undefined {
  return truth.harmony.find((h) => t >= h.start + CHORD_EXCLUDE_S && t < h.end);
}

/**
 * Scores what the analysis gave from `fromS` on (0: the whole song; beats and tempo from 8 s as always). A restart
 * mid-song (eval-analysis --restart) is scored from 8 s after it: every column reads only the truth from there, and
 * the drumless intro's beats, heard only from the song's start, are not scored; a song with less than 8 s left
 * there is not scored at all.
 */
export function scoreOurs(feats: Features[], truth: SongTruth, fromS = 0): SongScore {
  if (fromS > 0 && truth.durationS - fromS < SKIP_S) return unscored();
  const kick = fMeasure(eventTimes(feats, 'kick'), truth.kick, ONSET_TOL_S, fromS);
  const snare = fMeasure(eventTimes(feats, 'snare'), truth.snare, ONSET_TOL_S, fromS);
  const drumlessMin = drumlessMinutes(truth, fromS);
  const falseHits = feats.filter(
    (f) => f.t >= fromS && (f.events.includes('kick') || f.events.includes('snare')) && inDrumless(truth, f.t),
  ).length;
  let chordOk = 0;
  let estOk = 0;
  let bassOk = 0;
  let n = 0;
  for (const f of feats) {
    if (f.t < fromS) continue;
    const h = harmonyAt(truth, f.t);
    if (!h) continue;
    n++;
    const top = topK(f.chroma, h.chordPcs.length).sort((a, b) => a - b);
    const want = [...h.chordPcs].sort((a, b) => a - b);
    if (top.every((pc, i) => pc === want[i])) chordOk++;
    if (f.chord && f.chord.root === h.root && f.chord.quality === h.quality) estOk++;
    if (argmax(f.bassChroma) === h.bassPc) bassOk++;
  }
  const beatTimes = eventTimes(feats, 'beat');
  const beatsFrom = Math.max(SKIP_S, fromS);
  // The drumless intro: a drumless span from the start up to the first drum hit.
  const firstDrum = Math.min(truth.kick[0] ?? Infinity, truth.snare[0] ?? Infinity, truth.hats[0] ?? Infinity);
  const introS = fromS === 0 && truth.drumless.some(([a]) => a <= 1e-6) ? firstDrum : 0;
  const rhythmic = !truth.ambient;
  const dropEvents = eventTimes(feats, 'drop');
  const barS = (i: number): number => (truth.downbeats[i + 1] ?? truth.durationS) - truth.downbeats[i]!;
  const drops = truth.drops.filter((d) => d >= fromS);
  let dropsFound = 0;
  for (const d of drops) {
    const bar = truth.downbeats.findIndex((t) => Math.abs(t - d) < 1e-6);
    const within = bar >= 0 ? barS(bar) : 2;
    if (dropEvents.some((t) => t >= d - 0.1 && t <= d + within)) dropsFound++;
  }
  return {
    kickF: kick.truth ? kick.f : NaN,
    snareF: snare.truth ? snare.f : NaN,
    falsePerMin: drumlessMin > 0 ? falseHits / drumlessMin : NaN,
    chordTopK: n ? chordOk / n : NaN,
    chordEstimate: n ? estOk / n : NaN,
    bassTop1: n ? bassOk / n : NaN,
    beatF: rhythmic ? fMeasure(beatTimes, truth.beats, BEAT_TOL_S, beatsFrom).f : NaN,
    downbeatF: rhythmic ? fMeasure(eventTimes(feats, 'downbeat'), truth.downbeats, BEAT_TOL_S, beatsFrom).f : NaN,
    tempoShare: rhythmic ? tempoShareOf(feats.map((f) => f.t), (i) => feats[i]!.tempo.bpm, truth, beatsFrom) : NaN,
    dropFound: drops.length ? dropsFound / drops.length : NaN,
    dropEvents: dropEvents.filter((t) => t >= fromS).length,
    introBeatsPerMin: !truth.ambient && introS > 0 ? beatTimes.filter((t) => t < introS).length / (introS / 60) : NaN,
    ambientBeats: truth.ambient ? beatTimes.filter((t) => t >= fromS).length : NaN,
    latencyMs: 1000 * median([...kick.deltas, ...snare.deltas]),
  };
}

/** A song too short to score (every column NaN: not applicable). */
function unscored(): SongScore {
  const keys: Array<keyof SongScore> = ['kickF', 'snareF', 'falsePerMin', 'chordTopK', 'chordEstimate', 'bassTop1',
    'beatF', 'downbeatF', 'tempoShare', 'dropFound', 'dropEvents', 'introBeatsPerMin', 'ambientBeats', 'latencyMs'];
  return Object.fromEntries(keys.map((k) => [k, NaN])) as unknown as SongScore;
}

/** aubio's causal beat tracker on the file; null when aubio-tools is not installed. */
export function scoreAubio(wavPath: string, truth: SongTruth): PeerScore | null {
  const r = spawnSync('aubiotrack', ['-i', wavPath], { encoding: 'utf8' });
  if (r.status !== 0 || r.error) return null;
  const beats = r.stdout
    .split('\n')
    .map((l) => Number.parseFloat(l))
    .filter((x) => Number.isFinite(x));
  // Its tempo at time t: the interval of its last two beats before t (what a causal listener knows then).
  const times: number[] = [];
  for (let t = 0; t < truth.durationS; t += 0.05) times.push(t);
  const bpmAt = (i: number): number => {
    const t = times[i]!;
    let j = beats.length - 1;
    while (j >= 0 && beats[j]! > t) j--;
    return j >= 1 ? 60 / (beats[j]! - beats[j - 1]!) : NaN;
  };
  return {
    beatF: truth.ambient ? NaN : fMeasure(beats, truth.beats, BEAT_TOL_S, SKIP_S).f,
    tempoShare: truth.ambient ? NaN : tempoShareOf(times, bpmAt, truth, SKIP_S),
    ambientBeats: truth.ambient ? beats.length : NaN,
  };
}

/** Mean over the finite values. */
export function meanOf(xs: number[]): number {
  const v = xs.filter((x) => Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

/**
 * The drum net's training frames: renders the training songs of trainSongs.ts (never an evaluation song) with
 * fluidsynth, our drum machines and sox, runs the live analysis over each, and keeps per hop the drum detector's
 * pooled net frame (DrumNet.frame), then the signed time from the nearest true kick and snare (hop time minus onset;
 * 9 where none is within a second), whether the hop lies in a drumless span (past its first half second, as the
 * corpus scoring counts them) and the song index.
 *   [DRUMNET_SYNTH_KITS=n] node dist/tools/drumnet/dataset.js [songs=460]
 * writes <drumTrainDir>/frames-<song>-<hash>.bin per song (songs 0 … songs − 1 and n synth-kit songs: trainSongIndices)
 * (a song's frames are named by its row's hash: delete them after a change to the analysis they read)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { FeatureExtractor } from '../../src/analysis/extractor.js';
import { readWavFile } from '../../src/audio/wav.js';
import { hashOf } from '../corpus/corpus.js';
import { checkDrumTrainFonts, drumTrainDir, drumTrainSong, LIMITED_FROM, renderDrumTrainSong, SYNTH_KIT_FROM } from './trainSongs.js';

/** Floats after the net frame. */
export const EXTRA_FLOATS = 4;
export const NO_ONSET = 9;

/** Signed distance (s) from t to the nearest of the sorted `ts`, NO_ONSET past a second. */
function nearest(ts: number[], t: number, from: { i: number }): number {
  while (from.i + 1 < ts.length && ts[from.i + 1]! <= t) from.i++;
  let best = NO_ONSET;
  for (const j of [from.i, from.i + 1]) {
    const x = ts[j];
    if (x !== undefined && Math.abs(t - x) < Math.abs(best)) best = t - x;
  }
  return Math.abs(best) > 1 ? NO_ONSET : best;
}

export function framesOfSong(i: number): { data: Float32Array; frameFloats: number } {
  const r = renderDrumTrainSong(drumTrainSong(i));
  const audio = readWavFile(r.wav);
  const cfg = analysisConfigSchema.parse({});
  const ex = new FeatureExtractor(cfg, audio.sampleRate, null);
  const F = ex.drums.net.frame.length;
  const truth = r.truth;
  const out: number[] = [];

  const ki = { i: -1 };
  const si = { i: -1 };
  ex.push(audio.channels, (f) => {

    const frame = ex.drums.net.frame;
    for (let k = 0; k < F; k++) out.push(frame[k]!);
    const drumless = truth.drumless.some(([a, b]) => f.t >= a + 0.5 && f.t < b) ? 1 : 0;
    out.push(nearest(truth.kick, f.t, ki), nearest(truth.snare, f.t, si), drumless, i);
  });
  return { data: Float32Array.from(out), frameFloats: F + EXTRA_FLOATS };
}

/** Song i's frames, cached per song in the training directory (frames of a song are named by its spec's hash). */
function songFrames(i: number): { data: Float32Array; rowFloats: number } {
  const file = join(drumTrainDir(), `frames-${drumTrainSong(i).spec.name}-${hashOf(drumTrainSong(i))}.bin`);
  if (existsSync(file)) {
    const b = readFileSync(file);
    const all = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    return { data: all.subarray(1), rowFloats: all[0]! };
  }
  const t0 = performance.now();
  const p = framesOfSong(i);
  const all = new Float32Array(1 + p.data.length);
  all[0] = p.frameFloats;
  all.set(p.data, 1);
  writeFileSync(file, new Uint8Array(all.buffer));
  console.log(`${drumTrainSong(i).spec.name}: ${p.data.length / p.frameFloats} hops (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return { data: p.data, rowFloats: p.frameFloats };
}

/**
 * Stride through the first songs of the limited ones: coprime with ten and with the committed 460 songs, so they are
 * distinct and fall in every validation fold.
 */
const LIMITED_STRIDE = 7;

/**
 * The songs training takes: 0 … songs − 1, then `synthKits` synth-kit songs from SYNTH_KIT_FROM on (DRUMNET_SYNTH_KITS,
 * absent 0), then `limited` of the first songs through a limiter (DRUMNET_LIMITED, absent 0), every LIMITED_STRIDE-th
 * round the first `songs`, so every generator of trainSongs.ts has its share.
 */
export function trainSongIndices(
  songs: number,
  synthKits = Number(process.env.DRUMNET_SYNTH_KITS ?? 0),
  limited = Number(process.env.DRUMNET_LIMITED ?? 0),
): number[] {
  if (limited > songs) throw new Error(`DRUMNET_LIMITED: ${limited} limited songs of only ${songs}`);
  const picks = Array.from({ length: limited }, (_, j) => (j * LIMITED_STRIDE) % songs);
  if (new Set(picks).size < limited) {
    throw new Error(`DRUMNET_LIMITED: ${limited} of ${songs} songs a stride of ${LIMITED_STRIDE} apart repeat`);
  }
  return [
    ...Array.from({ length: songs }, (_, i) => i),
    ...Array.from({ length: synthKits }, (_, i) => SYNTH_KIT_FROM + i),
    ...picks.map((j) => LIMITED_FROM + j),
  ];
}

/** All frames of the songs `indices`, with the floats per hop. */
export function loadDrumFrames(indices: number[]): { data: Float32Array; rowFloats: number } {
  checkDrumTrainFonts();
  const parts: Float32Array[] = [];
  let rowFloats = 0;
  for (const i of indices) {
    const p = songFrames(i);
    rowFloats = p.rowFloats;
    parts.push(p.data);
  }
  const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return { data: all, rowFloats };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const songs = trainSongIndices(Number(process.argv[2] ?? 460));
  const { data, rowFloats } = loadDrumFrames(songs);
  console.log(`${data.length / rowFloats} hops from ${songs.length} songs in ${drumTrainDir()}`);
}

/**
 * The chord net's training frames: renders the training songs (trainSongs.ts, never the evaluation corpus) with
 * fluidsynth and sox, runs the live analysis over each, and keeps, for every chord-chroma frame inside a chord
 * (the first 0.15 s after a change left out, as the corpus scoring does), the chord chroma's semitone levels, its
 * chroma, the bass chroma and the true chord's pitch classes.
 *   node dist/tools/chordnet/dataset.js [songs=500]      writes <trainDir>/frames-<songs>.bin
 */
import { writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { FeatureExtractor } from '../../src/analysis/extractor.js';
import { NET_NOTES } from '../../src/analysis/chordNet.js';
import { readWavFile } from '../../src/audio/wav.js';
import { checkTrainSoundfonts, renderTrainSong, trainDir, trainSong } from './trainSongs.js';

/** Floats per frame: levels, chroma, bass chroma, then the chord as a 12-value 0/1 mask and the song index. */
export const FRAME_FLOATS = NET_NOTES + 24 + 12 + 1;
const CHORD_EXCLUDE_S = 0.15;

export function framesOfSong(i: number): Float32Array {
  const { spec, fx } = trainSong(i);
  const r = renderTrainSong({ spec, fx });
  const audio = readWavFile(r.wav);
  const cfg = analysisConfigSchema.parse({});
  const ex = new FeatureExtractor(cfg, audio.sampleRate);
  const out: number[] = [];
  let hop = -1;
  const harmony = r.truth.harmony;
  let h = 0;
  ex.push(audio.channels, (f) => {
    hop++;
    if (hop % cfg.chromaEveryHops !== 0) return;
    while (h < harmony.length && harmony[h]!.end <= f.t) h++;
    const seg = harmony[h];
    if (!seg || f.t < seg.start + CHORD_EXCLUDE_S || f.rms <= 0) return;
    let any = false;
    for (let k = 0; k < 12; k++) if (ex.chords.chroma[k]! > 0) any = true;
    if (!any) return;
    for (let k = 0; k < NET_NOTES; k++) out.push(ex.chords.levels[k]!);
    for (let k = 0; k < 12; k++) out.push(ex.chords.chroma[k]!);
    for (let k = 0; k < 12; k++) out.push(ex.bass.chroma[k]!);
    for (let k = 0; k < 12; k++) out.push(seg.chordPcs.includes(k) ? 1 : 0);
    out.push(i);
  });
  return Float32Array.from(out);
}

/** All frames of songs 0 … n − 1 (cached in the training directory). */
export function loadFrames(n: number): Float32Array {
  const file = join(trainDir(), `frames-${n}.bin`);
  if (existsSync(file)) {
    const b = readFileSync(file);
    return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  }
  checkTrainSoundfonts();
  const parts: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    parts.push(framesOfSong(i));
    console.log(`${trainSong(i).spec.name}: ${parts[i]!.length / FRAME_FLOATS} frames (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  writeFileSync(file, new Uint8Array(all.buffer));
  return all;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 500);
  const frames = loadFrames(n);
  console.log(`${frames.length / FRAME_FLOATS} frames from ${n} songs in ${trainDir()}`);
}

/**
 * The bass net's training frames: the chord net's training songs (tools/chordnet/trainSongs.ts) and the drum net's
 * (tools/drumnet/trainSongs.ts), both kept apart from every evaluation set, rendered as those tools render them (the
 * renders are shared with them), analysed live; per bass frame inside a chord segment (its first 0.15 s left out, as
 * the corpus scoring does) and not silent, the net's input (NetBassChroma.input), the true bass pitch class and the
 * song's index (chord-net songs i, drum-net songs DRUM_SONG_BASE + i).
 *   node dist/tools/bassnet/dataset.js [chordSongs=400] [drumSongs=160] [machineSongsTo=drumSongs]
 * writes <bassTrainDir>/frames-<song>-<hash>-t<truth version>.bin per song (named by the song row's hash and
 * TRUTH_VERSION; after a change to the analysis they read, loading them throws until they are deleted: checkCacheFresh).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { FeatureExtractor } from '../../src/analysis/extractor.js';
import { BASS_NET_INPUTS } from '../../src/analysis/bassNet.js';
import { readWavFile } from '../../src/audio/wav.js';
import { hashOf } from '../corpus/corpus.js';
import type { SongSpec, SongTruth } from '../corpus/songs.js';
import { checkTrainSoundfonts, renderTrainSong, trainSong } from '../chordnet/trainSongs.js';
import { checkDrumTrainFonts, drumTrainSong, renderDrumTrainSong } from '../drumnet/trainSongs.js';

export const ROW_FLOATS = BASS_NET_INPUTS + 2;
export const DRUM_SONG_BASE = 1000;
const EXCLUDE_S = 0.15;

export function bassTrainDir(): string {
  return process.env.LATENTVJ_BASSNET_DIR ?? join(homedir(), '.cache', 'latentvj', 'bassnet-train');
}

interface Source {
  spec: SongSpec;
  render: () => { wav: string; truth: SongTruth };
  key: string;
}

/** Song `id` (below DRUM_SONG_BASE a chord-net song, from it a drum-net song). */
function source(id: number): Source {
  if (id < DRUM_SONG_BASE) {
    const s = trainSong(id);
    return { spec: s.spec, key: hashOf(s), render: () => renderTrainSong(s) };
  }
  // With the song's soundfont bass: the drum net's synthesised training basses (tools/drumnet/bassVoices.ts) are
  // re-struck in rhythms of their own, silent between strikes and gliding onto their notes, which the bar's bass in
  // the truth does not describe (with them the corpus's bass top-1 mean fell 0.970 → 0.962 and 0.966).
  const song = drumTrainSong(id - DRUM_SONG_BASE);
  const { trainBass: _, ...spec } = song.spec;
  const s = { ...song, spec };
  return { spec, key: hashOf(s), render: () => renderDrumTrainSong(s) };
}

export function framesOfSong(id: number): Float32Array {
  const r = source(id).render();
  const audio = readWavFile(r.wav);
  const cfg = analysisConfigSchema.parse({});
  const ex = new FeatureExtractor(cfg, audio.sampleRate, undefined, null);
  const net = ex.netBass!;
  const harmony = r.truth.harmony;
  const out: number[] = [];
  let h = 0;
  ex.push(audio.channels, (f) => {
    if (!ex.bass.fresh) return;
    while (h < harmony.length && harmony[h]!.end <= f.t) h++;
    const seg = harmony[h];
    if (!seg || f.t < seg.start + EXCLUDE_S || f.rms <= 0) return;
    for (let k = 0; k < BASS_NET_INPUTS; k++) out.push(net.input[k]!);
    out.push(seg.bassPc, id);
  });
  return Float32Array.from(out);
}

/**
 * Version of the truth the cached frames carry, in their names: the song row's hash does not change where the truth
 * drawn from the same row does (2: a drop-2 voicing's bass without a bass line is its dropped tone, where 1 read the
 * close voicing's lowest; 190 of the 10 102 bars of chord-net songs 0–399 and drum-net songs 0–159).
 */
const TRUTH_VERSION = 2;

function framesFile(src: Source): string {
  return join(bassTrainDir(), `frames-${src.spec.name}-${src.key}-t${TRUTH_VERSION}.bin`);
}

function readFrames(file: string): Float32Array {
  const b = readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

/**
 * Throws where song `id`'s cached frames differ from what today's analysis makes of it: the cache is named by the song
 * row alone, and the net's input reads the drum detector's events and the hand-made chroma, so a change there leaves
 * every cached frame stale. One song stands for all (analysing it takes a few seconds).
 */
export function checkCacheFresh(id: number): void {
  const file = framesFile(source(id));
  if (!existsSync(file)) return;
  const cached = readFrames(file);
  const fresh = framesOfSong(id);
  let differ = cached.length === fresh.length ? 0 : Math.max(cached.length, fresh.length);
  if (!differ) for (let i = 0; i < fresh.length; i++) if (cached[i] !== fresh[i]) differ++;
  if (differ) {
    throw new Error(
      `${file}: made by other analysis code (${differ} of ${fresh.length} values differ from today's); delete the frames-*.bin files in ${bassTrainDir()} and run again`,
    );
  }
}

export function songFrames(id: number): Float32Array {
  const src = source(id);
  const file = framesFile(src);
  if (existsSync(file)) return readFrames(file);
  const t0 = performance.now();
  const data = framesOfSong(id);
  mkdirSync(bassTrainDir(), { recursive: true });
  writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  console.log(`${src.spec.name}: ${data.length / ROW_FLOATS} frames (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return data;
}

/**
 * The song ids: chord-net songs 0 … chordSongs − 1, drum-net songs 0 … drumSongs − 1, and from there up to
 * machineSongsTo − 1 those of the drum net's generator that play a drum machine (the kits whose long, pitched kicks
 * the bass is most often mistaken for; the drum net itself trains on the first drumSongs only).
 */
export function bassSongIds(chordSongs: number, drumSongs: number, machineSongsTo = drumSongs): number[] {
  const ids = [...Array.from({ length: chordSongs }, (_, i) => i), ...Array.from({ length: drumSongs }, (_, i) => DRUM_SONG_BASE + i)];
  for (let i = drumSongs; i < machineSongsTo; i++) if (drumTrainSong(i).spec.drums?.machine) ids.push(DRUM_SONG_BASE + i);
  return ids;
}

/** All frames of the songs of bassSongIds. */
export function loadBassFrames(chordSongs: number, drumSongs: number, machineSongsTo = drumSongs): Float32Array {
  checkTrainSoundfonts();
  checkDrumTrainFonts();
  const ids = bassSongIds(chordSongs, drumSongs, machineSongsTo);
  // A drum-net song if there is one: its frames read the drum detector most.
  checkCacheFresh(ids.find((id) => id >= DRUM_SONG_BASE) ?? ids[0]!);
  const parts = ids.map(songFrames);
  const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const c = Number(process.argv[2] ?? 400);
  const d = Number(process.argv[3] ?? 160);
  const m = Number(process.argv[4] ?? d);
  const data = loadBassFrames(c, d, m);
  console.log(`${data.length / ROW_FLOATS} frames from ${bassSongIds(c, d, m).length} songs in ${bassTrainDir()}`);
}

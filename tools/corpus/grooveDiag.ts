/**
 * Why tempo, beats or downbeats go wrong on a song: per second the true and our tempo, whether beats are known and
 * the bar length, and each beat event's place against the truth (which beat of the bar it is nearest, how far off),
 * so a half-time reading, a bar on the snare or a beat half a beat off shows as a pattern.
 *   npx tsc -b && node dist/tools/corpus/grooveDiag.js <song substring> [--holdout | … | --holdout5] [--rate Hz]
 *     [--limit dB] [--gain dB] [--hum dBFS [--mains 50|60]]
 * The playback flags play its files as eval-analysis does (playback.ts played).
 */
import { FeatureExtractor } from '../../src/analysis/extractor.js';
import type { Features } from '../../src/analysis/types.js';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { loadCorpus } from './corpus.js';
import { played } from './playback.js';
import { playbackOfArgs, setOfArgs } from './sets.js';
import { localTempo } from './songs.js';

const only = process.argv[2];
if (!only) throw new Error('usage: grooveDiag.js <song substring> [--holdout | … | --holdout5]');
const set = setOfArgs(process.argv);
const playback = playbackOfArgs(process.argv);
for (const it of loadCorpus(only, set).map((item) => played(item, playback))) {
  // The tracker's private state, read for diagnosis only (names as in tempo.ts).
  const ex = new FeatureExtractor(analysisConfigSchema.parse({}), it.audio.sampleRate);
  const feats: Features[] = [];
  const inner: string[] = [];
  const chans = it.audio.channels;
  for (let i = 0; i < chans[0]!.length; i += 512) {
    ex.push(chans.map((c) => c.subarray(i, Math.min(chans[0]!.length, i + 512))), (f) => {
      feats.push(f);
      const t = ex.tempo as unknown as Record<string, number | boolean>;
      const hits = t['hits'] as unknown as { cymbalHeard(n: number): boolean; drumWithin(n: number, hops: number): boolean };
      const n = +t['n'];
      inner.push(`${(t['level'] as unknown as { locked: boolean }).locked ? 'L' : '-'}${t['evidenceActive'] ? 'E' : '-'}${hits.cymbalHeard(n) ? 'C' : '-'}${hits.drumWithin(n, 3 * ex.params.hopRateHz) ? 'D' : '-'} sal ${(+t['salience']).toFixed(2)} cf ${(+t['confidence']).toFixed(2)}`);
    });
  }
  const tr = it.truth;
  console.log(`# ${it.name}  (${tr.beatsPerBar}/4, ${tr.beats.length} beats)`);
  // Beat events: nearest true beat, its slot in the bar, offset in beats.
  const slotOf = (i: number): number => {
    const t = tr.beats[i]!;
    let d = 0;
    for (let k = 0; k < tr.downbeats.length && tr.downbeats[k]! <= t + 1e-6; k++) d = k;
    return tr.beats.findIndex((b) => Math.abs(b - tr.downbeats[d]!) < 1e-6) >= 0 ? i - tr.beats.findIndex((b) => Math.abs(b - tr.downbeats[d]!) < 1e-6) : -1;
  };
  let sec = -1;
  let line = '';
  for (const f of feats) {
    const s = Math.floor(f.t);
    if (s !== sec) {
      if (line) console.log(line);
      sec = s;
      const want = localTempo(tr.beats, f.t);
      line = `${inner[feats.indexOf(f)]} ${String(s).padStart(3)}s true ${Number.isNaN(want) ? '   -' : want.toFixed(0).padStart(4)} ours ${f.tempo.bpm.toFixed(1).padStart(6)} ${f.tempo.known ? 'K' : '.'} bpb ${f.tempo.beatsPerBar} |`;
    }
    if (f.events.includes('beat')) {
      let bi = 0;
      for (let i = 1; i < tr.beats.length; i++) if (Math.abs(tr.beats[i]! - f.t) < Math.abs(tr.beats[bi]! - f.t)) bi = i;
      const per = (tr.beats[Math.min(bi + 1, tr.beats.length - 1)]! - tr.beats[Math.max(0, bi - 1)]!) / 2 || 0.5;
      const off = (f.t - tr.beats[bi]!) / per;
      line += ` ${f.events.includes('downbeat') ? 'D' : 'b'}${slotOf(bi)}${off >= 0 ? '+' : ''}${off.toFixed(2)}`;
    }
  }
  console.log(line);
}

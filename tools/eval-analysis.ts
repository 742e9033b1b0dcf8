/**
 * Prints every "done when" figure of the analysis (issue 3): onset F-measures and latency, chroma accuracy, tempo
 * settling and beat F-measure, section energy (rmsSlow), on the demo track and on synthesised patterns, at −30 dBFS
 * and 0 dBFS too; then the corpus table (tools/corpus: one row per song, aubio beside it, the means).
 *   npx tsc -b && node dist/tools/eval-analysis.js [--quick] [--corpus-only | --holdout | --holdout2 | … | --holdout5] [--song <substring>]
 *     [--rate <Hz>] [--limit <dB>] [--gain <dB>] [--hum <dBFS> [--mains 50|60]] [--restart <s>]
 * --holdout prints the same table for the holdout set (tools/corpus/holdout.ts) instead: songs kept apart from all
 * tuning, to check that the corpus figures carry over (with --song, one of them); --holdout2 the second such set
 * (tools/corpus/holdout2.ts), in material the first did not have; --holdout3 the third (tools/corpus/holdout3.ts:
 * other instruments again and drum machines of our own); --holdout4 the fourth (tools/corpus/holdout4.ts: voices and a
 * drum kit synthesised here, programs only it plays); --holdout5 the fifth (tools/corpus/holdout5.ts: a phase-modulated
 * kit, an organ and a pulse bass synthesised here), the one kept apart now (tools/corpus/sets.ts lists them).
 * --rate scores a set's files resampled by sox to that rate (they render at 44.1 kHz; interfaces mostly run at 48).
 * --limit scores them through a loud master's limiter with that much gain reduction (0 … 24 dB; club masters: 6–12).
 * --gain scores them that many dB quieter (−60 … 0; they render at −1 dBFS peak, a line-in is often set far lower).
 * --hum adds mains hum at that level (dBFS RMS, −90 … −20: a 50 Hz buzz and its harmonics, --mains 60 for 60 Hz), as
 * a ground loop at the line-in does.
 * --restart starts the analysis that many seconds into each song (a show started, or restarted, while the music plays)
 * and scores every column from 8 s after that; songs with less than 8 s left there are not scored, aubio is not run.
 */
import { corpusReport } from './corpus/table.js';
import { holdoutOfArgs, playbackOfArgs } from './corpus/sets.js';
import { renderDemoTrack } from '../src/audio/demo.js';
import { analysisConfigSchema } from '../src/analysis/config.js';
import {
  analyseSignal,
  bassAccuracy,
  chordAccuracy,
  eventTimes,
  fMeasure,
  hasNonFinite,
  median,
  tempoSettleTime,
} from '../src/analysis/evaluation.js';
import { bandArrangement, renderPattern, whiteNoise, writeMidiFile } from '../src/analysis/synth.js';
import { FeatureExtractor } from '../src/analysis/extractor.js';
import { readWavFile } from '../src/audio/wav.js';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Features } from '../src/analysis/types.js';

const cfg = analysisConfigSchema.parse({});
const pct = (x: number): string => (Number.isNaN(x) ? '  n/a' : `${(100 * x).toFixed(1).padStart(5)}%`);
const ms = (x: number): string => `${(1000 * x).toFixed(1)} ms`;

function scaled(channels: Float32Array[], peakDb: number): Float32Array[] {
  let peak = 0;
  for (const c of channels) for (let i = 0; i < c.length; i++) peak = Math.max(peak, Math.abs(c[i]!));
  const g = Math.pow(10, peakDb / 20) / peak;
  return channels.map((c) => c.map((v) => v * g));
}

function demoReport(label: string, peakDb: number | null, sampleRate = 44100): void {
  const demo = renderDemoTrack({ sampleRate });
  const chans = peakDb === null ? demo.channels : scaled(demo.channels, peakDb);
  const t0 = performance.now();
  const feats = analyseSignal(chans, demo.sampleRate, cfg, 512);
  const wall = (performance.now() - t0) / 1000;
  const tr = demo.truth;
  const kick = fMeasure(eventTimes(feats, 'kick'), tr.onsets.kick, 0.05);
  const snare = fMeasure(eventTimes(feats, 'snare'), tr.onsets.snare, 0.05);
  const hats = fMeasure(eventTimes(feats, 'hats'), tr.onsets.hats, 0.05);
  const lat = median([...kick.deltas, ...snare.deltas]);
  const mainStart = tr.sections[1]?.start ?? 0;
  const beats = fMeasure(eventTimes(feats, 'beat'), tr.beats, 0.07, 8);
  const downbeats = fMeasure(eventTimes(feats, 'downbeat'), tr.downbeats, 0.07, 8);
  const bars = tr.bars.map((b) => ({ start: b.start, end: b.end, chordPcs: b.chordPcs, bassPc: b.bassPc }));
  const sections = eventTimes(feats, 'section');
  console.log(`demo ${label}, ${sampleRate} Hz: ${tr.durationS.toFixed(1)} s analysed in ${wall.toFixed(2)} s`);
  console.log(
    `  kick   F ${pct(kick.f)} (P ${pct(kick.precision)} R ${pct(kick.recall)}, ${kick.detected}/${kick.truth})` +
      `   snare F ${pct(snare.f)} (P ${pct(snare.precision)} R ${pct(snare.recall)}, ${snare.detected}/${snare.truth})` +
      `   hats F ${pct(hats.f)} (${hats.detected}/${hats.truth})`,
  );
  console.log(`  median detection latency kick+snare ${ms(lat)} (kick ${ms(median(kick.deltas))}, snare ${ms(median(snare.deltas))}, hats ${ms(median(hats.deltas))})`);
  console.log(
    `  chord top-3 = triad ${pct(chordAccuracy(feats, bars, 0.15))} (excl. 150 ms after changes)` +
      `   bass argmax ${pct(bassAccuracy(feats, bars, 0.15))} (excl. 150 ms), ${pct(bassAccuracy(feats, bars, 0))} (all frames)`,
  );
  console.log(
    `  tempo ${feats[feats.length - 1]!.tempo.bpm.toFixed(2)} BPM (truth ${tr.bpm}), within ±2% from ${tempoSettleTime(feats, tr.bpm).toFixed(2)} s` +
      `   beat F ${pct(beats.f)} (after 8 s)   downbeat F ${pct(downbeats.f)} (after 8 s)`,
  );
  console.log(`  sections at ${sections.map((s) => s.toFixed(2) + ' s').join(', ') || 'none'} (truth: ${tr.sections.map((s) => s.start.toFixed(2)).join(', ')}); main from ${mainStart.toFixed(2)} s`);
  const at = (e: 'drop' | 'breakdown'): string => eventTimes(feats, e).map((t) => t.toFixed(2) + ' s').join(', ') || 'none';
  console.log(`  live section energy (the default preset's section switch): drops at ${at('drop')}, breakdowns at ${at('breakdown')}`);
  const intro = (e: 'kick' | 'snare'): number => eventTimes(feats, e).filter((t) => t < mainStart - 0.05).length;
  console.log(`  intro (bass, pad, chord changes, no kick/snare): ${intro('kick')} kicks, ${intro('snare')} snares`);
  // Section energy: rmsSlow medians in the intro (from 3 s) and the main (from 2 s after its start), first play,
  // and the first time it crosses 0.8 (the section gate the default preset used before the drop detector).
  const med = (from: number, to: number, pick: (f: Features) => number): number => median(feats.filter((f) => f.t >= from && f.t < to).map(pick));
  const gate = feats.find((f) => f.t >= mainStart && f.rmsSlow >= 0.8);
  console.log(
    `  rmsSlow intro ${med(3, mainStart, (f) => f.rmsSlow).toFixed(3)} main ${med(mainStart + 2, tr.durationS, (f) => f.rmsSlow).toFixed(3)} (first play; ` +
      `≥ 0.8 from ${gate ? gate.t.toFixed(2) + ' s' : 'never'})   rms (fast, peak-normalised) intro ${med(3, mainStart, (f) => f.rms).toFixed(3)} main ${med(mainStart + 2, tr.durationS, (f) => f.rms).toFixed(3)}`,
  );
}

/** rmsSlow over the demo played `plays` times in a row at `peakDb`: intro and main medians per play (the reference adapts). */
function sectionEnergyReport(peakDb: number, plays: number): void {
  const demo = renderDemoTrack();
  const chans = scaled(demo.channels, peakDb);
  const n = chans[0]!.length;
  const trackS = n / demo.sampleRate;
  const mainStart = demo.truth.sections[1]?.start ?? 0;
  const ex = new FeatureExtractor(cfg, demo.sampleRate);
  const perPlay: string[] = [];
  for (let p = 0; p < plays; p++) {
    const intro: number[] = [];
    const main: number[] = [];
    const emit = (f: Features): void => {
      const t = f.t - p * trackS;
      if (t >= 3 && t < mainStart) intro.push(f.rmsSlow);
      else if (t >= mainStart + 2) main.push(f.rmsSlow);
    };
    for (let i = 0; i < n; i += 512) ex.push(chans.map((c) => c.subarray(i, Math.min(n, i + 512))), emit);
    perPlay.push(`${median(intro).toFixed(2)}/${median(main).toFixed(2)}`);
  }
  console.log(`  ${String(peakDb).padStart(3)} dBFS: ${perPlay.join('  ')}   (reference now ${ex.sectionLevel.refDb.toFixed(1)} dBFS)`);
}

/** A GM band (fluidsynth + FluidR3_GM: sampled drums, fingered bass, piano) rendered from MIDI we write. */
function fluidsynthReport(bpm: number): void {
  const sf2 = '/usr/share/sounds/sf2/FluidR3_GM.sf2';
  if (spawnSync('fluidsynth', ['--version']).status !== 0 || !existsSync(sf2)) {
    console.log('  fluidsynth or FluidR3_GM.sf2 missing: skipped');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-eval-'));
  const { notes, truth } = bandArrangement(bpm, 8);
  writeFileSync(join(dir, 'b.mid'), writeMidiFile(bpm, [{ channel: 0, program: 0 }, { channel: 1, program: 33 }], notes));
  spawnSync('fluidsynth', ['-ni', '-q', '-F', join(dir, 'b.wav'), '-r', '44100', sf2, join(dir, 'b.mid')]);
  const audio = readWavFile(join(dir, 'b.wav'));
  const feats = analyseSignal(audio.channels, audio.sampleRate, cfg, 512);
  const kick = fMeasure(eventTimes(feats, 'kick'), truth.kick, 0.05);
  const snare = fMeasure(eventTimes(feats, 'snare'), truth.snare, 0.05);
  const hats = fMeasure(eventTimes(feats, 'hats'), truth.hats, 0.05);
  console.log(
    `  GM band ${bpm} BPM: kick F ${pct(kick.f)} snare F ${pct(snare.f)} hats F ${pct(hats.f)} lat ${ms(median([...kick.deltas, ...snare.deltas]))}` +
      `  tempo settled ${tempoSettleTime(feats, bpm).toFixed(2)} s  beat F ${pct(fMeasure(eventTimes(feats, 'beat'), truth.beats, 0.07, 8).f)}` +
      `  chord ${pct(chordAccuracy(feats, truth.bars, 0.15))} bass ${pct(bassAccuracy(feats, truth.bars, 0.15))}`,
  );
}

function robustnessReport(): void {
  const SR = 44100;
  const drums = (f: Features[]): number => f.filter((r) => r.events.some((e) => e === 'kick' || e === 'snare' || e === 'hats' || e === 'onset')).length;
  const clipped = renderPattern({ bpm: 128, durationS: 8, peakDb: 20 }).samples.map((v) => Math.max(-1, Math.min(1, v)));
  const withNaN = renderPattern({ bpm: 120, durationS: 4 }).samples.map((v, i) => (i % 97 === 0 ? NaN : v));
  const cases: Array<[string, Float32Array, number]> = [
    ['silence 4 s', new Float32Array(SR * 4), 512],
    ['DC 0.5 for 3 s', new Float32Array(SR * 3).fill(0.5), 512],
    ['white noise −6 dBFS 6 s', whiteNoise(SR * 6, 0.5), 512],
    ['pattern +20 dB hard-clipped 8 s', clipped, 512],
    ['pattern in 1-sample blocks 2 s', renderPattern({ bpm: 120, durationS: 2 }).samples, 1],
    ['pattern with NaN every 97th sample 4 s', withNaN, 512],
    ['all NaN 1 s', new Float32Array(SR).fill(NaN), 512],
  ];
  console.log('robustness:');
  for (const [name, x, block] of cases) {
    const f = analyseSignal([x], SR, cfg, block);
    const last = f[f.length - 1]!;
    console.log(
      `  ${name.padEnd(40)} ${String(f.length).padStart(4)} records, non-finite: ${hasNonFinite(f) ? 'YES' : 'no'}, ` +
        `onset hops ${drums(f)}, kicks ${eventTimes(f, 'kick').length}, beats ${eventTimes(f, 'beat').length}, tempo confidence ${last.tempo.confidence.toFixed(2)}`,
    );
  }
}

function patternReport(bpm: number, peakDb: number): { ok: boolean } {
  const sig = renderPattern({ bpm, durationS: 20, peakDb, harmony: true });
  const feats = analyseSignal([sig.samples], sig.sampleRate, cfg, 512);
  const tr = sig.truth;
  const kick = fMeasure(eventTimes(feats, 'kick'), tr.kick, 0.05);
  const snare = fMeasure(eventTimes(feats, 'snare'), tr.snare, 0.05);
  const lat = median([...kick.deltas, ...snare.deltas]);
  const settle = tempoSettleTime(feats, bpm);
  const beats = fMeasure(eventTimes(feats, 'beat'), tr.beats, 0.07, 8);
  const chord = chordAccuracy(feats, tr.bars, 0.15);
  const bass = bassAccuracy(feats, tr.bars, 0.15);
  const last = feats[feats.length - 1]!.tempo.bpm;
  console.log(
    `  ${String(bpm).padStart(3)} BPM @ ${String(peakDb).padStart(3)} dBFS: tempo ${last.toFixed(2)} settled ${settle.toFixed(2).padStart(5)} s  beat F ${pct(beats.f)}` +
      `  kick F ${pct(kick.f)} snare F ${pct(snare.f)} lat ${ms(lat)}  chord ${pct(chord)} bass ${pct(bass)}`,
  );
  return { ok: settle <= 8 && beats.f >= 0.8 };
}

const quick = process.argv.includes('--quick');
const songAt = process.argv.indexOf('--song');
const holdout = holdoutOfArgs(process.argv);
const playback = playbackOfArgs(process.argv);
if (holdout) {
  corpusReport(songAt > 0 ? process.argv[songAt + 1] : undefined, undefined, holdout, playback);
  process.exit(0);
}
if (process.argv.includes('--corpus-only') || songAt > 0) {
  corpusReport(songAt > 0 ? process.argv[songAt + 1] : undefined, undefined, undefined, playback);
  process.exit(0);
}
demoReport('(as rendered, −1.5 dBFS peak)', null);
if (!quick) {
  demoReport('at −30 dBFS', -30);
  demoReport('at 0 dBFS', 0);
  demoReport('(as rendered)', null, 48000);
  console.log('section energy: rmsSlow intro/main medians, demo played 4 times in a row (one column per minute):');
  for (const db of [-30, -1, 0]) sectionEnergyReport(db, 4);
}
console.log('patterns (kick 1&3, snare 2&4, hats 8ths, pad + bass per bar), 20 s each:');
for (const bpm of [90, 120, 128, 140, 174]) {
  for (const db of quick ? [-1] : [-30, 0]) patternReport(bpm, db);
}
console.log('fluidsynth renders (GM soundfont, 44.1 kHz, kick 1&3, snare 2&4, hats 8ths, piano triads, bass roots):');
for (const bpm of quick ? [120] : [90, 120, 174]) fluidsynthReport(bpm);
if (!quick) robustnessReport();
corpusReport(undefined, undefined, undefined, playback);

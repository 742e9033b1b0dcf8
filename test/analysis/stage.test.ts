import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Observable, concat, firstValueFrom, toArray } from '../../src/rx.js';
import { createAnalysis } from '../../src/analysis/index.js';
import { renderPattern } from '../../src/analysis/synth.js';
import { chordAccuracy, analyseSignal, topK } from '../../src/analysis/evaluation.js';
import type { AudioBlock } from '../../src/audio/types.js';
import type { Features } from '../../src/analysis/types.js';
import { FeatureExtractor } from '../../src/analysis/extractor.js';
import { analysisConfigSchema } from '../../src/analysis/config.js';

const SR = 44100;

function blocksOf(samples: Float32Array, blockSize: number, t0 = 0, sampleRate = SR): Observable<AudioBlock> {
  return new Observable<AudioBlock>((sub) => {
    for (let i = 0; i < samples.length; i += blockSize) {
      sub.next({ sampleRate, t0: t0 + i, channels: [samples.subarray(i, Math.min(samples.length, i + blockSize))] });
    }
    sub.complete();
  });
}

test('createAnalysis: one record per hop, every Features field filled, t on the audio clock', async () => {
  const sig = renderPattern({ bpm: 120, durationS: 4, harmony: true });
  const stage = createAnalysis({});
  const feats = await firstValueFrom(stage(blocksOf(sig.samples, 256)).pipe(toArray()));
  assert.equal(feats.length, Math.floor(sig.samples.length / 441));
  const f = feats[300]!;
  assert.equal(f.chroma.length, 12);
  assert.equal(f.bassChroma.length, 12);
  assert.ok(Math.abs(f.t - (301 * 441) / SR) < 1e-9, `t ${f.t}`);
  for (const key of ['all', 'kick', 'snare', 'hats'] as const) assert.equal(typeof f.onset[key], 'number');
  assert.equal(typeof f.novelty, 'number');
  assert.equal(typeof f.section, 'number');
  assert.equal(f.tempo.source, 'analysis');
  assert.ok(Array.isArray(f.events));
  // A source that starts mid-stream (t0 ≠ 0) keeps its clock.
  const late = await firstValueFrom(stage(blocksOf(sig.samples, 512, SR * 10)).pipe(toArray()));
  assert.ok(Math.abs(late[0]!.t - (10 + 441 / SR)) < 1e-9, `t ${late[0]!.t}`);
});

test('at 48 kHz (the line-in\'s rate) the analysis runs at 44.1 kHz: 100 records a second on the input\'s clock, '
  + 'each out by the end of the block that reaches its time, the same events as at 44.1 kHz', async () => {
  const ex = new FeatureExtractor(analysisConfigSchema.parse({}), 48000);
  assert.deepEqual([ex.inputRateHz, ex.params.sampleRate, ex.params.hopSamples], [48000, 44100, 441]);
  // 9 taps either side at 48 kHz: a record comes out once the input is that far past its hop's end.
  assert.ok(Math.abs(ex.lookaheadS - 9 / 48000) < 1e-12, `${ex.lookaheadS}`);
  // A frame is due once the audio clock passes its time: every record up to a block's end is out by then.
  const sig48 = renderPattern({ bpm: 120, durationS: 4, sampleRate: 48000 });
  for (const block of [480, 512]) {
    const live = new FeatureExtractor(analysisConfigSchema.parse({}), 48000);
    const seen: Features[] = [];
    for (let i = 0; i + block <= sig48.samples.length; i += block) {
      live.push([sig48.samples.subarray(i, i + block)], (f) => seen.push(f));
      const endS = (i + block) / 48000;
      const out = seen.filter((f) => f.t <= endS).length;
      const hopsDue = Math.floor(((endS - live.lookaheadS) * 44100) / 441 + 1e-9);
      assert.equal(out, hopsDue, `blocks of ${block}: ${out} records by ${endS.toFixed(4)} s, ${hopsDue} due`);
    }
  }
  const at = async (rate: number): Promise<Features[]> => {
    const sig = renderPattern({ bpm: 120, durationS: 8, sampleRate: rate });
    return firstValueFrom(createAnalysis({})(blocksOf(sig.samples, 512, rate * 2, rate)).pipe(toArray()));
  };
  const [ref, got] = [await at(SR), await at(48000)];
  // The end of the stream fills the resampler's look-ahead: the last hop is not lost.
  assert.deepEqual([ref.length, got.length], [800, 800]);
  for (let k = 0; k < got.length; k++) {
    assert.ok(Math.abs(got[k]!.t - (2 + (k + 1) / 100 + 9 / 48000)) < 1e-9, `record ${k}: t ${got[k]!.t}`);
  }
  const times = (f: Features[], e: string): number[] => f.filter((r) => r.events.includes(e as never)).map((r) => r.t);
  for (const e of ['kick', 'snare', 'beat']) {
    const [a, b] = [times(ref, e), times(got, e)];
    assert.ok(a.length > 4 && Math.abs(a.length - b.length) <= 1, `${e}: ${a.length} at 44.1 kHz, ${b.length} at 48`);
    for (const t of b) assert.ok(a.some((u) => Math.abs(u - t) <= 0.0101), `${e} at ${t.toFixed(2)} s only at 48 kHz`);
  }
});

test('at 48 kHz a file\'s end is flushed: as many records as at 44.1 kHz, the last one stamped at the end', () => {
  for (const durationS of [1, 2.5]) {
    const n48 = Math.round(durationS * 48000);
    const sig = renderPattern({ bpm: 120, durationS, sampleRate: 48000 });
    const feats = analyseSignal([sig.samples.subarray(0, n48)], 48000);
    assert.equal(feats.length, Math.round(durationS * 100), `${durationS} s`);
    assert.ok(Math.abs(feats[feats.length - 1]!.t - (durationS + 9 / 48000)) < 1e-9, `${feats[feats.length - 1]!.t}`);
    // Without the flush the last 9 samples never leave the resampler, and with them the last hop.
    const ex = new FeatureExtractor(analysisConfigSchema.parse({}), 48000);
    let pushed = 0;
    ex.push([sig.samples.subarray(0, n48)], () => pushed++);
    assert.equal(pushed, feats.length - 1);
  }
  // A second flush adds no silence: what an extractor gives after it is what it gives after one (a tone that starts
  // then, as its level rises hop by hop).
  const after = (flushes: number): number[] => {
    const x = new FeatureExtractor(analysisConfigSchema.parse({}), 48000);
    const rms: number[] = [];
    x.push([new Float32Array(48000)], () => undefined);
    for (let k = 0; k < flushes; k++) x.flush(() => undefined);
    const tone = Float32Array.from({ length: 4800 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000));
    x.push([tone], (f) => rms.push(f.rms));
    return rms;
  };
  assert.deepEqual(after(2), after(1));
});

test('createAnalysis: a change of rate flushes the old extractor, every hop at both rates kept', async () => {
  // 1 s at 48 kHz, then (the device reopened) 1 s at 44.1 kHz, whose clock starts at 1 s.
  const a = renderPattern({ bpm: 120, durationS: 1, sampleRate: 48000 }).samples;
  const b = renderPattern({ bpm: 120, durationS: 1 }).samples;
  const blocks = concat(blocksOf(a, 512, 0, 48000), blocksOf(b, 512, SR, SR));
  const feats = await firstValueFrom(createAnalysis({})(blocks).pipe(toArray()));
  assert.equal(feats.length, 200);
  assert.ok(Math.abs(feats[99]!.t - (1 + 9 / 48000)) < 1e-9, `the old rate's last record at ${feats[99]!.t}`);
  assert.ok(Math.abs(feats[100]!.t - 1.01) < 1e-9, `the new rate's first record at ${feats[100]!.t}`);
});

test('createAnalysis: each subscriber has its own state (same input → same output, in parallel)', async () => {
  const sig = renderPattern({ bpm: 128, durationS: 3 });
  const stage = createAnalysis({});
  const source = blocksOf(sig.samples, 333);
  const [a, b] = await Promise.all([firstValueFrom(stage(source).pipe(toArray())), firstValueFrom(stage(source).pipe(toArray()))]);
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    assert.equal(a[i]!.onset.all, b[i]!.onset.all);
    assert.deepEqual(a[i]!.events, b[i]!.events);
  }
});

test('config overrides reach the extractor (hop size)', async () => {
  const sig = renderPattern({ bpm: 120, durationS: 2 });
  const feats = await firstValueFrom(createAnalysis({ hopSamples: 256 })(blocksOf(sig.samples, 512)).pipe(toArray()));
  assert.equal(feats.length, Math.floor(sig.samples.length / 256));
});

test('chroma: a C major triad gives C, E, G; index 0 is C; a band tuned to A = 432 Hz still gives its notes', () => {
  for (const a4 of [440, 432]) {
    const n = SR * 3;
    const x = new Float32Array(n);
    for (const midi of [60, 64, 67]) {
      const hz = a4 * Math.pow(2, (midi - 69) / 12);
      for (let i = 0; i < n; i++) x[i]! += 0.2 * Math.sin((2 * Math.PI * hz * i) / SR) + 0.08 * Math.sin((4 * Math.PI * hz * i) / SR);
    }
    // Bass: C2 with partials.
    for (let i = 0; i < n; i++) {
      const hz = a4 * Math.pow(2, (36 - 69) / 12);
      x[i]! += 0.3 * Math.sin((2 * Math.PI * hz * i) / SR) + 0.15 * Math.sin((4 * Math.PI * hz * i) / SR) + 0.08 * Math.sin((6 * Math.PI * hz * i) / SR);
    }
    const feats = analyseSignal([x], SR);
    const last = feats[feats.length - 1]!;
    assert.deepEqual(topK(last.chroma, 3).sort((p, q) => p - q), [0, 4, 7], `A4 = ${a4} Hz: ${Array.from(last.chroma, (v) => v.toFixed(2)).join(' ')}`);
    assert.equal(topK(last.bassChroma, 1)[0], 0, `A4 = ${a4} Hz bass: ${Array.from(last.bassChroma, (v) => v.toFixed(2)).join(' ')}`);
    const bars = [{ start: 0, end: 3, chordPcs: [0, 4, 7], bassPc: 0 }];
    assert.ok(chordAccuracy(feats, bars, 0.5) >= 0.95);
  }
});

test('createAnalysis: a block the extractor cannot take (2 kHz) errors the stream with the reason, never throws out of the source', async () => {
  const blocks$ = new Observable<AudioBlock>((sub) => {
    sub.next({ sampleRate: 2000, t0: 0, channels: [new Float32Array(256)] });
    sub.complete();
  });
  await assert.rejects(firstValueFrom(createAnalysis({})(blocks$).pipe(toArray())), /sample rate 2000 Hz is outside/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MidiDecoder } from '../../src/control/midiDecode.js';
import { TapTempo, TempoSources, foldBpm, matchOctave } from '../../src/control/tempo.js';
import { controlConfigSchema } from '../../src/control/config.js';
import type { Tempo } from '../../src/analysis/types.js';

const tempoCfg = () => controlConfigSchema.parse({}).tempo;

/** Deterministic jitter (±jitterMs) so the test is repeatable. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

test('MIDI clock at 128 BPM (±1 ms jitter, through the decoder) locks within 2 beats', () => {
  const src = new TempoSources(tempoCfg());
  const dec = new MidiDecoder();
  const tickMs = 60000 / 128 / 24;
  const rnd = lcg(7);
  let prevSec = 0;
  const feed = (bytes: number[], atMs: number) => {
    const dt = atMs / 1000 - prevSec;
    prevSec = atMs / 1000;
    for (const e of dec.decode(dt, bytes)) {
      if (e.kind === 'clock') src.clock.tick(e.tSec, atMs);
      else if (e.kind === 'start') src.clock.start();
    }
  };
  feed([0xfa], 1000);
  let lockedAtTick = -1;
  for (let i = 0; i < 48; i++) {
    const at = 1000 + 1 + i * tickMs + rnd();
    feed([0xf8], at);
    const t = src.merge(null, at);
    if (lockedAtTick < 0 && t && t.source === 'midi-clock' && Math.abs(t.bpm - 128) <= 1 && t.confidence >= 0.5) {
      lockedAtTick = i;
    }
  }
  assert.ok(lockedAtTick >= 0 && lockedAtTick < 48, `locked at tick ${lockedAtTick}`);
  const at = 1000 + 1 + 47 * tickMs;
  const t = src.merge(null, at)!;
  assert.equal(src.leader(at), 'midi-clock');
  assert.ok(Math.abs(t.bpm - 128) < 0.5, `bpm ${t.bpm}`);
  // Tick 47 after Start is the last tick of beat 2: phase 23/24 of a beat, 47/96 of the bar.
  assert.ok(Math.abs(t.beatPhase - 23 / 24) < 0.03, `beatPhase ${t.beatPhase}`);
  assert.ok(Math.abs(t.barPhase - 47 / 96) < 0.01, `barPhase ${t.barPhase}`);
  // Clock stops arriving: after the timeout the analysis leads again.
  const analysis: Tempo = { bpm: 120, beatPhase: 0.5, barPhase: 0.1, confidence: 0.8, source: 'analysis' };
  assert.equal(src.merge(analysis, at + 600), analysis);
  assert.equal(src.status(at + 600).leading, 'analysis');
});

test('song position pointer and continue keep the bar phase', () => {
  const src = new TempoSources(tempoCfg());
  const tickMs = 60000 / 120 / 24;
  src.clock.start();
  src.clock.position(4); // one beat in
  for (let i = 0; i < 30; i++) src.clock.tick((i * tickMs) / 1000, i * tickMs);
  const t = src.merge(null, 29 * tickMs)!;
  // position 24 + 29 ticks = 53 ticks
  assert.ok(Math.abs(t.barPhase - 53 / 96) < 1e-6, `${t.barPhase}`);
  assert.ok(Math.abs(t.bpm - 120) < 1e-6);
});

test('4 taps at 128 BPM give 128 ± 1; jittered taps too', () => {
  const table: Array<[string, number[]]> = [
    ['exact', [0, 468.75, 937.5, 1406.25]],
    ['±10 ms', [0, 478, 930, 1410]],
    ['late start', [5000, 5469, 5937, 6406]],
  ];
  for (const [name, taps] of table) {
    const src = new TempoSources(tempoCfg());
    for (const t of taps) src.tap(t);
    const tempo = src.merge(null, taps.at(-1)!)!;
    assert.equal(tempo.source, 'tap', name);
    assert.ok(Math.abs(tempo.bpm - 128) <= 1, `${name}: ${tempo.bpm}`);
    assert.ok(tempo.beatPhase < 0.01 || tempo.beatPhase > 0.99, `${name}: phase ${tempo.beatPhase}`);
  }
});

test('tap tempo is half/double-time aware', () => {
  assert.equal(foldBpm(64, 70, 180), 128);
  assert.equal(foldBpm(256, 70, 180), 128);
  assert.equal(foldBpm(100, 70, 180), 100);
  assert.equal(matchOctave(87, 174), 174);
  assert.equal(matchOctave(87, 130), 87);
  // Tapping every other beat of a 174 BPM track: the analysis heard 174, so 87 taps mean 174.
  const src = new TempoSources(tempoCfg());
  src.noteAnalysis({ bpm: 174, beatPhase: 0, barPhase: 0, confidence: 1, source: 'analysis' });
  const beat = 60000 / 87;
  for (let i = 0; i < 4; i++) src.tap(i * beat);
  assert.ok(Math.abs(src.merge(null, 3 * beat)!.bpm - 174) < 1);
  // Half and double of the leading tempo.
  src.scale(0.5, 3 * beat);
  assert.ok(Math.abs(src.merge(null, 3 * beat)!.bpm - 87) < 1);
  src.scale(2, 3 * beat);
  assert.ok(Math.abs(src.merge(null, 3 * beat)!.bpm - 174) < 1);
});

test('a long pause or an outlier restarts the tap sequence', () => {
  const taps = new TapTempo(2000, 70, 180);
  for (const t of [0, 500, 1000, 1500]) taps.tap(t);
  assert.ok(Math.abs(taps.bpm - 120) < 1e-9);
  for (const t of [10000, 10400, 10800]) taps.tap(t); // new sequence at 150 BPM
  assert.ok(Math.abs(taps.bpm - 150) < 1e-9);
  assert.equal(taps.tapCount, 3);
});

test('priority: MIDI clock over OSC over tap over analysis; release hands back', () => {
  const src = new TempoSources(tempoCfg());
  const analysis: Tempo = { bpm: 100, beatPhase: 0, barPhase: 0, confidence: 1, source: 'analysis' };
  assert.equal(src.merge(analysis, 0)?.source, 'analysis');
  for (const t of [0, 500, 1000]) src.tap(t);
  assert.equal(src.merge(analysis, 1000)?.source, 'tap');
  src.osc.setBpm(140, 1000);
  assert.equal(src.merge(analysis, 1000)?.source, 'osc');
  assert.equal(src.merge(analysis, 1000)?.bpm, 140);
  // OSC holds 10 s after its last message, then tap leads again (tap holds until released).
  assert.equal(src.merge(analysis, 11001)?.source, 'tap');
  src.release();
  assert.equal(src.merge(analysis, 11001)?.source, 'analysis');
  const s = src.status(11001);
  assert.equal(s.leading, 'analysis');
  assert.equal(s.sources.osc.bpm, 140);
  // An OSC beat stream anchors the phase; beat 5 of AbletonOSC is beat 2 of bar 2.
  src.osc.setBpm(120, 20000);
  src.osc.beat(20000, 5);
  const t = src.merge(analysis, 20250)!;
  assert.equal(t.source, 'osc');
  assert.ok(Math.abs(t.beatPhase - 0.5) < 1e-9);
  assert.ok(Math.abs(t.barPhase - 1.5 / 4) < 1e-9);
});

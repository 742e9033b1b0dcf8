/**
 * The tempo tracker where noise fills the onset envelope (pink noise under a DnB intro of off-beat hats): the hats
 * envelope's own period is the tempo, its own phase the beat's (HatsPulse.tempo); hats that are noise themselves give
 * no tempo. Synthetic cues at 100 hops a second.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TempoTracker } from '../../src/analysis/tempo.js';
import { lcg } from '../../src/analysis/synth.js';
import { fMeasure } from '../../src/analysis/evaluation.js';

const HOP_RATE = 100;
const PERIOD = 35; // 171.4 BPM
const chroma = new Float32Array(12).fill(0.1);

function run(hatsAt: (n: number, rnd: () => number) => number): { bpm: number[]; known: boolean[]; beats: number[] } {
  const tracker = new TempoTracker({ hopRateHz: HOP_RATE, minBpm: 60, maxBpm: 200, priorBpm: 120, memoryS: 4, latencyS: 0 });
  const rnd = lcg(5);
  const out = { bpm: [] as number[], known: [] as boolean[], beats: [] as number[] };
  for (let n = 0; n < 20 * HOP_RATE; n++) {
    const hats = hatsAt(n, rnd);
    // The onset envelope is the noise's (every band), the hats a tenth of it; the kick and snare envelopes flicker.
    const noise = rnd();
    const kick = 0.3 * rnd();
    const snare = 0.3 * rnd();
    const st = tracker.step({ onset: 0.6 * noise + 0.1 * hats, kick, snare, low: kick, hats, drums: Math.max(hats, kick, snare), chroma, bassChroma: chroma, silent: false });
    out.bpm.push(st.bpm);
    out.known.push(st.known);
    if (st.beat) out.beats.push(n / HOP_RATE);
  }
  return out;
}

/** A hat's envelope `ago` hops after it (3 hops of decay). */
const hit = (ago: number): number => (ago >= 0 && ago < 3 ? 0.8 * (1 - ago / 3) : 0);

test('off-beat hats under noise that hides every period in the onset envelope: the hats give the tempo, the beat falls between them', () => {
  const r = run((n) => hit((n - Math.round(PERIOD / 2) + PERIOD) % PERIOD));
  const want = (60 * HOP_RATE) / PERIOD;
  const from = 8 * HOP_RATE;
  const right = r.bpm.slice(from).filter((b) => Math.abs(b / want - 1) <= 0.02).length;
  assert.ok(right >= 0.95 * (r.bpm.length - from), `${right} of ${r.bpm.length - from} hops at ${want.toFixed(1)} BPM`);
  const known = r.known.slice(from).filter(Boolean).length;
  assert.ok(known >= 0.95 * (r.known.length - from), `known in ${known} of ${r.known.length - from} hops`);
  const truth = Array.from({ length: Math.floor((20 * HOP_RATE) / PERIOD) }, (_, i) => (i * PERIOD) / HOP_RATE);
  const f = fMeasure(r.beats, truth, 0.07, 8).f;
  assert.ok(f >= 0.9, `beat F ${f.toFixed(2)} after 8 s`);
});

test('hats that are noise themselves (no period) give no tempo: no beats', () => {
  const r = run((_n, rnd) => (rnd() < 0.05 ? 0.8 : 0.1 * rnd()));
  assert.equal(r.beats.length, 0);
});

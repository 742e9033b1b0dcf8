import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrumTemplates } from '../../src/analysis/drumTemplates.js';

/** Twelve log bands per octave from 1 to 16 kHz, as the drum detector's filterbank has them. */
const centreHz = Float32Array.from({ length: 48 }, (_, i) => 1000 * Math.pow(2, (i + 0.5) / 12));

/** Per-band flux whose coarse-band shares follow `shares` (8 values, 1–1.5, 1.5–2, 2–3, 3–4, 4–6, 6–8, 8–11, 11–16 kHz). */
function flux(shares: number[], gain: number): Float32Array {
  const edges = [1000, 1500, 2000, 3000, 4000, 6000, 8000, 11000, 16000];
  return Float32Array.from(centreHz, (hz) => {
    const g = edges.findIndex((e, i) => hz >= e && hz < edges[i + 1]!);
    return g >= 0 ? gain * shares[g]! : 0;
  });
}

const click = [0.05, 0.27, 0.28, 0.2, 0.1, 0.06, 0.03, 0.01];
const snare = [0.3, 0.05, 0.08, 0.18, 0.17, 0.12, 0.07, 0.03];

test('a hop shaped like the kick click is the kick’s, one shaped like the snare is the snare’s; a clap on a kick is split', () => {
  const t = new DrumTemplates(centreHz, 16000);
  // Teach the song's own hits: kicks (click alone) and snares clear of kicks, each after a quiet hop (a hit is
  // learnt from its hop and the one before).
  const quiet = new Float32Array(centreHz.length);
  for (let h = 0; h < 20; h++) {
    t.unmix(quiet);
    t.unmix(flux(click, 1));
    t.learnKick();
    t.unmix(quiet);
    t.unmix(flux(snare, 0.4));
    t.noteSnare(100 + 10 * h, 0);
    t.settle(100 + 10 * h + 3);
  }
  t.unmix(flux(click, 3));
  assert.ok(t.snareShare < 0.05, `click alone: snare share ${t.snareShare.toFixed(3)}`);
  t.unmix(flux(snare, 0.4));
  assert.ok(t.snareShare > 0.9, `snare alone: snare share ${t.snareShare.toFixed(3)}`);
  // A snare at a quarter of a loud click's flux still shows: a share near its part of the whole.
  const mix = flux(click, 1).map((x, i) => x + flux(snare, 0.25)[i]!);
  t.unmix(mix);
  assert.ok(t.snareShare > 0.12 && t.snareShare < 0.3, `click + snare: snare share ${t.snareShare.toFixed(3)}`);
});

test('a snare struck with a kick does not teach the snare template', () => {
  const t = new DrumTemplates(centreHz, 16000);
  const before = Array.from(t.snare);
  t.unmix(flux(click, 1));
  t.noteSnare(50, 49);
  t.settle(60);
  assert.deepEqual(Array.from(t.snare), before);
});

/**
 * Claps struck with a four-on-the-floor kick (the club pattern). A clean one on its own is heard on the kick's hop
 * already and must stay there (no second, late snare from the rule told after the click); the rule itself is checked
 * on hops measured in a DJ mix, where the clap's share of the kick hop's flux leaves the envelope under its threshold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseSignal, eventTimes, fMeasure } from '../../src/analysis/evaluation.js';
import { Biquad } from '../../src/analysis/filters.js';
import { addAt, lcg, scaleToPeak } from '../../src/analysis/synth.js';
import { SnareOnKick } from '../../src/analysis/snareOnKick.js';

const SR = 44100;

/** A drum machine's kick: a sine gliding 190 → 52 Hz, driven, with a 4 ms noise click at 1–3.5 kHz. */
function kick(rnd: () => number): Float32Array {
  const out = new Float32Array(Math.round(0.6 * SR));
  const hp = Biquad.highpass(1000, 0.9, SR);
  const lp = Biquad.lowpass(3500, 0.9, SR);
  let ph = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    ph += (2 * Math.PI * (52 + 138 * Math.exp(-t / 0.025))) / SR;
    const body = Math.tanh(2.2 * Math.sin(ph) * Math.exp(-t / 0.19)) / Math.tanh(2.2);
    out[i] = body + (t < 0.004 ? lp.process(hp.process(rnd() * 2 - 1)) * 0.35 * (1 - t / 0.004) : 0);
  }
  return out;
}

/** A hand clap: `bursts` bursts of 0.9–2.6 kHz noise 11 ms apart, the last one decaying over 120 ms. */
function clap(rnd: () => number, bursts: number): Float32Array {
  const out = new Float32Array(Math.round(0.4 * SR));
  const hp = Biquad.highpass(900, 1.2, SR);
  const lp = Biquad.lowpass(2600, 1.2, SR);
  for (let i = 0; i < out.length; i++) {
    const t = i / SR;
    const k = Math.floor(t / 0.011);
    const env = k < bursts - 1 ? Math.exp(-(t - k * 0.011) / 0.004) : Math.exp(-(t - (bursts - 1) * 0.011) / 0.12);
    out[i] = 1.6 * lp.process(hp.process(rnd() * 2 - 1)) * env;
  }
  return out;
}

/** A closed hat: noise above 7 kHz decaying over 30 ms. */
function hat(rnd: () => number): Float32Array {
  const out = new Float32Array(Math.round(0.15 * SR));
  const hp = Biquad.highpass(7000, 0.707, SR);
  for (let i = 0; i < out.length; i++) out[i] = 0.3 * hp.process(rnd() * 2 - 1) * Math.exp(-i / SR / 0.03);
  return out;
}

test('claps of four bursts on 2 and 4, each struck with a four-on-the-floor kick, fire within 50 ms', () => {
  const bpm = 124;
  const beatS = 60 / bpm;
  const durationS = 16;
  const rnd = lcg(7);
  const x = new Float32Array(Math.round(durationS * SR));
  const k = kick(rnd);
  const c = clap(rnd, 4);
  const h = hat(rnd);
  const claps: number[] = [];
  for (let b = 0; (b + 1) * beatS < durationS; b++) {
    const t = 0.1 + b * beatS;
    addAt(x, k, Math.round(t * SR), 1);
    addAt(x, h, Math.round((t + beatS / 2) * SR), 1);
    if (b % 2 === 1) {
      addAt(x, c, Math.round(t * SR), 0.8);
      claps.push(t);
    }
  }
  scaleToPeak(x, -1);
  const snares = eventTimes(analyseSignal([x], SR), 'snare');
  // After the first bar: the kit's kicks teach what they bring on their own.
  const from = 0.1 + 4 * beatS - 0.05;
  const f = fMeasure(snares, claps, 0.05, from, durationS).f;
  const n = (ts: number[]): number => ts.filter((t) => t >= from).length;
  assert.ok(f >= 0.9, `snare F ${f.toFixed(2)} within 50 ms (${n(snares)} snares for ${n(claps)} claps)`);
});

/**
 * A rule kick at `hop` with its snare-band and gated low flux and the net's snare activation, judged on that hop
 * (`snareHop`: the rules' newest snare).
 */
function afterKick(hop: number, snareFlux: number, lowFlux: number, netSnare: number, snareHop = -1e9): SnareOnKick {
  const c = new SnareOnKick();
  c.kick(hop, snareFlux, lowFlux, lowFlux, netSnare);
  c.struck(hop, snareFlux, lowFlux, netSnare, snareHop, true);
  return c;
}

// Hops measured around rule kicks (snare-band flux, gated low flux, the net's snare activation), in flux units.
test('a clap on a kick goes on after the click and fires a hop later; a kick alone does not', () => {
  // The third kept-apart set's DJ mix: a clap struck with the kick; its click hop, then the next.
  const c = new SnareOnKick();
  c.struck(51, 0.00148, 0.0367, 0.76, -1e9, true);
  c.kick(52, 0.00386, 0.1092, 0.1092, 0.39);
  assert.equal(c.struck(52, 0.00386, 0.1092, 0.39, -1e9, true), false);
  assert.equal(c.struck(53, 0.0037, 0.1031, 0, -1e9, true), true);
  // The same kit's kick alone: the click is over on the next hop.
  const k = afterKick(1872, 0.00118, 0.0787, 0);
  assert.equal(k.struck(1873, 0.00013, 0.07, 0, -1e9, true), false);
  // Where a snare fired with the kick already, nothing more.
  const s = afterKick(52, 0.00386, 0.1092, 0.9, 52);
  assert.equal(s.struck(53, 0.0037, 0.1031, 0.9, 52, true), false);
});

test('a kick caught on its first hop is judged once its low flux stops rising, only where the net hears a snare', () => {
  // The Pearl kit's kick caught on its click's first hop: the click peaks on the next while the kick still rises.
  const p = afterKick(1118, 0.00128, 0.0596, 0);
  assert.equal(p.struck(1119, 0.00593, 0.2858, 0, -1e9, true), false);
  // Its click lasts into the third hop: the snare band reads like a clap's, but the net hears no snare.
  assert.equal(p.struck(1120, 0.00346, 0.3019, 0, -1e9, true), false);
  // The same hops where the net heard a snare around the kick: a snare.
  const n = afterKick(1118, 0.00128, 0.0596, 0.5);
  assert.equal(n.struck(1119, 0.00593, 0.2858, 0, -1e9, true), false);
  assert.equal(n.struck(1120, 0.00346, 0.3019, 0, -1e9, true), true);
  // A kick whose low flux still rises two hops on is not judged at all.
  const r = afterKick(10, 0.001, 0.03, 0.9);
  assert.equal(r.struck(11, 0.004, 0.1, 0.9, -1e9, true), false);
  assert.equal(r.struck(12, 0.004, 0.2, 0.9, -1e9, true), false);
  assert.equal(r.struck(13, 0.004, 0.1, 0.9, -1e9, true), false);
});

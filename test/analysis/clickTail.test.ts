/**
 * A kick's click against a snare's wires (ClickTail): a broadband burst gone within 10–20 ms is a click, however loud
 * and whatever low body rings under it; noise that rings on (a snare, a clap's last burst, a ride struck with the
 * click) is not. And in a groove: a kick whose beater click the rules and the net read as a snare struck with it fires
 * no snare, while the claps struck with other kicks of the same kit still do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLICK_KEPT, ClickTail } from '../../src/analysis/clickTail.js';
import { SampleRing } from '../../src/analysis/hopInput.js';
import { analyseSignal, eventTimes, fMeasure } from '../../src/analysis/evaluation.js';
import { Biquad } from '../../src/analysis/filters.js';
import { addAt, lcg, scaleToPeak } from '../../src/analysis/synth.js';

const SR = 44100;
const HOP = 441;

interface Reading {
  click: boolean;
  kept: number;
}

/** Plays `x` hop by hop into a ClickTail and returns its reading `hopsBack` hops after the hop ending at `atS`. */
function readAt(x: Float32Array, atS: number, hopsBack = 0, sampleRate = SR, hop = HOP): Reading {
  const ring = new SampleRing(4096);
  const tail = new ClickTail(sampleRate);
  const lastHop = Math.round((atS * sampleRate) / hop) + hopsBack;
  for (let h = 0; h < lastHop; h++) {
    for (let i = h * hop; i < (h + 1) * hop; i++) ring.push(x[i] ?? 0);
    tail.hopEnded(ring);
  }
  const click = tail.clickOnly(hopsBack);
  return { click, kept: tail.lastKept };
}

/** Noise through 1–8 kHz, `decayS` time constant, `lengthS` long. */
function noiseBurst(rnd: () => number, decayS: number, lengthS: number, sampleRate = SR): Float32Array {
  const hp = Biquad.highpass(1000, 0.7, sampleRate);
  const lp = Biquad.lowpass(8000, 0.7, sampleRate);
  const out = new Float32Array(Math.round(lengthS * sampleRate));
  for (let i = 0; i < out.length; i++) {
    out[i] = lp.process(hp.process(rnd() * 2 - 1)) * Math.exp(-i / sampleRate / decayS);
  }
  return out;
}

/** A kick's body: a sine gliding 150 → 55 Hz, 0.3 s decay. */
function body(sampleRate = SR): Float32Array {
  const out = new Float32Array(Math.round(0.5 * sampleRate));
  let ph = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / sampleRate;
    ph += (2 * Math.PI * (55 + 95 * Math.exp(-t / 0.02))) / sampleRate;
    out[i] = Math.sin(ph) * Math.exp(-t / 0.3);
  }
  return out;
}

/** 0.5 s of silence, then `hit` at 0.5 s: read on the hop 20 ms after the hit (the detectors' usual event hop). */
function read(hit: Float32Array, hopsBack = 0): Reading {
  const x = new Float32Array(SR);
  addAt(x, hit, Math.round(0.5 * SR), 1);
  return readAt(x, 0.52, hopsBack);
}

test('a burst gone within a few milliseconds is a click; noise that rings on is not', () => {
  const click = read(noiseBurst(lcg(1), 0.0015, 0.01));
  assert.ok(click.click, `click kept ${click.kept}`);
  const snare = read(noiseBurst(lcg(2), 0.1, 0.4));
  assert.ok(!snare.click && snare.kept > 3 * CLICK_KEPT, `snare kept ${snare.kept}`);
  // A short snare (an FM kit's, 25 ms) still keeps far more than a click.
  const short = read(noiseBurst(lcg(3), 0.025, 0.15));
  assert.ok(!short.click, `short snare kept ${short.kept}`);
  // The tail is read 10–20 ms after the attack: a burst with a 5 ms time constant keeps 1–2 % of its energy there
  // (a click), one of 12 ms 12–24 % (not); read 5–15 ms or 20–30 ms on, one or the other would read otherwise.
  const five = read(noiseBurst(lcg(9), 0.005, 0.1));
  assert.ok(five.click && five.kept > 0.003, `5 ms burst kept ${five.kept}`);
  const twelve = read(noiseBurst(lcg(10), 0.012, 0.15));
  assert.ok(!twelve.click && twelve.kept < 0.4, `12 ms burst kept ${twelve.kept}`);
});

test('a click over a kick\'s body is a click; with a ride ringing under it, it is not', () => {
  const kick = body();
  addAt(kick, noiseBurst(lcg(4), 0.0015, 0.01), 0, 0.6);
  assert.ok(read(kick).click, 'click with body');
  const ride = noiseBurst(lcg(5), 0.6, 0.5);
  const withRide = kick.slice();
  addAt(withRide, ride, 0, 0.15);
  assert.ok(!read(withRide).click, `click with ride kept ${read(withRide).kept}`);
});

test('read hops later for the hop it was struck on, a candidate reads the same', () => {
  const hit = noiseBurst(lcg(6), 0.0015, 0.01);
  const now = read(hit);
  const later = read(hit, 3);
  assert.equal(later.click, now.click);
  assert.equal(later.kept, now.kept);
});

test('a click at the stream\'s start reads against the silence before it; none reads at low sample rates', () => {
  const hit = noiseBurst(lcg(7), 0.0015, 0.01);
  const x = new Float32Array(SR);
  addAt(x, hit, Math.round(0.005 * SR), 1);
  // The hop ending 25 ms into the stream, 20 ms after the burst: the 42 ms read reaches before the stream's start.
  assert.ok(readAt(x, 0.025).click);
  // A hop too early for the tail to be read: nothing read.
  assert.ok(Number.isNaN(readAt(x, 0.01).kept));
  const sr = 11025;
  const low = new Float32Array(sr);
  addAt(low, noiseBurst(lcg(8), 0.0015, 0.01, sr), Math.round(0.5 * sr), 1);
  assert.ok(!readAt(low, 0.52, 0, sr, 110).click);
});

/** A power kit's kick: a driven 160 → 50 Hz body and a loud 2 ms beater click at 1–8 kHz. */
function clickyKick(rnd: () => number): Float32Array {
  const out = body();
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(1.8 * out[i]!) / Math.tanh(1.8);
  addAt(out, noiseBurst(rnd, 0.0012, 0.008), 0, 1.4);
  return out;
}

/** A clap: three 1–8 kHz bursts 10 ms apart, the last decaying over 120 ms. */
function clap(rnd: () => number): Float32Array {
  const out = new Float32Array(Math.round(0.4 * SR));
  for (let b = 0; b < 3; b++) {
    const last = b === 2;
    addAt(out, noiseBurst(rnd, last ? 0.12 : 0.004, last ? 0.35 : 0.01), Math.round(b * 0.01 * SR), 0.7);
  }
  return out;
}

test('in a groove, a clicky kick fires no snare while the claps struck with its other kicks do', () => {
  const bpm = 122;
  const beatS = 60 / bpm;
  const bars = 12;
  const x = new Float32Array(Math.round((bars * 4 * beatS + 1) * SR));
  const rnd = lcg(11);
  const kicks: number[] = [];
  const claps: number[] = [];
  // Bass notes under it all, so the low band is never empty.
  for (let b = 0; b < bars * 2; b++) {
    const note = new Float32Array(Math.round(2 * beatS * SR));
    const f = [55, 73.4, 65.4, 49][b % 4]!;
    for (let i = 0; i < note.length; i++) {
      note[i] = 0.25 * Math.sin((2 * Math.PI * f * i) / SR) * Math.min(1, i / 400);
    }
    addAt(x, note, Math.round((0.25 + 2 * b * beatS) * SR), 1);
  }
  for (let beat = 0; beat < bars * 4; beat++) {
    const t = 0.25 + beat * beatS;
    addAt(x, clickyKick(rnd), Math.round(t * SR), 0.9);
    kicks.push(t);
    if (beat % 4 === 1 || beat % 4 === 3) {
      addAt(x, clap(rnd), Math.round(t * SR), 0.8);
      claps.push(t);
    }
  }
  scaleToPeak(x, -1);
  const feats = analyseSignal([x], SR);
  const snares = eventTimes(feats, 'snare');
  const f = fMeasure(snares, claps, 0.05, 4);
  // Without the click reader, the clicks of the kicks between the claps fire snares too.
  const falseOnKicks = snares.filter((s) => s > 4 && !claps.some((c) => Math.abs(c - s) <= 0.05)).length;
  assert.ok(falseOnKicks <= 2, `${falseOnKicks} snares on kicks without a clap`);
  assert.ok(f.f >= 0.9, `clap F ${f.f.toFixed(2)} (P ${f.precision.toFixed(2)}, R ${f.recall.toFixed(2)})`);
  assert.ok(fMeasure(eventTimes(feats, 'kick'), kicks, 0.05, 4).f >= 0.9);
});

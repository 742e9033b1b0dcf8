/**
 * The silence gate's measured floor: the line-in's own noise, heard alone for five seconds (before the music or in a
 * gap), sets the absolute floor 6 dB over it (at least −90 dBFS); steady tones, loud noise and noise within 40 dB of
 * the music are not taken for it; a mean 8 dB under the floor brings it down to 6 dB over that mean at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { resolveParams } from '../../src/analysis/hopInput.js';
import { SilenceGate } from '../../src/analysis/silenceGate.js';

const SR = 44100;
const cfg = analysisConfigSchema.parse({});
const p = resolveParams(cfg, SR);
const hopsIn = (s: number): number => Math.round(s * p.hopRateHz);
const dbOf = (power: number): number => 10 * Math.log10(power);

/** Feeds `seconds` of hops at `db` dBFS RMS with the share `highShare` of their power above 4 kHz; returns the silent flags. */
function feed(gate: SilenceGate, db: number, seconds: number, highShare: number): boolean[] {
  const rms = db === -Infinity ? 0 : Math.pow(10, db / 20);
  const power = rms * rms;
  const out: boolean[] = [];
  for (let i = 0; i < hopsIn(seconds); i++) out.push(gate.step(rms, 0.5 * (1 - highShare) * power, 0.5 * (1 - highShare) * power, highShare * power));
  return out;
}

test('digital silence lowers the floor from silenceDb to −90 dBFS at once, at the start and after music', () => {
  const gate = new SilenceGate(cfg, p);
  assert.equal(cfg.silenceDb, -80);
  assert.equal(feed(gate, -85, 0.5, 0.8).every((s) => s), true, 'hiss at −85 dBFS from the start is under silenceDb');
  const start = new SilenceGate(cfg, p);
  feed(start, -Infinity, 0.05, 0);
  assert.ok(Math.abs(dbOf(start.floorPower) + 90) < 0.01, `floor ${dbOf(start.floorPower)} dBFS`);
  assert.equal(feed(start, -85, 0.01, 0.8)[0], false, 'a hop at −85 dBFS is heard');
  // Music, then a pause of a digital source: the mean decays from the music (14 dB/s), and the floor follows it down.
  const pause = new SilenceGate(cfg, p);
  feed(pause, -20, 10, 0.1);
  feed(pause, -Infinity, 6, 0);
  assert.ok(Math.abs(dbOf(pause.floorPower) + 90) < 0.01, `floor after the pause ${dbOf(pause.floorPower)} dBFS`);
});

test('hiss under −80 dBFS heard from the start is measured: −95 lowers the floor to −89, −85 raises it to −79', () => {
  const quiet = new SilenceGate(cfg, p);
  assert.equal(feed(quiet, -95, 6, 0.8).every((s) => s), true);
  assert.ok(Math.abs(dbOf(quiet.floorPower) + 89) < 0.3, `floor ${dbOf(quiet.floorPower)} dBFS`);
  assert.equal(feed(quiet, -86, 0.5, 0.1).slice(1).every((s) => !s), true, 'music at −86 dBFS over it is heard');
  const louder = new SilenceGate(cfg, p);
  assert.equal(feed(louder, -85, 20, 0.8).every((s) => s), true, 'hiss at −85 dBFS is silent throughout');
  assert.ok(Math.abs(dbOf(louder.floorPower) + 79) < 0.3, `floor ${dbOf(louder.floorPower)} dBFS`);
});

test('a steady bright passage taken for hiss gives the floor back as soon as quieter sound shows the line is lower', () => {
  const gate = new SilenceGate(cfg, p);
  // A noise bed at −68 dBFS heard alone (the loudest thing yet) is measured: the floor goes to −62.
  feed(gate, -68, 7, 0.8);
  assert.ok(Math.abs(dbOf(gate.floorPower) + 62) < 0.3, `floor ${dbOf(gate.floorPower)} dBFS`);
  // Quiet music follows at −75 (7 dB under the bed): the floor follows its mean down, to 6–8 dB over it.
  feed(gate, -75, 1, 0.1);
  const floorDb = dbOf(gate.floorPower);
  assert.ok(floorDb >= -69.1 && floorDb <= -66.9, `floor ${floorDb} dBFS`);
  assert.equal(feed(gate, -63, 0.5, 0.1).every((s) => !s), true, 'music at −63 dBFS (under the measured floor) is heard');
});

test('hiss at −72 dBFS heard alone for five seconds sets the floor 6 dB over it and is silent from then on', () => {
  const gate = new SilenceGate(cfg, p);
  const first = feed(gate, -72, 8, 0.8);
  assert.equal(first[hopsIn(1)], false, 'heard before the measurement (over silenceDb)');
  assert.ok(Math.abs(dbOf(gate.hissPower) + 72) < 0.2, `hiss ${dbOf(gate.hissPower)} dBFS`);
  assert.ok(Math.abs(dbOf(gate.floorPower) + 66) < 0.2, `floor ${dbOf(gate.floorPower)} dBFS`);
  // The mean starts at the first hop's level, so the first five one-second blocks measure it.
  const from = first.indexOf(true);
  assert.ok(from >= hopsIn(4.9) && from <= hopsIn(5.1), `silent from ${from / p.hopRateHz} s`);
  assert.equal(first.slice(from).every((s) => s), true, 'silent once measured');
  assert.equal(feed(gate, -50, 0.5, 0.1).slice(1).every((s) => !s), true, 'music over it is heard');
});

test('a steady tone (hum, a held pad), steady noise over −66 dBFS, or noise within 40 dB of the music set nothing', () => {
  const hum = new SilenceGate(cfg, p);
  assert.equal(feed(hum, -72, 10, 0.01).slice(hopsIn(6)).every((s) => !s), true, 'a tone at −72 stays heard');
  assert.equal(hum.hissPower, -1);
  const loud = new SilenceGate(cfg, p);
  feed(loud, -55, 10, 0.8);
  assert.equal(loud.hissPower, -1, 'noise at −55 dBFS is no line-in hiss');
  // A line-in set low: music at −45 dBFS, then a breakdown of steady noise at −75 (30 dB under it).
  const low = new SilenceGate(cfg, p);
  feed(low, -45, 5, 0.1);
  const breakdown = feed(low, -75, 10, 0.8);
  assert.equal(low.hissPower, -1);
  assert.equal(breakdown.every((s) => !s), true, 'the breakdown stays heard');
});

test('in a gap after music, hiss 55 dB under it is measured and stays silent', () => {
  const gate = new SilenceGate(cfg, p);
  feed(gate, -20, 10, 0.1);
  // −75 dBFS: over silenceDb, 55 dB under the music.
  const gap = feed(gate, -75, 10, 0.8);
  assert.equal(gap.every((s) => s), true, 'silent throughout the gap: first under the recent peak, then measured');
  assert.ok(Math.abs(dbOf(gate.hissPower) + 75) < 0.2, `hiss ${dbOf(gate.hissPower)} dBFS`);
  assert.equal(feed(gate, -75, 120, 0.8).every((s) => s), true, 'and while the peak decays for two minutes');
});

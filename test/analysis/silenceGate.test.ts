/**
 * The silence gate's measured floor: the line-in's own noise, heard alone for five seconds (before the music or in a
 * gap), sets the absolute floor 6 dB over it (at least −90 dBFS); steady tones, loud noise and noise within 40 dB of
 * the music are not taken for it, nor are hats; noise whose band above 4 kHz falls under its own is forgotten; a mean
 * 8 dB under the floor for two seconds brings it down to 6 dB over that mean; the same hiss after a pause restores it.
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

test('digital silence lowers the floor from silenceDb to −90 dBFS after two seconds, at the start and after music', () => {
  assert.equal(cfg.silenceDb, -80);
  const start = new SilenceGate(cfg, p);
  feed(start, -Infinity, 1.9, 0);
  assert.equal(dbOf(start.floorPower), -80, 'not yet');
  feed(start, -Infinity, 0.2, 0);
  assert.ok(Math.abs(dbOf(start.floorPower) + 90) < 0.01, `floor ${dbOf(start.floorPower)} dBFS`);
  assert.equal(feed(start, -85, 0.01, 0.8)[0], false, 'a hop at −85 dBFS is heard');
  // A buffer of zeros before the hiss (a capture stream's first block) lowers nothing: hiss at −85 stays silent.
  const buffer = new SilenceGate(cfg, p);
  feed(buffer, -Infinity, 0.05, 0);
  assert.equal(feed(buffer, -85, 4, 0.8).every((s) => s), true);
  // Music, then a pause of a digital source: the mean decays from the music (14 dB/s), and the floor follows it down.
  const pause = new SilenceGate(cfg, p);
  feed(pause, -20, 10, 0.1);
  feed(pause, -Infinity, 8, 0);
  assert.ok(Math.abs(dbOf(pause.floorPower) + 90) < 0.01, `floor after the pause ${dbOf(pause.floorPower)} dBFS`);
});

test('with silenceFollowsNoise false the floor stays at silenceDb; silenceDb under −90 dBFS is the lowest floor', () => {
  const held = new SilenceGate(analysisConfigSchema.parse({ silenceDb: -60, silenceFollowsNoise: false }), p);
  feed(held, -Infinity, 5, 0);
  feed(held, -64, 20, 0.8);
  assert.equal(dbOf(held.floorPower), -60);
  assert.equal(feed(held, -64, 1, 0.8).every((s) => s), true, 'hiss at −64 dBFS stays silent');
  const deep = new SilenceGate(analysisConfigSchema.parse({ silenceDb: -100 }), p);
  feed(deep, -110, 8, 0.8);
  // Measured 6 dB over the hiss, −104, and held at silenceDb: not raised to −90.
  assert.ok(Math.abs(dbOf(deep.floorPower) + 100) < 0.01, `floor ${dbOf(deep.floorPower)} dBFS`);
  assert.equal(feed(deep, -95, 0.5, 0.1).slice(1).every((s) => !s), true, 'music at −95 dBFS is heard');
});

test('hiss under −80 dBFS heard from the start is measured: −95 lowers the floor to −89, −85 raises it to −79', () => {
  const quiet = new SilenceGate(cfg, p);
  assert.equal(feed(quiet, -95, 7, 0.8).every((s) => s), true);
  assert.ok(Math.abs(dbOf(quiet.floorPower) + 89) < 0.3, `floor ${dbOf(quiet.floorPower)} dBFS`);
  assert.equal(feed(quiet, -86, 0.5, 0.1).slice(1).every((s) => !s), true, 'music at −86 dBFS over it is heard');
  const louder = new SilenceGate(cfg, p);
  assert.equal(feed(louder, -85, 20, 0.8).every((s) => s), true, 'hiss at −85 dBFS is silent throughout');
  assert.ok(Math.abs(dbOf(louder.floorPower) + 79) < 0.3, `floor ${dbOf(louder.floorPower)} dBFS`);
});

test('a quiet noise texture heard alone raises the floor only until the band above 4 kHz falls under it', () => {
  const gate = new SilenceGate(cfg, p);
  // Rain at −68 dBFS opening a line-in set low: measured as hiss, the floor goes to −62.
  feed(gate, -68, 7, 0.8);
  assert.ok(Math.abs(dbOf(gate.floorPower) + 62) < 0.3, `floor ${dbOf(gate.floorPower)} dBFS`);
  // Chords at −56 and −66 dBFS without the rain: the quiet ones' high band lies under the rain's, so it was no hiss.
  const music: boolean[] = [];
  for (let bar = 0; bar < 4; bar++) music.push(...feed(gate, bar % 2 ? -66 : -56, 2, 0.1));
  assert.equal(dbOf(gate.floorPower), -80);
  assert.equal(gate.hissPower, 0);
  assert.equal(music.slice(hopsIn(2.5)).every((s) => !s), true, 'the chords at −66 are heard from their first bar on');
  // Chords just over the rain (−67 after rain at −68), the rain gone: heard too.
  const close = new SilenceGate(cfg, p);
  feed(close, -68, 7, 0.8);
  assert.equal(feed(close, -67, 2, 0.1).slice(hopsIn(0.5)).every((s) => !s), true);
});

test('hiss measured under a line-in 35 dB low, its music 12 dB over it, stays measured through the music', () => {
  const gate = new SilenceGate(cfg, p);
  feed(gate, -70, 7, 0.8);
  // Music 12 dB over the hiss for a minute, the hiss under it (their powers add, as their bands do).
  const hiss = Math.pow(10, -70 / 10);
  for (let i = 0; i < hopsIn(60); i++) {
    const music = Math.pow(10, (i % 200 < 100 ? -58 : -64) / 10);
    gate.step(Math.sqrt(music + hiss), 0.45 * music + 0.1 * hiss, 0.45 * music + 0.1 * hiss, 0.1 * music + 0.8 * hiss);
  }
  assert.ok(Math.abs(dbOf(gate.hissPower) + 70) < 0.3, `hiss ${dbOf(gate.hissPower)} dBFS`);
  assert.equal(feed(gate, -70, 30, 0.8).every((s) => s), true, 'the gap after it is silent throughout');
});

test('hats in sixteenths as steady as hiss in their mean are not taken for it', () => {
  for (const decayS of [0.03, 0.06, 0.1, 0.2]) {
    const gate = new SilenceGate(cfg, p);
    // A hit every 12 hops (sixteenths at 125 BPM) decaying from its peak, −70 dBFS on average.
    const shape = Array.from({ length: 12 }, (_, i) => Math.exp((-2 * i) / (decayS * p.hopRateHz)));
    const scale = Math.pow(10, -70 / 10) / (shape.reduce((a, v) => a + v, 0) / 12);
    for (let i = 0; i < hopsIn(12); i++) {
      const power = scale * shape[i % 12]!;
      gate.step(Math.sqrt(power), 0.1 * power, 0.1 * power, 0.8 * power);
    }
    assert.equal(gate.hissPower, 0, `hats decaying over ${decayS} s`);
  }
});

test('hiss measured before music 27 dB over it stays measured; a dropout or a pause in a gap gives it back within a second', () => {
  const gate = new SilenceGate(cfg, p);
  feed(gate, -72, 7, 0.8);
  feed(gate, -45, 20, 0.1);
  assert.ok(Math.abs(dbOf(gate.floorPower) + 66) < 0.3, `floor ${dbOf(gate.floorPower)} dBFS`);
  feed(gate, -72, 5, 0.8);
  // One second of zeros (a cable pulled) lowers nothing; three seconds lower the floor, and the hiss is back to
  // silence within two seconds of returning.
  feed(gate, -Infinity, 1, 0);
  assert.equal(feed(gate, -72, 10, 0.8).every((s) => s), true, 'after a 1 s dropout');
  feed(gate, -Infinity, 3, 0);
  assert.ok(dbOf(gate.floorPower) < -75, `floor after a 3 s pause ${dbOf(gate.floorPower)} dBFS`);
  const back = feed(gate, -72, 10, 0.8);
  const heard = back.filter((s) => !s).length;
  assert.ok(heard <= hopsIn(2), `hiss heard for ${heard} hops after the pause`);
  assert.equal(back.slice(hopsIn(2)).every((s) => s), true);
});

test('a click on the very first hop does not hold the gate up: quiet music right after it is heard', () => {
  const gate = new SilenceGate(cfg, p);
  // 1 ms at full scale in a 10 ms hop: −10 dBFS RMS.
  assert.equal(feed(gate, -10, 0.01, 0.5)[0], false);
  const after = feed(gate, -68, 2, 0.1);
  assert.equal(after.slice(hopsIn(0.5)).every((s) => !s), true, `heard from hop ${after.indexOf(false)}`);
});

test('hiss at −72 dBFS heard alone for five seconds sets the floor 6 dB over it and is silent from then on', () => {
  const gate = new SilenceGate(cfg, p);
  const first = feed(gate, -72, 8, 0.8);
  assert.ok(Math.abs(dbOf(gate.hissPower) + 72) < 0.2, `hiss ${dbOf(gate.hissPower)} dBFS`);
  assert.ok(Math.abs(dbOf(gate.floorPower) + 66) < 0.2, `floor ${dbOf(gate.floorPower)} dBFS`);
  // The first window holds the mean's rise from zero, so the measurement closes with the sixth second.
  const from = first.indexOf(true);
  assert.ok(from >= hopsIn(5) && from <= hopsIn(6), `silent from ${from / p.hopRateHz} s`);
  assert.equal(first.slice(from).every((s) => s), true, 'silent once measured');
  assert.equal(feed(gate, -50, 0.5, 0.1).slice(1).every((s) => !s), true, 'music over it is heard');
});

test('a steady tone (a held pad), steady noise over −66 dBFS, or noise within 40 dB of the music set nothing', () => {
  const hum = new SilenceGate(cfg, p);
  assert.equal(feed(hum, -72, 10, 0.01).slice(hopsIn(6)).every((s) => !s), true, 'a tone at −72 stays heard');
  assert.equal(hum.hissPower, 0);
  const loud = new SilenceGate(cfg, p);
  feed(loud, -55, 10, 0.8);
  assert.equal(loud.hissPower, 0, 'noise at −55 dBFS is no line-in hiss');
  // A line-in set low: music at −45 dBFS, then a breakdown of steady noise at −75 (30 dB under it).
  const low = new SilenceGate(cfg, p);
  feed(low, -45, 5, 0.1);
  const breakdown = feed(low, -75, 10, 0.8);
  assert.equal(low.hissPower, 0);
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

test('the line turned down (bright noise quieter than the hiss) or hiss with a restless low end keep the measurement', () => {
  // The source's hiss at −72 over the interface's own at −95: a pause between tracks leaves the quieter noise.
  const gate = new SilenceGate(cfg, p);
  feed(gate, -72, 7, 0.8);
  feed(gate, -45, 10, 0.1);
  feed(gate, -95, 3, 0.8);
  assert.ok(Math.abs(dbOf(gate.hissPower) + 72) < 0.3, `hiss ${dbOf(gate.hissPower)} dBFS after the pause`);
  const back = feed(gate, -72, 10, 0.8);
  assert.ok(back.filter((s) => !s).length <= hopsIn(2), `heard for ${back.filter((s) => !s).length} hops`);
  assert.equal(back.slice(hopsIn(2)).every((s) => s), true);
  // Pink hiss: its power under 100 Hz moves 3–4 dB hop to hop, its band above 4 kHz hardly at all.
  const pink = new SilenceGate(cfg, p);
  const base = Math.pow(10, -72 / 10);
  for (let i = 0; i < hopsIn(8); i++) {
    const low = 0.5 * base * (i % 3 === 0 ? 2.5 : 0.4);
    pink.step(Math.sqrt(low + 0.5 * base), low, 0.25 * base, 0.25 * base);
  }
  assert.ok(pink.hissPower > 0, 'pink hiss is measured');
});

test('hiss forgotten under a hi-cut sweep (hiss before the mixer EQ) comes back with the same noise', () => {
  const gate = new SilenceGate(cfg, p);
  feed(gate, -70, 7, 0.8);
  feed(gate, -55, 10, 0.1);
  // Two seconds of a hi-cut: the band above 4 kHz 20 dB down, hiss and all.
  feed(gate, -55, 2, 0.001);
  assert.equal(gate.hissPower, 0, 'forgotten under the sweep');
  const gap = feed(gate, -70, 20, 0.8);
  // The mean takes a second to fall from the music to the hiss, and the restore a steady one-second block after it.
  assert.ok(gap.filter((s) => !s).length <= hopsIn(3.5), `gap heard for ${gap.filter((s) => !s).length} hops`);
  assert.equal(gap.slice(hopsIn(3.5)).every((s) => s), true);
  assert.ok(Math.abs(dbOf(gate.hissPower) + 70) < 0.3, 'and measured again');
});

test('in a gap after music 30 dB over it, hiss is measured within 20 s (the 5 s memory of what is loudest)', () => {
  const gate = new SilenceGate(cfg, p);
  feed(gate, -42, 20, 0.1);
  const gap = feed(gate, -72, 40, 0.8);
  const heard = gap.lastIndexOf(false) + 1;
  assert.ok(heard <= hopsIn(20), `heard for ${heard / p.hopRateHz} s`);
  assert.ok(Math.abs(dbOf(gate.hissPower) + 72) < 0.3, `hiss ${dbOf(gate.hissPower)} dBFS`);
});

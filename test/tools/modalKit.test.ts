/**
 * The modal kit's voices drawn for the drum net's training songs (tools/corpus/modalKit.ts randomModalKit): each draw
 * a kit of its own, seeded, with every drum where its truth lane says. That the default kit still renders the fourth
 * holdout set's sounds byte for byte is pinned by synthVoices.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lcg } from '../../src/analysis/synth.js';
import { crushStem, MODAL_KIT, modalKitSound, randomModalKit, type ModalKit } from '../../tools/corpus/modalKit.js';
import { STEM_RATE_HZ } from '../../tools/corpus/stem.js';
import { bandShare } from './bandShare.js';


const sound = (note: number, kit: ModalKit): Float32Array => modalKitSound(note, lcg(1), kit)!.sound;

test('drawn modal kits: seeded, each unlike the default and the others', () => {
  assert.deepEqual(randomModalKit(lcg(3)), randomModalKit(lcg(3)));
  const rnd = lcg(4);
  const a = randomModalKit(rnd);
  const b = randomModalKit(rnd);
  assert.notDeepEqual(a, b);
  for (const kit of [a, b]) {
    assert.notEqual(kit.kick.f0Hz, MODAL_KIT.kick.f0Hz);
    assert.notDeepEqual(sound(38, kit), sound(38, MODAL_KIT));
  }
});

test('drawn modal kits keep each drum in its lane: the kick low, snare, clap and hats above it', () => {
  // Measured over 60 draws (default kit's figure first): kick 0.96, 0.92–0.97 within 20–250 Hz; snare 0.90,
  // 0.70–0.98 above 120 Hz; clap 0.99, 0.96–1.00 above 500 Hz; closed hat 0.99, 0.97–0.99 above 3 kHz.
  const rnd = lcg(5);
  for (let d = 0; d < 20; d++) {
    const kit = randomModalKit(rnd);
    assert.ok(bandShare(sound(36, kit), 20, 250) > 0.85, `kick ${d}`);
    assert.ok(bandShare(sound(38, kit), 120, 20000) > 0.6, `snare ${d}`);
    assert.ok(bandShare(sound(39, kit), 500, 20000) > 0.9, `clap ${d}`);
    assert.ok(bandShare(sound(42, kit), 3000, 20000) > 0.9, `hat ${d}`);
  }
});

test('the crushed cut holds each sample for its rate and quantises it to its bits', () => {
  const x = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i / 5));
  crushStem(x, { holdHz: STEM_RATE_HZ / 4, bits: 3, drive: 1 });
  for (let i = 0; i < x.length; i++) {
    assert.equal(x[i], x[i - (i % 4)], `hold ${i}`);
    assert.equal(x[i]! * 4, Math.round(x[i]! * 4), `steps ${i}`);
  }
});

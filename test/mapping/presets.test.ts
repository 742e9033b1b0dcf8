import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMapper } from '../../src/mapping/index.js';
import { PRESETS_DIR } from '../../src/mapping/load.js';
import { controls, fakeManifest, fakeProvider, features } from './helpers.js';

const PRESETS = ['default', 'chroma-latents', 'drums-noise-spatial', 'network-bending', 'model-rewriting', 'dj-mix'];

test('the issue\'s presets exist and each opens with a comment block explaining it', () => {
  const files = readdirSync(PRESETS_DIR);
  for (const p of PRESETS) {
    assert.ok(files.includes(`${p}.yaml`), `${p}.yaml`);
    const head = readFileSync(join(PRESETS_DIR, `${p}.yaml`), 'utf8').split('\n').slice(0, 8);
    assert.ok(head.filter((l) => l.startsWith('#')).length >= 6, `${p} opens with a comment block`);
    assert.ok(head.some((l) => l.includes(p)), `${p}'s comment names it`);
  }
});

for (const resolution of [256, 1024]) {
  test(`every preset compiles and runs on a ${resolution}² model without NaN`, async () => {
    const manifest = fakeManifest(resolution);
    const provider = fakeProvider(manifest);
    for (const name of readdirSync(PRESETS_DIR).filter((f) => f.endsWith('.yaml'))) {
      const m = await createMapper({ file: join(PRESETS_DIR, name), manifest, latents: provider, watch: false });
      const c = controls({ 'midi:cc:1:1': 0.5, 'midi:cc:1:21': 0.4, 'midi:cc:1:22': 0.3 });
      for (let k = 0; k < 90; k++) {
        const hit = k % 8 === 0;
        const p = m.frame({
          frame: k,
          t: k / 30,
          dt: 1 / 30,
          features: features({ t: k / 30, chroma: [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0], kick: hit ? 1 : 0, snare: k % 8 === 4 ? 1 : 0, hats: 0.5, events: hit ? ['kick', 'beat'] : [], confidence: 0.9, barPhase: (k / 60) % 1, beatPhase: (k / 15) % 1 }),
          controls: c,
        });
        for (const field of ['ws', 'noiseMix', 'noiseStrength', 'noiseMask', 'bend', 'rewrite'] as const) {
          assert.ok(p[field].every(Number.isFinite), `${name} ${field} finite`);
        }
        assert.ok(Number.isFinite(p.truncation));
      }
      await m.close();
    }
  });
}

test('dj-mix: a pad cues the peak set on the next bar; another hands back to automatic', async () => {
  const manifest = fakeManifest(256);
  const m = await createMapper({ file: 'dj-mix', manifest, latents: fakeProvider(manifest), watch: false });
  const c = controls();
  const run = (k: number): string => String(m.frame({ frame: k, t: k / 30, dt: 1 / 30, features: null, controls: c }).scene);
  assert.equal(run(0), 'flow');
  c.values.set('midi:note:1:37', 1);
  run(1);
  c.values.set('midi:note:1:37', 0); // released: idle
  let at = -1;
  for (let k = 2; k < 150; k++) if (run(k) === 'peak' && at < 0) at = k;
  // 120 bpm free-running: bars at frames 60, 120; the 2 s fade crosses half-way a second later.
  assert.ok(at > 60 && at < 120, `peak from frame ${at}`);
  c.values.set('midi:note:1:38', 1);
  let back = -1;
  for (let k = 150; k < 400; k++) if (run(k) === 'flow' && back < 0) back = k;
  assert.ok(back > 180, `back to automatic (flow: no drums) from frame ${back}`);
  await m.close();
});

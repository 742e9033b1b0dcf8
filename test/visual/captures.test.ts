/**
 * A captured bank survives a restart: the mapper stores a capture in the bank's slot, the store writes
 * `<mapping>.captures.json` beside the mapping, and the next mapper starts with that latent in the slot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMapper, type Mapper } from '../../src/mapping/index.js';
import { controls, fakeManifest, fakeProvider } from '../mapping/helpers.js';
import type { ControlState } from '../../src/control/types.js';

const manifest = fakeManifest(1024);
const provider = fakeProvider(manifest);

const MAPPING = `
banks:
  a: { seeds: [11] }
  b: { seeds: [12] }
  kept: { capture: 2 }
latents:
  a: { bank: a }
  b: { bank: b }
  kept: { bank: kept, mode: index }
routes:
  - source: midi:cc:1:2
    target: latents.b.mix
    smoothMs: 0
  - source: midi:note:1:40
    target: banks.kept.capture
  - source: midi:cc:1:1
    target: latents.kept.mix
    smoothMs: 0
`;

const frame = (m: Mapper, k: number, c: ControlState): Float32Array => Float32Array.from(m.frame({ frame: k, t: k / 30, dt: 1 / 30, features: null, controls: c }).ws.subarray(0, 512));

test('a captured latent is saved beside the mapping and is back in its slot after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-captures-'));
  try {
    const file = join(dir, 'show.yaml');
    writeFileSync(file, MAPPING);
    const first = await createMapper({ file, manifest, latents: provider, watch: false });
    const c = controls();
    c.values.set('midi:cc:1:1', 0);
    c.values.set('midi:cc:1:2', 0); // a alone (b's mix 0, kept's mix 0)
    const seen = frame(first, 0, c);
    c.values.set('midi:note:1:40', 1); // capture a's picture into kept[0]
    frame(first, 1, c);
    await first.close();
    const saved = join(dir, 'show.captures.json');
    assert.ok(existsSync(saved));
    const json = JSON.parse(readFileSync(saved, 'utf8')) as { banks: Record<string, number[][]> };
    assert.equal(json.banks.kept!.length, 2);

    // A new mapper (a restart): kept's slot 0 mixed in with a.
    const second = await createMapper({ file, manifest, latents: provider, watch: false });
    const c2 = controls();
    c2.values.set('midi:cc:1:2', 0);
    c2.values.set('midi:cc:1:1', 1);
    const p = frame(second, 0, c2);
    // Rows mix a (mix 1) and kept (mix 1) equally: kept[0] = a's latent, so the picture is a's.
    for (let i = 0; i < 512; i++) assert.ok(Math.abs(p[i]! - seen[i]!) < 1e-5, `value ${i}: ${p[i]} vs ${seen[i]}`);
    await second.close();

    // Without the file, the slot starts as w_avg again: another picture.
    rmSync(saved);
    const third = await createMapper({ file, manifest, latents: provider, watch: false });
    const q = frame(third, 0, c2);
    assert.ok(q.some((v, i) => Math.abs(v - seen[i]!) > 1e-3));
    await third.close();
    assert.ok(!existsSync(saved), 'nothing captured, nothing written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged captures file is ignored (the bank starts afresh) and replaced at the next capture', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-captures-bad-'));
  try {
    const file = join(dir, 'show.yaml');
    writeFileSync(file, MAPPING);
    writeFileSync(join(dir, 'show.captures.json'), '{ not json');
    const m = await createMapper({ file, manifest, latents: provider, watch: false });
    const c = controls();
    frame(m, 0, c);
    c.values.set('midi:note:1:40', 1);
    frame(m, 1, c);
    await m.close();
    assert.ok((JSON.parse(readFileSync(join(dir, 'show.captures.json'), 'utf8')) as { banks: object }).banks);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

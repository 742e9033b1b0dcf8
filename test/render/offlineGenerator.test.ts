import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { neutralParams } from '../../src/generator/runtime/params.js';
import { readManifest } from '../../src/generator/graph/manifest.js';
import { OfflineGenerator } from '../../src/render/offlineGenerator.js';
import { tinyModel, tmp } from './helpers.js';

test('frames that differ only in W+ share one generator call and paint what they paint alone; others run alone', async () => {
  const t = tmp();
  try {
    const dir = await tinyModel(join(t.dir, 'tiny'));
    const m = await readManifest(dir);
    const one = await OfflineGenerator.open({ modelDir: dir, ep: 'cpu', batch: 1 });
    const four = await OfflineGenerator.open({ modelDir: dir, ep: 'cpu', batch: 4 });
    const params = Array.from({ length: 6 }, (_, k) => {
      const p = neutralParams(m, k);
      for (let i = 0; i < p.ws.length; i++) p.ws[i] = Math.sin(i * 0.37 + k);
      // Frames 0–3 share every other input; frame 4 bends, frame 5 does not.
      if (k === 4) p.bend[2] = 0.25;
      return p;
    });
    const alone = await one.run(params.map((p) => one.inputs(p)));
    const batched = await four.run(params.map((p) => four.inputs(p)));
    assert.equal(one.calls, 6);
    assert.equal(four.calls, 3, 'frames 0–3 in one call, then 4, then 5');
    assert.equal(batched.length, 6);
    for (let k = 0; k < 6; k++) {
      let worst = 0;
      for (let i = 0; i < alone[k]!.length; i++) worst = Math.max(worst, Math.abs(alone[k]![i]! - batched[k]![i]!));
      assert.ok(worst <= 1, `frame ${k}: batched differs by ${worst}/255`);
    }
    // Distinct latents give distinct pictures (the batch is not one picture repeated).
    assert.notDeepEqual(batched[0], batched[1]);
    // Params the model cannot take repeat the previous frame's inputs (live keeps the last good picture).
    const bad = neutralParams(m, 6);
    bad.ws[0] = Number.NaN;
    const [again] = await one.run([one.inputs(bad)]);
    assert.deepEqual(again, alone[5]);
    await one.close();
    await four.close();
  } finally {
    t.done();
  }
});

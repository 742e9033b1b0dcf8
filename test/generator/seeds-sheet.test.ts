/**
 * Many pictures in one process: `seeds` (a labelled contact sheet) and `generate --seed 1,2,3` run the
 * network over batches; every picture equals the one painted alone. Per-frame controls reach the graph.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { generateImage, generatePictures } from '../../src/commands/generate.js';
import { renderSheet } from '../../src/commands/seeds.js';
import { decodePng } from '../../src/contracts/png.js';
import { drawText, sheetLayout, textWidth } from '../../src/generator/sheet.js';
import { cliInProcess } from '../helpers/cliInProcess.js';

const CLI = join(process.cwd(), 'bin', 'latentvj.js');
const dir = mkdtempSync(join(tmpdir(), 'lvj-sheet-'));
const modelDir = join(dir, 'model');
test.after(() => rmSync(dir, { recursive: true, force: true }));

test.before(async () => {
  const model = randomStyleGan2Model({ seed: 3, resolution: 16, channelBase: 128, channelMax: 16, zDim: 16, wDim: 16, mappingLayers: 2, wAvgSamples: 64, look: { noiseStrength: () => 0.3 } });
  await buildModelFiles(model, modelDir, { bendLayers: ['b8.conv1', 'b16.conv1'], rewriteLayers: ['b8.conv1'], noiseBank: 2, maskRegions: 2, maskSize: 8 });
});

const base = { truncation: 1, noise: 'const' as const, noiseSeed: 1 };

test('a sheet of 5 seeds: each tile is the picture generate paints for that seed alone, with the seed written under it', async () => {
  const seeds = [3, 100, 7, 42, 9];
  const sheet = await renderSheet({ model: modelDir, seeds, truncation: 0.8, shrinkBy: 1, batch: 2 });
  const layout = sheetLayout(5, 16, 16);
  assert.equal(layout.columns, 3);
  assert.deepEqual([sheet.width, sheet.height], [layout.width, layout.height]);
  for (const [i, seed] of seeds.entries()) {
    const alone = await generateImage({ model: modelDir, seed, ...base, truncation: 0.8 });
    const x0 = layout.gap + (i % 3) * (16 + layout.gap);
    const y0 = layout.gap + Math.floor(i / 3) * (16 + layout.labelH + layout.gap);
    for (let y = 0; y < 16; y++) {
      const row = sheet.rgba.subarray(((y0 + y) * sheet.width + x0) * 4, ((y0 + y) * sheet.width + x0 + 16) * 4);
      assert.deepEqual(row, alone.rgba.subarray(y * 16 * 4, (y + 1) * 16 * 4), `seed ${seed}, row ${y}`);
    }
    // The label strip holds exactly the seed's digits drawn by the sheet font, centred.
    const strip = new Uint8Array(sheet.width * sheet.height * 4);
    const label = String(seed);
    drawText(strip, sheet.width, sheet.height, label, x0 + Math.floor((16 - textWidth(label, layout.scale)) / 2), y0 + 16 + layout.scale, layout.scale, [235, 235, 235]);
    let ink = 0;
    for (let p = 0; p < strip.length; p += 4) {
      if (strip[p + 3] === 0) continue;
      ink++;
      assert.equal(sheet.rgba[p], 235, `seed ${seed}: label ink at pixel ${p / 4}`);
    }
    assert.ok(ink >= 7 * label.length, `seed ${seed}: ${ink} ink pixels`);
  }
});

test('generate --seed 1,2,3 batched equals one run per seed; controls (bend, rewrite, noise strength, mask) change the picture', async () => {
  const { pictures } = await generatePictures({ model: modelDir, seeds: [1, 2, 3], ...base });
  assert.deepEqual(pictures.map((p) => p.label), ['seed0001', 'seed0002', 'seed0003']);
  for (const [i, s] of [1, 2, 3].entries()) assert.deepEqual(pictures[i]!.rgba, (await generateImage({ model: modelDir, seed: s, ...base })).rgba);
  const plain = pictures[0]!.rgba;
  const differs = async (controls: object, what: string): Promise<void> => {
    const r = await generateImage({ model: modelDir, seed: 1, ...base, controls });
    let diff = 0;
    for (let i = 0; i < plain.length; i++) diff += Math.abs(r.rgba[i]! - plain[i]!);
    assert.ok(diff / plain.length > 0.5, `${what}: mean abs difference ${diff / plain.length}`);
  };
  await differs({ bend: { zoom: 2, rotateTurns: 0, tx: 0, ty: 0, mirrorX: false, mirrorY: false, layers: null } }, 'bend zoom 2');
  await differs({ rewriteAll: 1 }, 'rewrite 1');
  await differs({ noiseStrength: 4 }, 'noise strength 4');
  await differs({ noiseStrength: 4, noiseMask: { shape: 'half', side: 'left', feather: 0.1 } }, 'noise 4 in the left half');
  await assert.rejects(generateImage({ model: modelDir, seed: 1, ...base, controls: { rewrite: new Map([[3, 1]]) } }), /--rewrite: layer 3 is not a rewritable layer of this model \(0\.\.0\)/);
});

test('CLI: seeds writes a labelled sheet; generate --seed 5-6 with every control writes one PNG per seed', async () => {
  const sheetFile = join(dir, 'sheet.png');
  const s = spawnSync(process.execPath, [CLI, 'seeds', '--model', modelDir, '--seeds', '10-13', '--out', sheetFile, '--quiet'], { encoding: 'utf8' });
  assert.equal(s.status, 0, s.stderr);
  const png = decodePng(readFileSync(sheetFile));
  const layout = sheetLayout(4, 16, 16);
  assert.deepEqual([png.width, png.height], [layout.width, layout.height]);

  const out = join(dir, 'pic.png');
  const g = spawnSync(
    process.execPath,
    [CLI, 'generate', '--model', modelDir, '--seed', '5-6', '--truncation', '0.7', '--bend-zoom', '1.5', '--bend-rotate', '30', '--bend-mirror', 'x', '--bend-layers', '1',
      '--rewrite', '0:0.5', '--noise-strength', '2', '--noise-mask', 'circle:0.5,0.5,0.3', '--out', out, '--quiet'],
    { encoding: 'utf8' },
  );
  assert.equal(g.status, 0, g.stderr);
  for (const f of ['pic-seed0005.png', 'pic-seed0006.png']) assert.ok(existsSync(join(dir, f)), f);
  // The refusals end before any work: through the CLI's main() in this process.
  const bad = await cliInProcess('generate', '--model', modelDir, '--seed', '1', '--bend-layers', '7', '--out', out);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--bend-layers: 7 is not a bend layer of this model \(0\.\.1: 0 b8\.conv1, 1 b16\.conv1\)/);
  const badSeed = await cliInProcess('seeds', '--model', modelDir, '--seeds', '9-3');
  assert.equal(badSeed.status, 2);
  assert.match(badSeed.stderr, /--seeds: range '9-3' runs backwards/);
});

test('CLI: seeds --truncation ψ paints each tile as generate does at that ψ; a bad ψ or count is one line naming the flag', async () => {
  const sheetAt = (psi: string): { status: number | null; stderr: string; rgba: Uint8Array | null; width: number } => {
    const file = join(dir, `sheet-${psi}.png`);
    const r = spawnSync(process.execPath, [CLI, 'seeds', '--model', modelDir, '--seeds', '21,22', '--truncation', psi, '--columns', '2', '--out', file, '--quiet'], { encoding: 'utf8' });
    if (r.status !== 0) return { status: r.status, stderr: r.stderr, rgba: null, width: 0 };
    const png = decodePng(readFileSync(file));
    return { status: 0, stderr: r.stderr, rgba: png.rgba, width: png.width };
  };
  const layout = sheetLayout(2, 16, 16, 2);
  const tile = (rgba: Uint8Array, width: number, i: number): Uint8Array => {
    const out = new Uint8Array(16 * 16 * 4);
    const x0 = layout.gap + i * (16 + layout.gap);
    for (let y = 0; y < 16; y++) out.set(rgba.subarray(((layout.gap + y) * width + x0) * 4, ((layout.gap + y) * width + x0 + 16) * 4), y * 16 * 4);
    return out;
  };
  const half = sheetAt('0.5');
  assert.equal(half.status, 0, half.stderr);
  // ψ 1 (the default) in this process: the command line's ψ is what is under test.
  const one = await renderSheet({ model: modelDir, seeds: [21, 22], truncation: 1, shrinkBy: 1, columns: 2 });
  const full = { rgba: one.rgba, width: one.width };
  for (const [i, seed] of [21, 22].entries()) {
    assert.deepEqual(tile(half.rgba!, half.width, i), (await generateImage({ model: modelDir, seed, ...base, truncation: 0.5 })).rgba, `seed ${seed} at ψ 0.5`);
    assert.deepEqual(tile(full.rgba!, full.width, i), (await generateImage({ model: modelDir, seed, ...base, truncation: 1 })).rgba, `seed ${seed} at ψ 1`);
  }
  assert.notDeepEqual(tile(half.rgba!, half.width, 0), tile(full.rgba!, full.width, 0), 'ψ 0.5 pulls the picture toward the average');
  const bad = await cliInProcess('seeds', '--model', modelDir, '--seeds', '21,22', '--truncation', 'strong', '--out', join(dir, 'strong.png'), '--quiet');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^latentvj: --truncation strong: expected a number from -10 to 10\n$/);
  const zeroBatch = await cliInProcess('seeds', '--model', modelDir, '--batch', '0');
  assert.equal(zeroBatch.status, 2);
  assert.match(zeroBatch.stderr, /--batch 0: expected an integer from 1 to 256/);
});

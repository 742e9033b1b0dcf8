/**
 * The device kit without the device: its case plan, its record schema, what the pack must carry, the fill-fit
 * and picture diff, onnxruntime's profile read-out, and real CPU cases and a short render on a tiny StyleGAN2
 * through the same functions the kit's child processes call. The whole pack (minutes of xz) is proven by
 * tools/device/prove-cpu.sh, not here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { GraphBuilder, ops } from '../../src/generator/onnx/index.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { writeFp16Variant } from '../../src/generator/runtime/fp16.js';
import { casesFor, caseRecordProblem, modelsFor, referenceId, rendersFor, type CaseRecord, type CaseSpec } from '../../tools/device/cases.js';
import { chooseAdapter, parseArgs } from '../../tools/device/bench.js';
import { runCase, webgpuOptions } from '../../tools/device/caseRun.js';
import { pictureDiff } from '../../tools/device/feeds.js';
import { makeFill } from '../../tools/device/fit.js';
import { droppedFromPackage, droppedOrtBinary, importSpecifiers, KIT_ENTRIES, packageClosure, packageName, traceImports } from '../../tools/device/packList.js';
import { nodePlacement, takeProfile } from '../../tools/device/profile.js';
import { runRender } from '../../tools/device/renderStages.js';
import { summaryTable } from '../../tools/device/summary.js';

test('full mode plans every model × provider × precision × batch once, each model reference first', () => {
  const cases = casesFor('full');
  const session = cases.filter((c) => c.path === 'session');
  assert.equal(session.length, 4 * 2 * 2 * 2);
  // Plus the engine's own stage: every model on WebGPU, the default model on the CPU.
  assert.deepEqual(
    cases.filter((c) => c.path === 'engine').map((c) => c.id),
    ['default256-engine-webgpu', 'full256-engine-webgpu', 'full1024-engine-webgpu', 'full512-engine-webgpu', 'default256-engine-cpu'],
  );
  assert.equal(new Set(cases.map((c) => c.id)).size, cases.length, 'ids are unique');
  const models = modelsFor('full').map((m) => `${m.model}${m.size}`).sort();
  assert.deepEqual(models, ['default256', 'full1024', 'full256', 'full512']);
  for (const m of modelsFor('full')) {
    const mine = session.filter((c) => c.modelKey === m.key);
    const combos = new Set(mine.map((c) => `${c.ep}/${c.precision}/${c.batch}`));
    assert.equal(combos.size, 8, `${m.key}: webgpu|cpu × fp32|fp16 × batch 1|4`);
    const ref = cases.findIndex((c) => c.id === referenceId({ modelKey: m.key }));
    assert.equal(cases[ref]!.ep, 'cpu');
    assert.equal(cases[ref]!.precision, 'fp32');
    assert.equal(cases[ref]!.batch, 1);
    for (const c of mine) if (c.id !== cases[ref]!.id) assert.ok(cases.indexOf(c) > ref, `${c.id} runs after its reference`);
  }
  // The WebGPU cases (what the device is for) all come before the CPU cases that only complete the grid.
  const lastGpu = cases.map((c) => c.ep).lastIndexOf('webgpu');
  const gridOnly = session.filter((c) => c.ep === 'cpu' && c.id !== referenceId(c));
  assert.ok(gridOnly.every((c) => cases.indexOf(c) > lastGpu));
  for (const c of cases) assert.ok(c.capS > 0 && c.measureS > 0 && c.measureS < c.capS, `${c.id} caps`);
  assert.deepEqual(
    rendersFor('full').map((r) => [r.width, r.height, r.durationS]),
    [
      [1920, 1080, 10],
      [1920, 1080, 10],
      [1920, 1080, 10],
    ],
  );
});

test('quick mode keeps 256² only and the render short', () => {
  const cases = casesFor('quick');
  assert.ok(cases.every((c) => c.size === 256));
  assert.deepEqual([...new Set(cases.map((c) => c.modelKey))], ['default256', 'full256']);
  assert.ok(rendersFor('quick').every((r) => r.durationS <= 1));
});

test('the bench arguments are checked with the option named', () => {
  assert.equal(parseArgs(['--mode', 'quick']).mode, 'quick');
  assert.throws(() => parseArgs(['--mode', 'fast']), /--mode fast: expected quick or full/);
  assert.throws(() => parseArgs(['--frobnicate']), /--frobnicate: unknown option/);
  assert.throws(() => parseArgs(['--only']), /--only: expected a value/);
});

test('the adapter is the discrete GPU when Vulkan lists one, else what it lists', () => {
  const devices = [
    { name: 'llvmpipe (LLVM 15.0.6, 256 bits)', type: 'cpu' },
    { name: 'NVIDIA H200', type: 'discrete' },
  ];
  assert.equal(chooseAdapter({ ok: true, devices }), 'NVIDIA H200 (Vulkan discrete)');
  assert.equal(chooseAdapter({ ok: true, devices: devices.slice(0, 1) }), 'llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan cpu)');
  assert.equal(chooseAdapter({ ok: false }), null);
});

test('WebGPU provider options come from KIT_WEBGPU_OPTIONS, checked', () => {
  assert.deepEqual(webgpuOptions({}), {});
  assert.deepEqual(webgpuOptions({ KIT_WEBGPU_OPTIONS: '{"preferredLayout":"NHWC"}' }), { preferredLayout: 'NHWC' });
  assert.throws(() => webgpuOptions({ KIT_WEBGPU_OPTIONS: '{preferredLayout' }), /KIT_WEBGPU_OPTIONS: not JSON/);
  assert.throws(() => webgpuOptions({ KIT_WEBGPU_OPTIONS: '[1]' }), /expected a JSON object/);
});

test('a case record is checked: figures on success, a reason on failure', () => {
  const ok: CaseRecord = { kind: 'case', id: 'a', model: 'full', size: 256, ep: 'webgpu', precision: 'fp16', batch: 4, ok: true, fps: 100, msMedian: 30, msP95: 35, runs: 10, loadMs: 900, warmupMs: 100, provider: 'webgpu', maxDiff: 2, meanDiff: 0.1 };
  assert.equal(caseRecordProblem(ok), null);
  assert.match(caseRecordProblem({ ...ok, fps: NaN })!, /fps/);
  assert.match(caseRecordProblem({ ...ok, msP95: 10 })!, /msP95 below msMedian/);
  assert.match(caseRecordProblem({ ...ok, provider: 'cuda' })!, /provider/);
  assert.match(caseRecordProblem({ ...ok, ok: false, fps: undefined })!, /must say why/);
  assert.equal(caseRecordProblem({ kind: 'case', id: 'a', model: 'full', ep: 'webgpu', precision: 'fp16', ok: false, error: 'No supported adapters' }), null);
});

test('import specifiers are read from compiled ESM: static, multi-line, re-export, side effect, dynamic', () => {
  const src = [
    "import ort from 'onnxruntime-node';",
    'import {\n  a,\n  b,\n} from "./x.js";',
    "export { c } from '../y.js';",
    "import 'rxjs';",
    "const z = await import('zod');",
    "const FFT = createRequire(import.meta.url)('fft.js');",
    "const dir = createRequire(import.meta.url).resolve('onnxruntime-common');",
    'const s = "not an import from \'fake\'";',
  ].join('\n');
  assert.deepEqual(importSpecifiers(src).sort(), ['../y.js', './x.js', 'fft.js', 'onnxruntime-common', 'onnxruntime-node', 'rxjs', 'zod']);
  assert.equal(packageName('@scope/pkg/sub/file.js'), '@scope/pkg');
  assert.equal(packageName('rxjs/operators'), 'rxjs');
  assert.equal(packageName('node:fs'), null);
  assert.equal(packageName('worker_threads'), null);
  assert.equal(packageName('./local.js'), null);
});

test('the kit carries what its entry scripts load, and not the desktop or audio-device packages', () => {
  const trace = traceImports(KIT_ENTRIES);
  // The analysis's FFT is a WebAssembly package whose .wasm sits beside its glue: a kit without it cannot render.
  for (const p of ['onnxruntime-node', 'rxjs', 'yaml', 'zod', '@echogarden/pffft-wasm']) assert.ok(trace.packages.includes(p), `${p} is imported`);
  assert.ok(trace.files.some((f) => f.endsWith('generator/runtime/worker.js')), "the engine's worker script is carried");
  assert.ok(trace.files.some((f) => f.endsWith('generator/runtime/webgpuProbeChild.js')), 'and its WebGPU probe');
  for (const p of ['electron', 'naudiodon', '@julusian/midi', 'playwright-core', 'esbuild', 'typescript']) assert.ok(!trace.packages.includes(p), `${p} is not`);
  const { packages, unresolved } = packageClosure('.', trace.packages);
  assert.deepEqual(unresolved, []);
  const names = packages.map((p) => p.name);
  assert.ok(names.includes('onnxruntime-common'), 'dependencies follow');
  assert.ok(!names.includes('adm-zip') && !names.includes('global-agent'), "onnxruntime-node's install-time deps stay out");
  assert.equal(droppedOrtBinary('node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1'), false);
  for (const other of ['win32/x64/DirectML.dll', 'darwin/arm64/libonnxruntime.1.dylib', 'linux/arm64/libonnxruntime.so.1']) {
    assert.equal(droppedOrtBinary(`node_modules/onnxruntime-node/bin/napi-v6/${other}`), true, other);
  }
  assert.equal(droppedFromPackage('node_modules/rxjs/dist/cjs/index.js'), false);
  for (const f of ['node_modules/rxjs/src/index.ts', 'node_modules/zod/index.d.ts', 'node_modules/yaml/dist/x.js.map', 'node_modules/zod/README.md']) assert.equal(droppedFromPackage(f), true, f);
});

test('fill-fit covers the output and crops the long side symmetrically', () => {
  // A 2×2 picture, rows red and blue, filled into 4×2 (2:1): scale 2, the middle of the rows is cropped away.
  const src = Uint8Array.from([255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 255]);
  const dst = new Uint8Array(4 * 2 * 4);
  makeFill(2, 2, 4, 2)(src, dst);
  const px = (x: number, y: number) => [...dst.subarray((y * 4 + x) * 4, (y * 4 + x) * 4 + 4)];
  // Output row 0 samples source y = 0.25 (a quarter of the way to blue), row 1 y = 0.75.
  assert.deepEqual(px(0, 0), [191, 0, 64, 255]);
  assert.deepEqual(px(3, 1), [64, 0, 191, 255]);
  const flat = new Uint8Array(16 * 16 * 4).fill(77);
  const out = new Uint8Array(32 * 18 * 4);
  makeFill(16, 16, 32, 18)(flat, out);
  assert.ok(out.every((v) => v === 77), 'a flat picture stays flat');
  assert.throws(() => makeFill(16, 16, 32, 18)(flat.subarray(4), out), /needs larger buffers/);
});

test('picture diff compares RGB of picture 0 only', () => {
  const a = Uint8Array.from([10, 20, 30, 255, 0, 0, 0, 255]);
  const b = Uint8Array.from([13, 20, 29, 0, 0, 0, 0, 0]);
  assert.deepEqual(pictureDiff(a, b, 2), { maxDiff: 3, meanDiff: 4 / 6 });
  assert.throws(() => pictureDiff(a, b, 3), /need 12 bytes/);
});

test("onnxruntime's profile names the provider of every node", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'latentvj-kit-prof-'));
  try {
    const g = new GraphBuilder('p');
    const x = g.input('x', 'float', [4]);
    g.output(ops.addScalar(g, ops.addScalar(g, x, 1), 2), 'y', 'float', [4]);
    const prefix = join(dir, 'prof');
    const s = await ort.InferenceSession.create(g.toBytes({ opset: 17 }), { enableProfiling: true, profileFilePrefix: prefix, graphOptimizationLevel: 'disabled' });
    await s.run({ x: new ort.Tensor('float32', new Float32Array(4), [4]) });
    s.endProfiling();
    await s.release();
    const placement = nodePlacement(await takeProfile(prefix));
    // Two Adds and the Identity the graph builder names its output with.
    assert.deepEqual(placement, { nodesByProvider: { CPUExecutionProvider: 3 }, cpuOps: ['Add', 'Identity'] });
    await assert.rejects(takeProfile(prefix), /wrote no profile/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('cases and a render run on the CPU on a tiny StyleGAN2: valid records, batch picture 0 equals the reference', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'latentvj-kit-'));
  try {
    const modelDir = join(dir, 'tiny');
    const model = randomStyleGan2Model({ seed: 3, resolution: 16, channelBase: 128, channelMax: 16, zDim: 16, wDim: 16, mappingLayers: 2, look: { noiseStrength: () => 0.1 } });
    await buildModelFiles(model, modelDir, { imageOutput: false });
    await writeFp16Variant(modelDir);
    const spec = (ep: CaseSpec['ep'], precision: CaseSpec['precision'], batch: number): CaseSpec => ({
      id: `tiny-${ep}-${precision}-b${batch}`,
      path: 'session',
      modelKey: 'tiny',
      model: 'full',
      size: 16,
      ep,
      precision,
      batch,
      // measureS 0: exactly three timed runs, whatever the clock says.
      measureS: 0,
      maxRuns: 3,
      capS: 60,
    });
    const job = (s: CaseSpec) => ({ spec: s, modelDir, refDir: dir, threads: 1, adapter: null });
    const ref = await runCase(job(spec('cpu', 'fp32', 1)));
    assert.equal(caseRecordProblem(ref), null, JSON.stringify(ref));
    assert.equal(ref.runs, 3);
    assert.equal(ref.provider, 'cpu');
    assert.equal(ref.maxDiff, 0);
    const b4 = await runCase(job(spec('cpu', 'fp32', 4)));
    assert.equal(caseRecordProblem(b4), null, JSON.stringify(b4));
    assert.ok(b4.maxDiff !== null && b4.maxDiff! <= 1, `batch 4 picture 0 vs batch 1: ${b4.maxDiff}`);
    const half = await runCase(job(spec('cpu', 'fp16', 1)));
    assert.equal(caseRecordProblem(half), null, JSON.stringify(half));
    assert.ok(half.maxDiff !== null && half.maxDiff! <= 8, `fp16 vs fp32: ${half.maxDiff}`);
    // WebGPU here: a record either way (this machine may or may not have an adapter Dawn accepts).
    const gpu = await runCase(job(spec('webgpu', 'fp16', 1)));
    assert.equal(caseRecordProblem(gpu), null, JSON.stringify(gpu));
    if (!gpu.ok) assert.equal(gpu.stage, 'load');
    // The engine's stage: its worker, its provider choice; one round of frames when the window is 0 s.
    const engine = await runCase(job({ ...spec('cpu', 'fp32', 1), id: 'tiny-engine-cpu', path: 'engine' }));
    assert.equal(caseRecordProblem(engine), null, JSON.stringify(engine));
    assert.equal(engine.provider, 'cpu');
    assert.equal(engine.runs, 10);
    assert.ok(engine.overheadMs! >= 0);

    const render = await runRender({ spec: { id: 'r', modelKey: 'tiny', ep: 'cpu', width: 32, height: 18, fps: 10, durationS: 1, capS: 600 }, modelDir, threads: 1 });
    assert.equal(render.ok, true, render.error);
    assert.equal(render.frames, render.framesPlanned);
    assert.ok(render.frames! >= 10, `${render.frames} frames for 1 s at 10 fps`);
    assert.deepEqual(Object.keys(render.stages!), ['analysis', 'mapping', 'generator', 'fit', 'pipe']);
    const table = summaryTable([ref, gpu, render]);
    assert.match(table, /^case\s+fps/);
    assert.equal(table.split('\n').length, 4);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * Generator benchmark (`npm run bench -- generator`):
 *  1. the default model's fps through the generator stage (worker + scheduling), 256×256;
 *  2. a full-size StyleGAN2 at 256×256 (channel_base 16384 → min(16384/res, 512) channels, 8 mapping layers,
 *     random weights): our runtime's ms/frame next to PyTorch on the CPU running the same architecture and the
 *     same weights (tools/torch-bench) with the same thread count, the outputs compared, and the ratio;
 *  3. per-frame overhead outside inference (inputs, messages, output hand-over) at 256² and 1024².
 * Targets: default ≥ 30 fps; ours ≤ 1.0× PyTorch's time; overhead ≤ 1 ms (256²) and ≤ 3 ms (1024²).
 * The machine's load average is printed with the figures: on shared cores they move with others' work.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { buildModelFiles } from '../src/generator/convert.js';
import { ensureDefaultModel } from '../src/generator/defaultModel.js';
import { writeNpy, readNpy } from '../src/contracts/npy.js';
import { mapZ, randomStyleGan2Model, SeededNormal } from '../src/generator/randomModel.js';
import { benchGenerator, measureFrames } from '../src/generator/runtime/bench.js';
import { createGenerator } from '../src/generator/runtime/generator.js';
import { quantile } from '../src/generator/runtime/stats.js';
import { writeSyntheticModel } from '../src/generator/runtime/syntheticModel.js';
import { neutralParams } from '../src/generator/runtime/params.js';
import { emulateFp16 } from '../src/generator/runtime/fp16.js';
import { exportTorchWeights } from '../tools/torch-bench/exportWeights.js';
import { setLogLevel } from '../src/log.js';

setLogLevel('warn');
const root = process.cwd();
const threads = availableParallelism();
const load = (): string => `load ${loadavg()[0]!.toFixed(2)}`;
const mark = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

/** The first Python with torch: Debian's python3-torch lives in /usr/bin/python3 (a pyenv shim may shadow it). */
function torchPython(): { python: string; version: string } | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return null;
}

async function defaultModelFps(): Promise<void> {
  const dir = join(root, 'models', 'default');
  await ensureDefaultModel(dir);
  const r = await benchGenerator({ modelDir: dir, frames: 150, threads });
  console.log(
    `default model ${r.width}×${r.height} on ${r.ep}, ${threads} threads: ${r.fps.toFixed(1)} fps ` +
      `(inference median ${r.msMedian.toFixed(1)} ms, p95 ${r.msP95.toFixed(1)} ms) [target ≥ 30 fps: ${mark(r.fps >= 30)}] ${load()}`,
  );
}

async function fullSizeVsTorch(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'latentvj-bench-'));
  try {
    const t0 = performance.now();
    const model = randomStyleGan2Model({ seed: 1, resolution: 256, channelBase: 16384, channelMax: 512, mappingLayers: 8, look: { noiseStrength: () => 0.1 } });
    // The plain StyleGAN2 (no bends, no rewrites: PyTorch's side has none), one noise bank entry (the stored noise).
    const modelDir = join(tmp, 'model');
    const manifest = await buildModelFiles(model, modelDir, { bendLayers: [], rewriteLayers: [], noiseBank: 1, imageOutput: true });
    const weightsDir = join(tmp, 'torch');
    await exportTorchWeights(model, weightsDir);
    const w = mapZ(model.mapping, new SeededNormal(5).fill(new Float32Array(model.zDim)), new Float32Array(model.wDim));
    const ws = new Float32Array(model.numWs * model.wDim);
    for (let i = 0; i < model.numWs; i++) ws.set(w, i * model.wDim);
    await writeNpy(join(tmp, 'ws.npy'), { shape: [model.numWs, model.wDim], data: ws });
    console.log(`full-size StyleGAN2 256×256 (channels ${model.convs.map((c) => c.outChannels).filter((c, i, a) => a.indexOf(c) === i).join('/')}, ${model.numWs} ws) built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const py = torchPython();
    if (!py) console.log('  PyTorch: python3-torch is not installed (apt-get install python3-torch); comparison skipped');
    // Interleaved rounds (ours, then PyTorch, three times): these cores are shared, and load that comes and goes
    // then falls on both sides alike. The medians are over every frame of every round.
    const g = await createGenerator({ modelDir, threads, statsIntervalS: 0, warmupRuns: 2 });
    const oursMs: number[] = [];
    const torchMs: number[] = [];
    let upconv = 'auto';
    let torchInfo = '';
    const script = join(root, 'tools', 'torch-bench', 'stylegan2_torch.py');
    const rawOut = join(tmp, 'torch-image.npy');
    try {
      for (let round = 0; round < 3; round++) {
        oursMs.push(...(await measureFrames(g, 5, threads)).inferMs);
        if (!py) continue;
        const r = spawnSync(
          py.python,
          [script, '--weights', weightsDir, '--ws', join(tmp, 'ws.npy'), '--threads', String(threads), '--frames', '5', '--upconv', upconv, '--out-raw', rawOut],
          { encoding: 'utf8' },
        );
        if (r.status !== 0) {
          console.log(`  PyTorch run failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
          return;
        }
        const t = JSON.parse(r.stdout.trim().split('\n').pop()!) as { times: number[]; threads: number; torch: string; upconv: string };
        torchMs.push(...t.times);
        upconv = t.upconv;
        torchInfo = `PyTorch ${t.torch} CPU, ${t.threads} threads, upsampling conv as ${t.upconv}`;
      }
    } finally {
      await g.close();
    }
    const med = (a: number[]) => quantile([...a].sort((x, y) => x - y), 0.5);
    const best = (a: number[]) => Math.min(...a);
    console.log(`  ours (onnxruntime ${ort.env.versions.common}, cpu, ${threads} threads): median ${med(oursMs).toFixed(1)} ms/frame (best ${best(oursMs).toFixed(1)}) over ${oursMs.length} frames ${load()}`);
    if (py) {
      console.log(`  ${torchInfo}: median ${med(torchMs).toFixed(1)} ms/frame (best ${best(torchMs).toFixed(1)}) over ${torchMs.length} frames ${load()}`);
      const ratio = med(oursMs) / med(torchMs);
      // The best frames show each side's speed with the least of others' load on it.
      console.log(`  ratio ours/PyTorch: ${ratio.toFixed(2)}× of the medians, ${(best(oursMs) / best(torchMs)).toFixed(2)}× of the best frames [target ≤ 1.0×: ${mark(ratio <= 1)}]`);
    }

    // Same architecture and weights: our float image against PyTorch's for the same W+ (stored noise).
    const session = await ort.InferenceSession.create(join(modelDir, 'generator.onnx'), { intraOpNumThreads: threads });
    const p = neutralParams(manifest);
    const feeds: Record<string, ort.Tensor> = {
      ws: new ort.Tensor('float32', ws, [1, manifest.numWs, manifest.wDim]),
      noise_mix: new ort.Tensor('float32', p.noiseMix, [manifest.numNoise, manifest.noiseBank]),
      noise_strength: new ort.Tensor('float32', p.noiseStrength, [manifest.numNoise]),
      noise_mask: new ort.Tensor('float32', p.noiseMask, [manifest.maskRegions, manifest.maskSize, manifest.maskSize]),
      noise_region: new ort.Tensor('float32', new Float32Array(manifest.maskRegions).fill(1), [manifest.maskRegions]),
    };
    const out = await session.run(feeds, ['image']);
    await session.release();
    const mine = out.image!.data as Float32Array;
    if (py) {
      const theirs = (await readNpy(rawOut)).data;
      let maxDiff = 0;
      let maxAbs = 0;
      for (let i = 0; i < mine.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(mine[i]! - theirs[i]!));
        maxAbs = Math.max(maxAbs, Math.abs(theirs[i]!));
      }
      console.log(`  same picture: max |ours − PyTorch| = ${maxDiff.toExponential(2)} (image values up to ${maxAbs.toFixed(2)}) [${mark(maxDiff < 1e-3 * Math.max(1, maxAbs))}]`);
    }

    // fp16 accuracy on the full-size network: every weight and intermediate rounded to half precision.
    const emu = await ort.InferenceSession.create(emulateFp16(await readFile(join(modelDir, 'generator.onnx'))), { intraOpNumThreads: threads });
    const half = (await emu.run(feeds, ['image'])).image!.data as Float32Array;
    await emu.release();
    let sumD = 0;
    let maxD = 0;
    let inRange = 0;
    for (let i = 0; i < mine.length; i++) {
      const d = Math.abs(Math.max(-1, Math.min(1, half[i]!)) - Math.max(-1, Math.min(1, mine[i]!)));
      sumD += d;
      maxD = Math.max(maxD, d);
      if (Number.isFinite(half[i]!)) inRange++;
    }
    console.log(
      `  fp16 (emulated storage, fp32 accumulation) vs fp32, clamped image: mean |Δ| ${((sumD / mine.length) * 127.5).toFixed(3)}/255, ` +
        `max ${(maxD * 127.5).toFixed(2)}/255, non-finite ${mine.length - inRange}`,
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function overhead(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'latentvj-bench-'));
  try {
    for (const [side, targetMs] of [
      [256, 1],
      [1024, 3],
    ] as const) {
      const dir = await writeSyntheticModel(join(tmp, `s${side}`), { width: side, height: side, numWs: 14, wDim: 512 });
      const r = await benchGenerator({ modelDir: dir, frames: 100, threads });
      console.log(
        `overhead outside inference at ${side}×${side}: median ${r.overheadMsMedian.toFixed(3)} ms, p95 ${r.overheadMsP95.toFixed(3)} ms ` +
          `(inference of the stand-in model ${r.msMedian.toFixed(2)} ms) [target ≤ ${targetMs} ms: ${mark(r.overheadMsMedian <= targetMs)}] ${load()}`,
      );
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await defaultModelFps();
await fullSizeVsTorch();
await overhead();

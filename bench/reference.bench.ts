/**
 * The render's generator next to the PyTorch code a maua-stylegan2 user runs: a full-size StyleGAN2 at 256²
 * (rosinality's Generator(256, 512, 8, channel_multiplier=2)), per-frame time on the CPU, same weights, same
 * thread count, in the same run, with the ratio.
 *
 * Upstream's code is not part of this repository (we ship only what we wrote), so the peer runs from the user's
 * checkout of github.com/rosinality/stylegan2-pytorch, named by LATENTVJ_TORCH_REF:
 *   LATENTVJ_TORCH_REF=/path/to/stylegan2-pytorch npm run bench -- reference
 * tools/torch-bench/upstream_rosinality.py builds upstream's Generator with its own random init and saves it as a
 * rosinality checkpoint; our converter reads that file (as it reads a user's), and both sides time the same
 * weights; the pictures are compared. Upstream's CPU pass takes seconds a frame: 1 warm-up and 2 timed frames.
 *
 * Without LATENTVJ_TORCH_REF, one line says how to enable it, and the peer is our own PyTorch formulation of the
 * architecture (tools/torch-bench/stylegan2_torch.py, NVIDIA's fused form), labelled as such: not upstream code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { readCheckpoint } from '../src/generator/checkpoint/index.js';
import { buildModelFiles } from '../src/generator/convert.js';
import { mapZ, randomStyleGan2Model, SeededNormal } from '../src/generator/randomModel.js';
import { measureFrames } from '../src/generator/runtime/bench.js';
import { createGenerator } from '../src/generator/runtime/generator.js';
import { neutralParams } from '../src/generator/runtime/params.js';
import { quantile } from '../src/generator/runtime/stats.js';
import { readNpy, writeNpy } from '../src/contracts/npy.js';
import { setLogLevel } from '../src/log.js';
import type { Manifest, StyleGan2Model } from '../src/generator/types.js';
import { exportTorchWeights } from '../tools/torch-bench/exportWeights.js';

setLogLevel('warn');
const root = process.cwd();
const threads = availableParallelism();
const SIZE = 256;
const TIMED_FRAMES = 2;
const load = (): string => `load ${loadavg()[0]!.toFixed(2)}`;
const med = (a: number[]): number => quantile([...a].sort((x, y) => x - y), 0.5);

/** The first Python with torch: Debian's python3-torch lives in /usr/bin/python3 (a pyenv shim may shadow it). */
function torchPython(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) return python;
  }
  return null;
}

function runPython(python: string, args: string[], what: string): string {
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  return r.stdout.trim().split('\n').pop()!;
}

interface Peer {
  label: string;
  /** The peer's frame times (ms); it leaves its picture [3, H, W] for the W+ in ws.npy in peer.npy. */
  time(): number[];
}

/** Our runtime's frame times on the converted model, and our float picture for the same W+ (stored noise). */
async function ours(modelDir: string, manifest: Manifest, ws: Float32Array): Promise<{ times: number[]; image: Float32Array }> {
  const g = await createGenerator({ modelDir, threads, statsIntervalS: 0, warmupRuns: 1 });
  let times: number[];
  try {
    times = (await measureFrames(g, TIMED_FRAMES + 1, threads)).inferMs;
  } finally {
    await g.close();
  }
  const session = await ort.InferenceSession.create(join(modelDir, 'generator.onnx'), { intraOpNumThreads: threads });
  const p = neutralParams(manifest);
  const out = await session.run(
    {
      ws: new ort.Tensor('float32', ws, [1, manifest.numWs, manifest.wDim]),
      noise_mix: new ort.Tensor('float32', p.noiseMix, [manifest.numNoise, manifest.noiseBank]),
      noise_strength: new ort.Tensor('float32', p.noiseStrength, [manifest.numNoise]),
      noise_mask: new ort.Tensor('float32', p.noiseMask, [manifest.maskRegions, manifest.maskSize, manifest.maskSize]),
      noise_region: new ort.Tensor('float32', new Float32Array(manifest.maskRegions).fill(1), [manifest.maskRegions]),
    },
    ['image'],
  );
  await session.release();
  return { times, image: out.image!.data as Float32Array };
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'latentvj-bench-ref-'));
  try {
    const python = torchPython();
    if (!python) {
      console.log('reference: python3-torch is not installed (apt-get install python3-torch); the PyTorch peer is skipped');
      return;
    }
    const ref = process.env.LATENTVJ_TORCH_REF;
    const wsFile = join(tmp, 'ws.npy');
    const rawOut = join(tmp, 'peer.npy');
    let model: StyleGan2Model;
    let peer: Peer;
    const t0 = performance.now();
    if (ref) {
      if (!existsSync(join(ref, 'model.py'))) throw new Error(`LATENTVJ_TORCH_REF=${ref}: no model.py there (expected a checkout of github.com/rosinality/stylegan2-pytorch)`);
      const script = join(root, 'tools', 'torch-bench', 'upstream_rosinality.py');
      const ckpt = join(tmp, 'upstream.pt');
      runPython(python, [script, '--ref', ref, 'write', '--size', String(SIZE), '--out', ckpt, '--ws-out', wsFile], 'upstream Generator (write)');
      model = await readCheckpoint(ckpt);
      peer = {
        label: `upstream rosinality/stylegan2-pytorch Generator from ${ref}`,
        time: () => {
          const args = [script, '--ref', ref, 'time', '--checkpoint', ckpt, '--ws', wsFile, '--threads', String(threads), '--frames', String(TIMED_FRAMES), '--out-raw', rawOut];
          return (JSON.parse(runPython(python, args, 'upstream Generator (time)')) as { times: number[] }).times;
        },
      };
    } else {
      console.log(
        'reference: upstream PyTorch peer not enabled: set LATENTVJ_TORCH_REF=/path/to/a/checkout/of/rosinality/stylegan2-pytorch ' +
          '(its model.py and op/) to time the code maua-stylegan2 runs; below, the peer is OUR OWN PyTorch formulation (not upstream code)',
      );
      model = randomStyleGan2Model({ seed: 1, resolution: SIZE, channelBase: 16384, channelMax: 512, mappingLayers: 8, look: { noiseStrength: () => 0.1 } });
      const w = mapZ(model.mapping, new SeededNormal(5).fill(new Float32Array(model.zDim)), new Float32Array(model.wDim));
      const ws = new Float32Array(model.numWs * model.wDim);
      for (let i = 0; i < model.numWs; i++) ws.set(w, i * model.wDim);
      await writeNpy(wsFile, { shape: [model.numWs, model.wDim], data: ws });
      const weightsDir = join(tmp, 'torch');
      await exportTorchWeights(model, weightsDir);
      const script = join(root, 'tools', 'torch-bench', 'stylegan2_torch.py');
      peer = {
        label: 'our own PyTorch formulation (tools/torch-bench/stylegan2_torch.py), not upstream code',
        time: () => {
          const args = [script, '--weights', weightsDir, '--ws', wsFile, '--threads', String(threads), '--frames', String(TIMED_FRAMES), '--out-raw', rawOut];
          return (JSON.parse(runPython(python, args, 'our PyTorch formulation')) as { times: number[] }).times;
        },
      };
    }
    const modelDir = join(tmp, 'model');
    const manifest = await buildModelFiles(model, modelDir, { bendLayers: [], rewriteLayers: [], noiseBank: 1, imageOutput: true });
    const ws = (await readNpy(wsFile)).data;
    console.log(`reference: full-size StyleGAN2 ${SIZE}×${SIZE} (${model.numWs} ws), weights made and converted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const mine = await ours(modelDir, manifest, ws);
    const theirs = { times: peer.time(), image: (await readNpy(rawOut)).data };
    console.log(`  ours (onnxruntime ${ort.env.versions.common}, cpu, ${threads} threads): median ${med(mine.times).toFixed(0)} ms/frame over ${mine.times.length} frames ${load()}`);
    console.log(`  peer: ${peer.label}, PyTorch CPU, ${threads} threads: median ${med(theirs.times).toFixed(0)} ms/frame over ${theirs.times.length} frames ${load()}`);
    console.log(`  ratio ours/peer: ${(med(mine.times) / med(theirs.times)).toFixed(2)}× (per-frame time; below 1 is faster)`);
    let maxDiff = 0;
    let maxAbs = 0;
    for (let i = 0; i < mine.image.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(mine.image[i]! - theirs.image[i]!));
      maxAbs = Math.max(maxAbs, Math.abs(theirs.image[i]!));
    }
    console.log(`  same generator: max |ours − peer| = ${maxDiff.toExponential(2)} over the float picture (values up to ${maxAbs.toFixed(2)})`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();

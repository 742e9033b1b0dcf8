/**
 * Provider choice without noise: the CUDA file check (injected file lookups), the skip reasons, the WebGPU probe
 * in its child process (real child, real onnxruntime), and the CLI's stderr free of onnxruntime's and Dawn's
 * native lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CUDA_FILES_MISSING,
  cudaFilesReason,
  cudaProviderFiles,
  explainFailure,
  unavailableReason,
  type BackendInfo,
  type ProviderHost,
  type ProviderName,
} from '../../src/generator/runtime/providers.js';
import { openFirstWorking, ortBindingDir } from '../../src/generator/runtime/session.js';
import type { Fallback } from '../../src/generator/runtime/protocol.js';
import { UserError } from '../../src/errors.js';
import { gpuDeviceNodes, NO_GPU_DEVICE, runWebGpuProbe, webGpuProbe } from '../../src/generator/runtime/webgpuProbe.js';
import { createGenerator } from '../../src/generator/runtime/generator.js';
import { writeSyntheticModel } from '../../src/generator/runtime/syntheticModel.js';

const tmp = await mkdtemp(join(tmpdir(), 'latentvj-providers-'));
test.after(() => rm(tmp, { recursive: true, force: true }));

const DIR = '/opt/ort/bin/napi-v6/linux/x64';
const existsAmong = (present: string[]) => (p: string) => present.includes(p);
const LINUX_BACKENDS: BackendInfo[] = [
  { name: 'cpu', bundled: true },
  { name: 'webgpu', bundled: true },
  { name: 'cuda', bundled: false },
];
const host = (over: Partial<ProviderHost> = {}): ProviderHost => ({
  backends: LINUX_BACKENDS,
  platform: 'linux',
  bindingDir: DIR,
  exists: existsAmong([]),
  ...over,
});

test('cuda: both provider libraries missing → the install hint; checked beside the binding', () => {
  const asked: string[] = [];
  const reason = cudaFilesReason(DIR, 'linux', (p) => {
    asked.push(p);
    return false;
  });
  assert.equal(reason, CUDA_FILES_MISSING);
  assert.match(reason, /npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12/);
  assert.deepEqual(asked.sort(), [join(DIR, 'libonnxruntime_providers_cuda.so'), join(DIR, 'libonnxruntime_providers_shared.so')]);
});

test('cuda: one library missing names it; both present → worth a try; unknown folder → let onnxruntime try', () => {
  const onlyShared = existsAmong([join(DIR, 'libonnxruntime_providers_shared.so')]);
  const partial = cudaFilesReason(DIR, 'linux', onlyShared);
  assert.ok(partial);
  assert.match(partial, /incomplete: no libonnxruntime_providers_cuda\.so in \/opt\/ort/);
  assert.doesNotMatch(partial, /providers_shared/);
  const both = existsAmong(cudaProviderFiles('linux').map((f) => join(DIR, f)));
  assert.equal(cudaFilesReason(DIR, 'linux', both), null);
  assert.equal(cudaFilesReason(null, 'linux', () => false), null);
  assert.deepEqual(cudaProviderFiles('win32'), ['onnxruntime_providers_shared.dll', 'onnxruntime_providers_cuda.dll']);
});

test('unavailableReason: cuda by its files, webgpu by the probe, others by platform and build', () => {
  assert.equal(unavailableReason('cuda', host()), CUDA_FILES_MISSING);
  const both = existsAmong(cudaProviderFiles('linux').map((f) => join(DIR, f)));
  assert.equal(unavailableReason('cuda', host({ exists: both })), null);
  assert.match(unavailableReason('cuda', host({ backends: [{ name: 'cpu', bundled: true }] })) ?? '', /not in this onnxruntime-node build \(it has cpu\)/);
  assert.equal(unavailableReason('webgpu', host()), null, 'not probed: tried directly');
  assert.equal(unavailableReason('webgpu', host({ webgpu: { ok: true, reason: '' } })), null);
  assert.equal(
    unavailableReason('webgpu', host({ webgpu: { ok: false, reason: 'Failed to get a WebGPU adapter: No supported adapters' } })),
    'Failed to get a WebGPU adapter: No supported adapters (WebGPU needs a GPU with a Vulkan driver and the Vulkan loader (Debian/Ubuntu: libvulkan1))',
  );
  assert.equal(unavailableReason('dml', host()), 'DirectML needs Windows');
  assert.equal(unavailableReason('coreml', host()), 'CoreML needs macOS');
  assert.equal(unavailableReason('cpu', host({ backends: [] })), null);
});

test('explainFailure: a CUDA provider present but unloadable says what it needs; other reasons pass through', () => {
  assert.match(explainFailure('cuda', 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library'), /CUDA 12 and cuDNN 9.*--verbose/);
  assert.equal(explainFailure('webgpu', 'Failed to load shared library'), 'Failed to load shared library');
  assert.equal(explainFailure('cuda', 'out of memory'), 'out of memory');
  assert.match(explainFailure('webgpu', 'Failed to get a WebGPU adapter: No supported adapters', 'linux'), /No supported adapters \(WebGPU needs a GPU with a Vulkan driver and the Vulkan loader \(Debian\/Ubuntu: libvulkan1\)\)$/);
});

test('ortBindingDir: the folder with onnxruntime-node binding for this platform', () => {
  const dir = ortBindingDir();
  assert.ok(dir, 'binding folder found');
  assert.ok(existsSync(join(dir, 'onnxruntime_binding.node')), `${dir} holds onnxruntime_binding.node`);
  assert.ok(dir.endsWith(join(process.platform, process.arch)));
});

test('WebGPU probe (real child, real onnxruntime): answers ok or one line of reason, Dawn text captured', async () => {
  const p = await runWebGpuProbe();
  assert.equal(typeof p.ok, 'boolean');
  if (p.ok) assert.equal(p.reason, '');
  else {
    assert.ok(p.reason.length > 0);
    assert.doesNotMatch(p.reason, /\n/);
    assert.doesNotMatch(p.reason, /did not answer|without an answer|could not start/, 'the child itself worked');
  }
});

test('WebGPU probe gate: Linux GPU device nodes are found; without one the probe child is not started', async () => {
  const dev = join(tmp, 'dev');
  await mkdir(join(dev, 'dri'), { recursive: true });
  assert.deepEqual(gpuDeviceNodes('linux', dev), [], 'an empty /dev');
  // card0 alone is a display node (also on virtual GPUs without rendering); nvidiactl is not a GPU.
  for (const n of ['dri/card0', 'nvidiactl', 'nvidia-uvm', 'null']) await writeFile(join(dev, n), '');
  assert.deepEqual(gpuDeviceNodes('linux', dev), []);
  for (const n of ['dri/renderD128', 'nvidia0', 'dxg']) await writeFile(join(dev, n), '');
  assert.deepEqual(gpuDeviceNodes('linux', dev)?.sort(), [join(dev, 'dri/renderD128'), join(dev, 'dxg'), join(dev, 'nvidia0')].sort());
  assert.equal(gpuDeviceNodes('darwin', dev), null, 'Metal and D3D12 have no device nodes: always probed');
  assert.deepEqual(gpuDeviceNodes('linux', join(tmp, 'no-such-dev')), []);

  const p = await webGpuProbe();
  if (gpuDeviceNodes()?.length === 0) assert.deepEqual(p, { ok: false, reason: NO_GPU_DEVICE, stderr: '', ms: 0 });
  else assert.notEqual(p.reason, NO_GPU_DEVICE, 'a machine with a GPU node runs the probe');
});

test('WebGPU probe: a child that hangs is killed at the time limit; one that dies or talks is reported', async () => {
  const hang = join(tmp, 'hang.mjs');
  await writeFile(hang, 'setInterval(() => {}, 1000);\n');
  const t0 = performance.now();
  const hung = await runWebGpuProbe(300, pathToFileURL(hang));
  assert.equal(hung.ok, false);
  assert.match(hung.reason, /did not answer within 0.3 s/);
  assert.ok(performance.now() - t0 < 5000);

  const die = join(tmp, 'die.mjs');
  await writeFile(die, "process.stderr.write('native noise\\n'); process.exit(7);\n");
  const died = await runWebGpuProbe(5000, pathToFileURL(die));
  assert.equal(died.ok, false);
  assert.match(died.reason, /ended without an answer \(exit code 7/);
  assert.equal(died.stderr, 'native noise');

  const talk = join(tmp, 'talk.mjs');
  await writeFile(talk, "process.stderr.write('Warning: Vulkan something\\n'); process.send({ ok: true, reason: '' }, () => process.exit(0));\n");
  const talked = await runWebGpuProbe(5000, pathToFileURL(talk));
  assert.deepEqual({ ok: talked.ok, reason: talked.reason, stderr: talked.stderr }, { ok: true, reason: '', stderr: 'Warning: Vulkan something' });
});

test('the worker skips WebGPU with the probe verdict it is sent (or opens it where the probe passed)', async () => {
  const dir = join(tmp, 'model');
  await writeSyntheticModel(dir, { width: 16, height: 16 });
  const g = await createGenerator({ modelDir: dir, candidates: ['webgpu', 'cpu'], statsIntervalS: 0, warmupRuns: 1 });
  try {
    const probe = await webGpuProbe(); // the same cached verdict the generator used
    if (probe.ok) assert.equal(g.info.ep, 'webgpu');
    else {
      assert.equal(g.info.ep, 'cpu');
      assert.deepEqual(g.info.fallbacks, [{ ep: 'webgpu', reason: explainFailure('webgpu', probe.reason) }]);
    }
  } finally {
    await g.close();
  }
});

/** Lines onnxruntime's logger or Dawn/the Vulkan loader write natively (never through our logger). */
const ORT_NATIVE = /\[[EWF]:onnxruntime|\x1b\[1;31m|provider_bridge_ort/;
const DAWN = /Dawn|BackendType::|While initializing adapter|shaderUniform|XDG_RUNTIME_DIR/;

test('bench generator --json: stderr has no onnxruntime native error lines and no Dawn lines', async () => {
  const child = spawn(process.execPath, ['bin/latentvj.js', 'bench', 'generator', '--frames', '5', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { ep: string; fps: number };
  assert.ok(result.fps > 0);
  assert.doesNotMatch(stderr, ORT_NATIVE);
  // Where WebGPU does start, the real session lives in this process and Dawn may speak while it opens: only
  // a machine without a usable adapter (this one, CI) can promise silence.
  if (result.ep !== 'webgpu') assert.doesNotMatch(stderr, DAWN);
});

test('every candidate skipped before the model was tried: the error names the providers and why, not the file', async () => {
  const fallbacks: Fallback[] = [];
  const opts = {
    generatorFile: '/nowhere/generator.onnx',
    generatorFp16File: null,
    manifestFile: '/nowhere/manifest.json',
    manifest: {} as never,
    session: { threads: 1, interOpThreads: 1, graphOptimization: 'all' as const, spin: false },
    cacheDir: null,
  };
  const other: ProviderName = process.platform === 'win32' ? 'coreml' : 'dml';
  await assert.rejects(openFirstWorking([other], 0, opts, fallbacks), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, new RegExp(`^/nowhere/generator\\.onnx: no execution provider could run it \\(${other}: `));
    assert.doesNotMatch(e.message, /complete ONNX file/);
    return true;
  });
  assert.equal(fallbacks.length, 1);
});

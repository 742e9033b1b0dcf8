/**
 * Whether onnxruntime's WebGPU provider can start here, asked once per process in a short-lived child process.
 *
 * Why a child: Dawn (the WebGPU implementation inside onnxruntime) reports each adapter it rejects from native
 * code straight to the process's stderr ("Warning: Vulkan shaderUniform*ArrayDynamicIndexing required", the
 * Vulkan loader's "XDG_RUNTIME_DIR is invalid"), which JS cannot filter. In the child that text is captured and
 * logged at debug level; our own log keeps the one-line reason. A driver that crashes while being probed ends
 * the child, not the show. The real session is only opened on WebGPU when the probe succeeded.
 */
import { fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { logger } from '../../log.js';

const log = logger('generator');

export interface WebGpuProbe {
  ok: boolean;
  /** Why WebGPU cannot be used ('' when ok). */
  reason: string;
  /** What the child wrote to stderr (Dawn's and the Vulkan loader's diagnostics), trimmed. */
  stderr: string;
  ms: number;
}

export const PROBE_TIMEOUT_MS = 10_000;

const isReply = (m: unknown): m is { ok: boolean; reason: string } =>
  typeof m === 'object' && m !== null && typeof (m as { ok?: unknown }).ok === 'boolean' && typeof (m as { reason?: unknown }).reason === 'string';

/** Runs the probe child once; never rejects (every failure becomes a reason). */
export function runWebGpuProbe(timeoutMs = PROBE_TIMEOUT_MS, script: URL = new URL('./webgpuProbeChild.js', import.meta.url)): Promise<WebGpuProbe> {
  const t0 = performance.now();
  return new Promise<WebGpuProbe>((resolve) => {
    let stderr = '';
    let reply: { ok: boolean; reason: string } | null = null;
    let settled = false;
    const child = fork(script, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // Only the child's environment: the Vulkan loader complains without a runtime dir; the parent's stays as is.
      env: { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] || '/tmp' },
      // The parent's --inspect or loader flags have no business in the probe.
      execArgv: [],
      serialization: 'json',
    });
    const finish = (ok: boolean, reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ok, reason, stderr: stderr.trim(), ms: performance.now() - t0 });
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(false, `the WebGPU probe did not answer within ${timeoutMs / 1000} s (a hanging GPU driver?)`);
    }, timeoutMs);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      if (stderr.length < 16_384) stderr += d;
    });
    child.on('message', (m: unknown) => {
      if (isReply(m)) reply = m;
    });
    child.on('error', (e) => finish(false, `the WebGPU probe could not start (${e.message})`));
    child.on('exit', (code, signal) => {
      // Wait for stderr to drain ('close' follows 'exit') so the debug log has Dawn's whole text.
      child.once('close', () => {
        if (reply) finish(reply.ok, reply.reason);
        else finish(false, `the WebGPU probe ended without an answer (${signal ? `signal ${signal}` : `exit code ${code}`}; a GPU driver crash?)`);
      });
    });
  });
}

/**
 * On Linux every GPU that Vulkan can drive shows up as a device node: a DRM render node (AMD, Intel, NVIDIA's open
 * modules), NVIDIA's own /dev/nvidiaN, or WSL's /dev/dxg. Without one, the only adapters Dawn could find are
 * software rasterisers, which it rejects or which would be slower than the CPU provider, so the probe child (about a
 * second of CPU for loading onnxruntime and Dawn) is not started. Other systems are always probed.
 */
export function gpuDeviceNodes(platform: NodeJS.Platform = process.platform, devDir = '/dev'): string[] | null {
  if (platform !== 'linux') return null;
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  return [
    ...list(`${devDir}/dri`).filter((n) => /^renderD\d+$/.test(n)).map((n) => `${devDir}/dri/${n}`),
    ...list(devDir).filter((n) => /^nvidia\d+$/.test(n) || n === 'dxg').map((n) => `${devDir}/${n}`),
  ];
}

export const NO_GPU_DEVICE = 'no GPU device on this machine (no /dev/dri/renderD*, /dev/nvidia* or /dev/dxg)';

let cached: Promise<WebGpuProbe> | null = null;

/** The probe's result for this process: the first call runs it, later calls (a restarted worker) reuse it. */
export function webGpuProbe(): Promise<WebGpuProbe> {
  if (!cached) {
    const nodes = gpuDeviceNodes();
    if (nodes !== null && nodes.length === 0) {
      log.debug(`WebGPU probe skipped: ${NO_GPU_DEVICE}`);
      cached = Promise.resolve({ ok: false, reason: NO_GPU_DEVICE, stderr: '', ms: 0 });
      return cached;
    }
    cached = runWebGpuProbe().then((p) => {
      log.debug(`WebGPU probe: ${p.ok ? 'ok' : p.reason} in ${p.ms.toFixed(0)} ms`);
      for (const line of p.stderr.split('\n')) if (line.trim()) log.debug(`WebGPU probe stderr: ${line.trimEnd()}`);
      return p;
    });
  }
  return cached;
}

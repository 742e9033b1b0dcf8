/**
 * The WebGPU probe's child process (see webgpuProbe.ts): opens onnxruntime's WebGPU provider on a one-node graph,
 * runs it once, and reports over IPC whether that worked and, if not, onnxruntime's reason. Dawn's adapter
 * search writes its diagnostics from native code straight to this process's stderr, which the parent captures;
 * a native crash in the driver ends this process, not the show.
 */
import ort from 'onnxruntime-node';
import { GraphBuilder, ops } from '../onnx/index.js';
import { shortReason } from './providers.js';

export interface ProbeReply {
  ok: boolean;
  /** Why it failed (onnxruntime's first line, trimmed); '' when ok. */
  reason: string;
}

/** y = x + 1 on four floats: the smallest graph that makes the provider pick an adapter and compile a kernel. */
function tinyModel(): Uint8Array {
  const g = new GraphBuilder('webgpu-probe');
  const x = g.input('x', 'float', [4]);
  g.output(ops.addScalar(g, x, 1), 'y', 'float', [4]);
  return g.toBytes({ opset: 17 });
}

async function probe(): Promise<ProbeReply> {
  // Our reply carries the reason; onnxruntime's own logger would only repeat it in red on stderr.
  ort.env.logLevel = 'fatal';
  if (!ort.listSupportedBackends().some((b) => b.name === 'webgpu')) return { ok: false, reason: 'not in this onnxruntime-node build' };
  try {
    const session = await ort.InferenceSession.create(tinyModel(), { executionProviders: [{ name: 'webgpu' }], logSeverityLevel: 3 });
    const x = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [4]);
    const out = await session.run({ x });
    const y = out['y']?.data;
    await session.release();
    if (!(y instanceof Float32Array) || y[3] !== 5) return { ok: false, reason: `a test run returned ${String(y)} instead of 2,3,4,5` };
    return { ok: true, reason: '' };
  } catch (e) {
    return { ok: false, reason: shortReason(e) };
  }
}

const reply = await probe();
if (process.send) process.send(reply, () => process.exit(0));
else {
  process.stdout.write(JSON.stringify(reply) + '\n');
  process.exit(0);
}

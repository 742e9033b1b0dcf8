/**
 * The runtime's inference worker, whose first session (the first provider candidate) throws on every run, as
 * a provider failing at run time would: exercises the fallback to the next candidate.
 */
import ort from 'onnxruntime-node';

const create = ort.InferenceSession.create.bind(ort.InferenceSession);
let first = true;
ort.InferenceSession.create = (async (...args: Parameters<typeof create>) => {
  const session = await create(...args);
  if (first) {
    first = false;
    session.run = async () => {
      throw new Error('injected run failure on candidate 0');
    };
  }
  return session;
}) as typeof ort.InferenceSession.create;
await import('../../../src/generator/runtime/worker.js');

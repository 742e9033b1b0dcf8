/** Where `render --session` gets its frames: a re-render from the recorded inputs, or the recorded params. */
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Manifest } from '../generator/types.js';
import { FILES, layoutFor, PARAM_FIELDS } from '../session/format.js';
import { readSession, type Session } from '../session/reader.js';
import type { FrameParams } from '../visual/types.js';
import type { FrameSource } from './frameSource.js';
import type { SessionReplay } from '../pipeline/replay.js';

/**
 * A recorded session re-rendered from its inputs (pipeline/replay.ts) as a FrameSource: frame k at t = k/fps from
 * the session's first sample, every frame to the end of the recorded audio (a session cut short ends there).
 */
export function replayFrameSource(replay: SessionReplay): FrameSource {
  const run = replay.run;
  return {
    fps: run.fps,
    frameCount: run.frameCount,
    startS: 0,
    frames() {
      return (async function* (): AsyncGenerator<FrameParams> {
        for await (const f of run.framesAsync()) yield f.params;
      })();
    },
    close: () => replay.close(),
  };
}

/**
 * The check path (`render --session <dir> --recorded-params`): the params live showed, frame by frame, at the recorded fps, for the
 * recorded model, at any output size, with its audio. A session cut short renders up to its last whole frame.
 */
export function sessionFrameSource(session: Session, manifest: Manifest): FrameSource {
  const h = session.header;
  if (h.model.id !== manifest.origin.sha256) {
    throw new UserError(`--session ${session.dir}: recorded with model ${h.model.id.slice(0, 12)}…, not this one (${manifest.origin.sha256.slice(0, 12)}…); its recorded params fit only that model: pass --model ${h.model.dir}`);
  }
  const want = layoutFor(manifest);
  for (const f of PARAM_FIELDS) {
    if (want[f] !== h.paramsLayout[f]) throw new UserError(`${join(session.dir, FILES.header)}: paramsLayout.${f} is ${h.paramsLayout[f]}, the model needs ${want[f]}`);
  }
  const n = session.frames.length;
  if (n === 0) throw new UserError(`--session ${session.dir}: no frames were recorded`);
  const first = session.frames[0]!;
  const last = session.frames[n - 1]!;
  // Video frame k is at first.t + k/fps; a frame live dropped (or a gap) holds the newest recorded one, so the
  // video stays in sync with the audio.
  const frameCount = Math.round((last.t - first.t) * h.fps) + 1;
  return {
    fps: h.fps,
    frameCount,
    startS: first.t,
    frames() {
      return (async function* (): AsyncGenerator<FrameParams> {
        let i = 0;
        for (let k = 0; k < frameCount; k++) {
          const t = first.t + k / h.fps;
          while (i + 1 < n && session.frames[i + 1]!.t <= t + 1e-9) i++;
          const r = session.params(i);
          yield { frame: k, t, truncation: r.truncation, scene: r.scene, post: r.post, ...r.params };
        }
      })();
    },
    close: async () => undefined,
  };
}

export { readSession };

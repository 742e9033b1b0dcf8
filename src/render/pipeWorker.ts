/**
 * A worker thread that owns the segments' ffmpeg processes and feeds their stdin.
 *
 * Why a thread: onnxruntime-node runs a session synchronously on the thread that called it, so while the main
 * thread generates frame k+1 its event loop cannot move the bytes of frame k into ffmpeg's 64 KiB pipe, and ffmpeg
 * starves; the main thread then waited on the pipe after every frame, and generator and encoder took turns instead
 * of running side by side. Here the pipes are drained on this thread's own event loop, whatever the main thread
 * does. One thread serves every segment of the process (a thread costs tens of ms of CPU to start).
 *
 * Protocol (PipeRequest / PipeReport, per segment id): `open` starts ffmpeg; frames arrive in order, each in a slot
 * of memory shared with the caller (no copy, no allocation per frame), and each is reported `written` once ffmpeg's
 * pipe took it, which frees its slot (the caller bounds the frames in flight with it); `end` closes stdin, `kill`
 * stops ffmpeg; `closed` is a segment's last report.
 */
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { spawnFfmpeg } from './ffmpegChild.js';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';

export type PipeRequest =
  /** niceness: ffmpeg's (0 = the caller's priority, 19 = lowest). */
  /** slots: MAX_FRAMES_IN_FLIGHT frames of frameBytes each, shared with the caller, who fills them in turn. */
  | { t: 'open'; id: number; ffmpeg: string; args: string[]; niceness: number; slots: SharedArrayBuffer; frameBytes: number }
  /** The frame in slot `slot` is ready; the caller reuses the slot only after its `written`. */
  | { t: 'frame'; id: number; slot: number }
  | { t: 'end'; id: number }
  | { t: 'kill'; id: number };

export type PipeReport =
  | { t: 'written'; id: number }
  /** ffmpeg is gone: exit code or signal, the tail of its stderr, or why it could not start. */
  | { t: 'closed'; id: number; code: number | null; signal: string | null; stderrTail: string; startError: string | null };

function open(port: NonNullable<typeof parentPort>, m: Extract<PipeRequest, { t: 'open' }>): { child: ChildProcess; stdin: Writable } {
  const child = spawnFfmpeg(m.ffmpeg, m.args, true, (exit) => {
    children.delete(m.id);
    port.postMessage({ t: 'closed', id: m.id, ...exit } satisfies PipeReport);
  });
  // The encoder yields to the generator: both want the same cores, and the generator's threads wait on each other
  // at every op, so a core taken by x264 stalls them all, while x264 can use any gap. Set before the first frame is
  // sent, so before ffmpeg opens the encoder and starts its threads (which inherit it; on Linux niceness is per
  // thread). Where it is not permitted the render runs as before: priority is a speed matter, never a correctness one.
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, m.niceness);
    } catch {
      // See above: best effort by design.
    }
  }
  const stdin = child.stdin!;
  // A write after ffmpeg died is reported by `closed` with ffmpeg's own reason, not as an unhandled EPIPE.
  stdin.on('error', () => {});
  return { child, stdin };
}

const children = new Map<number, { child: ChildProcess; stdin: Writable; slots: Buffer[] }>();

function main(port: NonNullable<typeof parentPort>): void {
  port.on('message', (m: PipeRequest) => {
    if (m.t === 'open') {
      const count = m.slots.byteLength / m.frameBytes;
      const slots = Array.from({ length: count }, (_, i) => Buffer.from(m.slots, i * m.frameBytes, m.frameBytes));
      children.set(m.id, { ...open(port, m), slots });
      return;
    }
    const entry = children.get(m.id);
    if (!entry) return; // already closed: its `closed` report is on its way
    const { child, stdin } = entry;
    if (m.t === 'frame') {
      stdin.write(entry.slots[m.slot]!, () => port.postMessage({ t: 'written', id: m.id } satisfies PipeReport));
    } else if (m.t === 'end') {
      stdin.end();
    } else {
      stdin.destroy();
      child.kill('SIGKILL');
    }
  });
}

if (parentPort) main(parentPort);

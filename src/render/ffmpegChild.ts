/**
 * An ffmpeg child as the render runs every one of them (segments on the pipe thread, the join on the main one):
 * in its own process group, so a Ctrl-C at the terminal reaches only us and the render decides what happens to the
 * output, and with the tail of its stderr kept for the error message.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const STDERR_TAIL_CHARS = 8192;

/** How an ffmpeg ended: exit code or signal, the tail of its stderr, or why it could not start. */
export interface FfmpegExit {
  code: number | null;
  signal: string | null;
  stderrTail: string;
  startError: string | null;
}

/** Starts ffmpeg; `onClose` gets how it ended, once. stdin is a pipe when `feed` is set, else ignored. */
export function spawnFfmpeg(ffmpeg: string, args: string[], feed: boolean, onClose: (exit: FfmpegExit) => void): ChildProcess {
  const child = spawn(ffmpeg, args, { stdio: [feed ? 'pipe' : 'ignore', 'ignore', 'pipe'], detached: process.platform !== 'win32' });
  let stderrTail = '';
  let startError: string | null = null;
  child.stderr!.on('data', (b: Buffer) => {
    stderrTail = (stderrTail + b.toString('utf8')).slice(-STDERR_TAIL_CHARS);
  });
  child.on('error', (e) => {
    startError = e.message;
  });
  child.on('close', (code, signal) => onClose({ code, signal, stderrTail, startError }));
  return child;
}

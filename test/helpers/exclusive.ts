/**
 * A lock across test processes: the runner runs two test files at a time, and some resources are not worth
 * sharing between them. Two headless Chromiums drawing with SwiftShader at once starve each other's page, so a
 * real-time page test (the live kicks) sees the picture a beat late; the Chromium tests therefore take turns.
 *
 * The lock is a directory (mkdir is atomic) holding the owner's pid; a lock whose owner died is taken over, so a
 * test process killed mid-run cannot block the ones after it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const POLL_MS = 100;
/** Longer than any one test file may hold it (the runner's per-test timeout is 3 minutes). */
const WAIT_MAX_MS = 15 * 60_000;

function alive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until this process holds the named lock; the returned function releases it (idempotent). */
export async function exclusive(name: string): Promise<() => void> {
  const dir = join(tmpdir(), `latentvj-test-lock-${name}`);
  const owner = join(dir, 'pid');
  const deadline = Date.now() + WAIT_MAX_MS;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid = NaN;
      try {
        pid = Number(readFileSync(owner, 'utf8'));
      } catch {
        // Created but its pid not written yet: the owner is between two calls; wait for it.
      }
      if (pid === process.pid) break;
      if (Number.isFinite(pid) && !alive(pid)) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`test lock ${dir} held by pid ${pid} for over ${WAIT_MAX_MS / 60_000} minutes`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', release);
  return release;
}

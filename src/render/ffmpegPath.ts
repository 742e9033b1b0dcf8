/**
 * The ffmpeg that `render` runs: $LATENTVJ_FFMPEG, else `ffmpeg` on PATH, else the binary that the
 * `@ffmpeg-installer/<platform>-<arch>` npm package carries inside it. A small local resolver, kept to the same
 * shape as the project-wide one (`ffmpegBinary()`), so switching to that is a one-line import change.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { UserError } from '../errors.js';

export interface FfmpegBinary {
  path: string;
  source: 'env' | 'system' | 'npm';
}

const exeName = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';

function executable(p: string): boolean {
  try {
    accessSync(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env): FfmpegBinary | null {
  const chosen = env['LATENTVJ_FFMPEG'];
  if (chosen) return { path: chosen, source: 'env' };
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir && executable(join(dir, exeName))) return { path: join(dir, exeName), source: 'system' };
  }
  try {
    const pkg = createRequire(import.meta.url).resolve(`@ffmpeg-installer/${process.platform}-${process.arch}/package.json`);
    const p = join(dirname(pkg), exeName);
    if (existsSync(p) && executable(p)) return { path: p, source: 'npm' };
  } catch {
    // not installed
  }
  return null;
}

/** The ffmpeg path, or a UserError saying how to get one. */
export function requireFfmpeg(): string {
  const b = resolveFfmpeg();
  if (!b) {
    throw new UserError(
      'render needs ffmpeg, which was not found: install it (Debian/Ubuntu: sudo apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg), or npm install @ffmpeg-installer/ffmpeg, or set LATENTVJ_FFMPEG',
    );
  }
  return b.path;
}

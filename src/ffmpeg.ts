/**
 * Which ffmpeg executable runs: decoding compressed audio and encoding video both spawn it. In order:
 * `$LATENTVJ_FFMPEG` (a path the user chose), the system's `ffmpeg` on PATH (kept up to date by the OS, usually
 * newer codecs), then the static binary that `@ffmpeg-installer/<platform>-<arch>` carries inside its npm
 * package, so a machine without a system ffmpeg still decodes and encodes after `npm install`.
 * The choice is made once per process and said once in the log.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { logger } from './log.js';

export type FfmpegSource = 'env' | 'system' | 'npm';

export interface FfmpegBinary {
  path: string;
  source: FfmpegSource;
}

export const FFMPEG_INSTALL_HINT =
  'install ffmpeg (Debian/Ubuntu: sudo apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg), or run npm install so that @ffmpeg-installer brings its own';

const exeName = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';

function isExecutable(p: string): boolean {
  try {
    accessSync(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `ffmpeg` on a PATH string, or null. */
export function findOnPath(pathEnv: string | undefined): string | null {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, exeName);
    if (isExecutable(p)) return p;
  }
  return null;
}

/** The binary shipped in the platform package of @ffmpeg-installer, or null where none is installed. */
export function findNpmFfmpeg(): string | null {
  const req = createRequire(import.meta.url);
  try {
    const pkg = req.resolve(`@ffmpeg-installer/${process.platform}-${process.arch}/package.json`);
    const p = join(dirname(pkg), exeName);
    return existsSync(p) && isExecutable(p) ? p : null;
  } catch {
    return null;
  }
}

export interface ResolveFfmpegOptions {
  env?: NodeJS.ProcessEnv;
}

/** Resolves without caching or logging; `ffmpegBinary()` is the cached, logged form the product uses. */
export function resolveFfmpeg(opts: ResolveFfmpegOptions = {}): FfmpegBinary | null {
  const env = opts.env ?? process.env;
  const chosen = env['LATENTVJ_FFMPEG'];
  if (chosen) return { path: chosen, source: 'env' };
  const system = findOnPath(env['PATH']);
  if (system) return { path: system, source: 'system' };
  const npm = findNpmFfmpeg();
  if (npm) return { path: npm, source: 'npm' };
  return null;
}

let cached: FfmpegBinary | null | undefined;

/** The ffmpeg this process uses (null when there is none); logged once at the first call. */
export function ffmpegBinary(): FfmpegBinary | null {
  if (cached !== undefined) return cached;
  cached = resolveFfmpeg();
  const log = logger('ffmpeg');
  if (!cached) log.warn(`no ffmpeg found; ${FFMPEG_INSTALL_HINT}`);
  else if (cached.source === 'env') log.info(`using ffmpeg from LATENTVJ_FFMPEG: ${cached.path}`);
  else if (cached.source === 'system') log.info(`using the system ffmpeg: ${cached.path}`);
  else log.info(`no system ffmpeg on PATH; using the one bundled with @ffmpeg-installer: ${cached.path}`);
  return cached;
}

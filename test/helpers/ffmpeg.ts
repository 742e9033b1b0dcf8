/**
 * The ffmpeg the tests' own probes and decodes run: the one the commands under test resolve (tools/run-tests.js
 * may choose it through LATENTVJ_FFMPEG), so a probe reads what the same build wrote. PATH's `ffmpeg` where none
 * resolves, which then fails with ffmpeg's own error.
 */
import { resolveFfmpeg } from '../../src/ffmpeg.js';

export const testFfmpeg = (): string => resolveFfmpeg()?.path ?? 'ffmpeg';

/** The environment for a command that should resolve ffmpeg as a user's would: the system's first (see src/ffmpeg.ts). */
export function userFfmpegEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['LATENTVJ_FFMPEG'];
  return env;
}

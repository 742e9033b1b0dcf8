/** The ffmpeg that `render` runs (see src/ffmpeg.ts for the order), or a UserError saying how to get one. */
import { UserError } from '../errors.js';
import { FFMPEG_INSTALL_HINT, ffmpegBinary } from '../ffmpeg.js';

export function requireFfmpeg(): string {
  const b = ffmpegBinary();
  if (!b) throw new UserError(`render needs ffmpeg, which was not found: ${FFMPEG_INSTALL_HINT}, or set LATENTVJ_FFMPEG`);
  return b.path;
}

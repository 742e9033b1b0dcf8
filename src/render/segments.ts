/**
 * How a render is cut into segments. Every segment but the last has the same length; the last is never so short
 * that x264 has no B-frames to hold back in it. A segment that short starts its decode times two frames later than
 * the others, and the mp4 muxer of ffmpeg 4 (the static build @ffmpeg-installer ships) counts that gap into the
 * joined video's duration: two frames longer than its audio.
 */

/** A last segment at least this long reorders like the others (x264's B-frames need 3 frames; 8 leaves margin). */
export const MIN_LAST_SEGMENT_FRAMES = 8;

/**
 * Frames per segment for `frameCount` frames when about `wantedFrames` were asked for: the wish itself, unless it
 * leaves a last segment shorter than MIN_LAST_SEGMENT_FRAMES; then the frames spread over fewer, slightly longer
 * segments until the last is long enough. Wishes shorter than that cut every segment short alike and are kept.
 */
export function segmentFramesFor(frameCount: number, wantedFrames: number): number {
  const want = Math.max(1, Math.round(wantedFrames));
  if (want < MIN_LAST_SEGMENT_FRAMES) return want;
  for (let n = Math.ceil(frameCount / want); n > 1; n--) {
    const frames = Math.max(want, Math.ceil(frameCount / n));
    const last = frameCount - (Math.ceil(frameCount / frames) - 1) * frames;
    if (last >= MIN_LAST_SEGMENT_FRAMES) return frames;
  }
  return Math.max(want, frameCount);
}

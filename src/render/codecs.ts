/**
 * The codecs `render` writes, as one table: ffmpeg's encoder, its pixel format, how --crf maps onto it, which
 * containers hold it and which audio codec goes beside it.
 *
 * `png` is a lossless PNG-in-MOV video (ffmpeg's `png` encoder in a QuickTime file), not an image sequence: one
 * file with the audio muxed in, that editors (Resolve, Premiere, After Effects) import as a clip, and whose
 * segments join without re-encoding. An image sequence can be had from it with `ffmpeg -i out.mov f%05d.png`.
 */
import { extname } from 'node:path';
import { UserError } from '../errors.js';

export type CodecName = 'h264' | 'h265' | 'prores' | 'png';

export interface CodecSpec {
  name: CodecName;
  /** ffmpeg -c:v and its options. */
  encoder: string;
  pixFmt: string;
  /** Options for a given --crf (null when the codec has no quality knob: ProRes profile, lossless PNG). */
  quality(crf: number): string[];
  defaultCrf: number;
  crfRange: [number, number];
  /** 4:2:0 chroma: both sides must be even. */
  evenSides: boolean;
  /** Containers (file extensions) that hold this codec; the first is the default. */
  containers: string[];
  /** Audio codec per container. */
  audio(container: string): string[];
  /** Extra flags for a codec in a container (e.g. the hvc1 tag players want for H.265 in MP4/MOV). */
  tag(container: string): string[];
}

const aac = ['-c:a', 'aac', '-b:a', '192k'];
const pcm = ['-c:a', 'pcm_s16le'];

/** The encoder threads of h264/h265, the same on every machine (see the h264 entry). */
export const ENCODER_THREADS = 4;

export const CODECS: Record<CodecName, CodecSpec> = {
  h264: {
    name: 'h264',
    encoder: 'libx264',
    pixFmt: 'yuv420p',
    // x264 is deterministic for a given thread count, but its frame threads change the bits (and the decoded
    // pictures: 3 threads vs 1) and its default count follows the machine's cores. Pinned, so a segment is the
    // same file on any machine: a queued render's workers and a resumed render agree with a one-machine render.
    // Four frame threads cost a few % more CPU than one and keep a 1080p encode ahead of a GPU generator.
    // `superfast` at CRF 16 rather than x264's own default (`medium`, CRF 23) or `medium` at 18: on the generator's
    // pictures (256², 120 frames of the demo) it matches medium/18 within 0.0002 SSIM and 0.25 dB PSNR
    // (0.9833 / 41.64 dB against 0.9834 / 41.86 dB) for 27 % more bytes and 27 % of the encoder's CPU time (1.8
    // against 6.6 ms a frame on one core; veryfast/16: 2.8 ms, same quality and size). A render shares the CPU
    // with the generator, so the encoder's time is the render's time; bytes are cheap. Smaller at the same
    // quality: --codec h265.
    quality: (crf) => ['-preset', 'superfast', '-crf', String(crf), '-threads', String(ENCODER_THREADS)],
    defaultCrf: 16,
    crfRange: [0, 51],
    evenSides: true,
    containers: ['.mp4', '.mov', '.mkv'],
    audio: () => aac,
    tag: () => [],
  },
  h265: {
    name: 'h265',
    encoder: 'libx265',
    pixFmt: 'yuv420p',
    // As x264: x265's frame threads and its pool size (both default to the core count) change the bits; pinned.
    quality: (crf) => ['-preset', 'medium', '-crf', String(crf), '-x265-params', `log-level=error:pools=${ENCODER_THREADS}:frame-threads=2`],
    defaultCrf: 22,
    crfRange: [0, 51],
    evenSides: true,
    containers: ['.mp4', '.mov', '.mkv'],
    audio: () => aac,
    tag: (c) => (c === '.mp4' || c === '.mov' ? ['-tag:v', 'hvc1'] : []),
  },
  prores: {
    name: 'prores',
    // ProRes 422 HQ (profile 3): the editing-room default. --crf has no meaning here; quality is the profile's.
    encoder: 'prores_ks',
    pixFmt: 'yuv422p10le',
    quality: () => ['-profile:v', '3', '-vendor', 'apl0'],
    defaultCrf: 0,
    crfRange: [0, 0],
    evenSides: true,
    containers: ['.mov', '.mkv'],
    audio: () => pcm,
    tag: () => [],
  },
  png: {
    name: 'png',
    encoder: 'png',
    pixFmt: 'rgb24',
    quality: () => [],
    defaultCrf: 0,
    crfRange: [0, 0],
    evenSides: false,
    containers: ['.mov', '.mkv'],
    audio: () => pcm,
    tag: () => [],
  },
};

export function parseCodec(spec: string): CodecSpec {
  const c = (Object.keys(CODECS) as CodecName[]).find((k) => k === spec.toLowerCase());
  if (!c) throw new UserError(`--codec ${spec}: expected one of ${Object.keys(CODECS).join(', ')}`);
  return CODECS[c];
}

/** The container from the output's extension, checked against the codec. */
export function containerFor(out: string, codec: CodecSpec): string {
  const ext = extname(out).toLowerCase();
  if (!codec.containers.includes(ext)) {
    throw new UserError(`--out ${out}: ${codec.name} is written to ${codec.containers.join(', ')} files, not '${ext || '(no extension)'}'`);
  }
  return ext;
}

/** --crf checked against the codec (codecs without a quality knob accept only their default). */
export function parseCrf(spec: string | undefined, codec: CodecSpec): number {
  if (spec === undefined) return codec.defaultCrf;
  const n = Number(spec);
  const [lo, hi] = codec.crfRange;
  if (lo === hi) {
    if (!Number.isFinite(n)) throw new UserError(`--crf ${spec}: not a number`);
    throw new UserError(`--crf ${spec}: ${codec.name} has no --crf (its quality is fixed)`);
  }
  if (!Number.isInteger(n) || n < lo || n > hi) throw new UserError(`--crf ${spec}: expected an integer from ${lo} to ${hi} for ${codec.name}`);
  return n;
}

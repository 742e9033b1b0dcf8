/**
 * The output picture's size and how the model's picture is fitted into it: the output page's fit modes (fit =
 * letterbox, fill = crop, stretch), done by ffmpeg's scaler with the Lanczos filter (a 3-lobe windowed sinc:
 * sharp, little ringing; the usual choice for up- and downscaling video).
 */
import { UserError } from '../errors.js';

export type FitMode = 'fit' | 'fill' | 'stretch';
export const FIT_MODES: readonly FitMode[] = ['fit', 'fill', 'stretch'];

export interface Size {
  width: number;
  height: number;
}

/** Large enough for 8K; beyond it the encoders refuse or the pipe would move gigabytes per second. */
export const MAX_SIDE = 8192;

/**
 * `--size WxH` (or `W:H`, `W×H`). H.264/H.265 with 4:2:0 chroma need even sides, so `evenOnly` refuses odd ones
 * instead of letting ffmpeg fail after the first frame.
 */
export function parseSize(spec: string, evenOnly: boolean): Size {
  const m = /^\s*(\d+)\s*[x×:]\s*(\d+)\s*$/i.exec(spec);
  if (!m) throw new UserError(`--size ${spec}: expected WIDTHxHEIGHT, e.g. 1280x720`);
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width < 2 || height < 2 || width > MAX_SIDE || height > MAX_SIDE) {
    throw new UserError(`--size ${spec}: each side must be from 2 to ${MAX_SIDE} pixels`);
  }
  if (evenOnly && (width % 2 !== 0 || height % 2 !== 0)) {
    throw new UserError(`--size ${spec}: this codec stores colour at half resolution (4:2:0), so both sides must be even`);
  }
  return { width, height };
}

export function parseFit(spec: string): FitMode {
  const f = FIT_MODES.find((x) => x === spec);
  if (!f) throw new UserError(`--fit ${spec}: expected one of ${FIT_MODES.join(', ')}`);
  return f;
}

/** The scaled picture's size before padding (fit) or cropping (fill); even, so chroma subsampling stays aligned. */
export function scaledSize(src: Size, dst: Size, fit: FitMode): Size {
  if (fit === 'stretch') return { ...dst };
  const sx = dst.width / src.width;
  const sy = dst.height / src.height;
  const s = fit === 'fit' ? Math.min(sx, sy) : Math.max(sx, sy);
  const even = (v: number, limit: number): number => {
    const r = Math.max(2, 2 * Math.round((v * s) / 2));
    // Rounding may step one pixel past the target on the fitted side; clamp to it.
    return fit === 'fit' ? Math.min(r, limit) : Math.max(r, limit);
  };
  return { width: even(src.width, dst.width), height: even(src.height, dst.height) };
}

/**
 * The ffmpeg filter chain from the model's picture to the output size. Padding and cropping are centred; the
 * letterbox is black. `setsar=1` keeps players from stretching the square pixels.
 */
export function scaleFilter(src: Size, dst: Size, fit: FitMode): string {
  const sc = scaledSize(src, dst, fit);
  const parts: string[] = [];
  if (sc.width !== src.width || sc.height !== src.height) parts.push(`scale=${sc.width}:${sc.height}:flags=lanczos+accurate_rnd+full_chroma_int`);
  if (fit === 'fit' && (sc.width !== dst.width || sc.height !== dst.height)) {
    parts.push(`pad=${dst.width}:${dst.height}:${(dst.width - sc.width) >> 1}:${(dst.height - sc.height) >> 1}:black`);
  } else if (fit === 'fill' && (sc.width !== dst.width || sc.height !== dst.height)) {
    parts.push(`crop=${dst.width}:${dst.height}:${(sc.width - dst.width) >> 1}:${(sc.height - dst.height) >> 1}`);
  }
  parts.push('setsar=1');
  return parts.join(',');
}

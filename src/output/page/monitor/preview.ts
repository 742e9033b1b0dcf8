/**
 * The small picture: throttled frames (/frames?role=preview) put through the output's present pass (colour post
 * and blackout, as shaders/present.frag.glsl does it) so the preview shows what the output shows: black during a
 * blackout, the held picture during a freeze. Trails and the scene crossfade (compose pass) are not reproduced.
 */
import { checkFrameMessage, emptyFrameHeader, FRAME_HEADER_BYTES, readFrameHeader, type DisplayPost } from '../../protocol.js';
import { ReconnectingSocket } from '../socket.js';
import { $, text } from './dom.js';

const TAU = Math.PI * 2;

/** The present pass on RGBA bytes: hue rotation in YIQ, contrast around mid-grey, brightness, then blackout. */
export function present(src: Uint8Array, dst: Uint8ClampedArray, post: DisplayPost): void {
  if (post.blackout) {
    dst.fill(0);
    for (let i = 3; i < dst.length; i += 4) dst[i] = 255;
    return;
  }
  const a = post.hueShift * TAU;
  const cs = Math.cos(a);
  const sn = Math.sin(a);
  const hue = post.hueShift !== 0;
  const k = post.contrast;
  const b = post.brightness;
  for (let i = 0; i < dst.length; i += 4) {
    let r = src[i]! / 255;
    let g = src[i + 1]! / 255;
    let bl = src[i + 2]! / 255;
    if (hue) {
      const y = 0.299 * r + 0.587 * g + 0.114 * bl;
      const ii = 0.596 * r - 0.274 * g - 0.322 * bl;
      const q = 0.211 * r - 0.523 * g + 0.312 * bl;
      const i2 = ii * cs - q * sn;
      const q2 = ii * sn + q * cs;
      r = y + 0.956 * i2 + 0.621 * q2;
      g = y - 0.272 * i2 - 0.647 * q2;
      bl = y - 1.106 * i2 + 1.703 * q2;
    }
    // Uint8ClampedArray clamps to 0..255 as the shader's clamp does.
    dst[i] = ((r - 0.5) * k + 0.5 + b) * 255;
    dst[i + 1] = ((g - 0.5) * k + 0.5 + b) * 255;
    dst[i + 2] = ((bl - 0.5) * k + 0.5 + b) * 255;
    dst[i + 3] = 255;
  }
}

export interface Preview {
  /** Frames drawn so far. */
  readonly count: number;
  /** The post of the latest state: redraws the held frame when it changed. */
  setPost(post: DisplayPost): void;
}

export function startPreview(onFrame: () => void): Preview {
  const canvas = $<HTMLCanvasElement>('preview');
  const g = canvas.getContext('2d');
  const header = emptyFrameHeader();
  let raw: Uint8Array | null = null;
  let image: ImageData | null = null;
  let post: DisplayPost | null = null;
  let postKey = '';
  let count = 0;

  const draw = (): void => {
    if (!g) return;
    if (!image || !raw) {
      // No frame yet: a blackout still shows black.
      if (post?.blackout) {
        g.fillStyle = '#000';
        g.fillRect(0, 0, canvas.width, canvas.height);
      }
      return;
    }
    if (post) present(raw, image.data, post);
    else image.data.set(raw);
    g.putImageData(image, 0, 0);
  };

  new ReconnectingSocket({
    path: '/frames?role=preview',
    onBinary: (data) => {
      if (checkFrameMessage(data) || !g) return;
      // Freeze: the output keeps showing the picture it has, and so does the preview.
      if (post?.freeze && raw) return;
      const bytes = new Uint8Array(data);
      readFrameHeader(bytes, header);
      if (!image || image.width !== header.width || image.height !== header.height) {
        image = new ImageData(header.width, header.height);
        raw = new Uint8Array(header.width * header.height * 4);
        canvas.width = header.width;
        canvas.height = header.height;
      }
      raw!.set(bytes.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + raw!.length));
      draw();
      count += 1;
      onFrame();
      text('preview-label', `frame ${header.frame} · ${header.width}×${header.height}${post?.blackout ? ' · BLACKOUT' : ''}`);
    },
  });

  return {
    get count() {
      return count;
    },
    setPost(p) {
      const key = `${p.blackout}|${p.freeze}|${p.brightness}|${p.contrast}|${p.hueShift}`;
      post = p;
      if (key === postKey) return;
      postKey = key;
      draw();
    },
  };
}

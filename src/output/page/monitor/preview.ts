/**
 * The small picture: throttled frames (/frames?role=preview) put through the output's present pass (colour post
 * and blackout, as shaders/present.frag.glsl does it) so the preview shows what the output shows: black during a
 * blackout, the held picture during a freeze. Trails and the scene crossfade (compose pass) are not reproduced.
 */
import { checkFrameMessage, emptyFrameHeader, FRAME_HEADER_BYTES, readFrameHeader, type DisplayPost } from '../../protocol.js';
import { ReconnectingSocket } from '../socket.js';
import { $, text } from './dom.js';
import { colourGrade, gradePixel } from '../../../math/colourGrade.js';

/** The present pass on RGBA bytes: hue rotation in YIQ, contrast around mid-grey, brightness, then blackout. */
export function present(src: Uint8Array, dst: Uint8ClampedArray, post: DisplayPost): void {
  if (post.blackout) {
    dst.fill(0);
    for (let i = 3; i < dst.length; i += 4) dst[i] = 255;
    return;
  }
  const grade = colourGrade(post.hueShift, post.contrast, post.brightness);
  const px = new Float64Array(3);
  for (let i = 0; i < dst.length; i += 4) {
    gradePixel(src[i]! / 255, src[i + 1]! / 255, src[i + 2]! / 255, grade, px);
    // Uint8ClampedArray clamps to 0..255 as the shader's clamp does.
    dst[i] = px[0]! * 255;
    dst[i + 1] = px[1]! * 255;
    dst[i + 2] = px[2]! * 255;
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

/**
 * The output page's post on the CPU, at the model's resolution, so a rendered video shows what the show showed:
 * trails (mix with the previous composed picture), the scene crossfade (mix with the previous scene's last
 * picture), then hue rotation in YIQ, contrast around mid-grey, brightness, and blackout — the formulas of
 * shaders/compose.frag.glsl and shaders/present.frag.glsl. Freeze repeats the last composed picture. The page
 * composes at display size after its bicubic upscale; here the composition happens before ffmpeg's scaler,
 * which is the same for every operation but trails' sub-pixel blur.
 */
import type { PostParams } from '../visual/types.js';
import { colourGrade, gradePixel } from '../math/colourGrade.js';

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

export class PostProcessor {
  /** The last composed picture (float 0..1 RGB), for trails and freeze. */
  private composed: Float32Array | null = null;
  /** The previous scene's last composed picture, for the crossfade. */
  private snapshot: Float32Array | null = null;
  private scene: number | string | null = null;
  /** The last picture when it went through untouched (composed is then null). */
  private lastRgba: Uint8Array | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  /** Post-processed RGBA for one frame (the input itself when the post is neutral and nothing is remembered). */
  apply(rgba: Uint8Array, post: PostParams, scene: number | string): Uint8Array {
    const n = this.width * this.height;
    const sceneChanged = this.scene !== null && scene !== this.scene;
    this.scene = scene;
    if (sceneChanged) {
      this.materialise(n);
      if (this.composed) this.snapshot = Float32Array.from(this.composed);
    }
    const trails = Math.min(0.98, Math.max(0, post.trails));
    const fade = clamp01(post.crossfade);
    const needsMemory = trails > 0 || fade > 0 || post.freeze;
    const neutralColour = post.brightness === 0 && post.contrast === 1 && post.hueShift === 0 && !post.blackout;
    if (!needsMemory && neutralColour) {
      // Remember the picture (by reference: the generator hands each frame its own buffer), converted only when
      // a later frame's trails or crossfade mixes it back in.
      this.lastRgba = rgba;
      this.composed = null;
      return rgba;
    }
    this.materialise(n);
    if (!post.freeze || !this.composed) {
      const prev = this.composed;
      const next = new Float32Array(n * 3);
      const snap = this.snapshot;
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < 3; c++) {
          let v = rgba[i * 4 + c]! / 255;
          if (prev) v = v + (prev[i * 3 + c]! - v) * trails;
          if (snap && fade > 0) v = v + (snap[i * 3 + c]! - v) * fade;
          next[i * 3 + c] = v;
        }
      }
      this.composed = next;
    }
    return this.present(this.composed, post, n);
  }

  /** The memory a resumed render needs: the composed picture and the crossfade snapshot (float32, RGB). */
  save(): { bytes: Uint8Array; scene: number | string | null } {
    this.materialise(this.width * this.height);
    const n = this.width * this.height * 3;
    const buf = new Float32Array(2 + 2 * n);
    buf[0] = this.composed ? 1 : 0;
    buf[1] = this.snapshot ? 1 : 0;
    if (this.composed) buf.set(this.composed, 2);
    if (this.snapshot) buf.set(this.snapshot, 2 + n);
    return { bytes: new Uint8Array(buf.buffer), scene: this.scene };
  }

  load(bytes: Uint8Array, scene: number | string | null): void {
    const n = this.width * this.height * 3;
    const copy = new Uint8Array(bytes); // aligned for the float view
    const buf = new Float32Array(copy.buffer);
    if (buf.length !== 2 + 2 * n) throw new Error(`post state has ${buf.length} values, expected ${2 + 2 * n}`);
    this.composed = buf[0] === 1 ? buf.slice(2, 2 + n) : null;
    this.snapshot = buf[1] === 1 ? buf.slice(2 + n) : null;
    this.lastRgba = null;
    this.scene = scene;
  }

  /** The remembered picture as floats, when it is only held as RGBA. */
  private materialise(n: number): void {
    if (this.composed || !this.lastRgba) return;
    const rgba = this.lastRgba;
    this.lastRgba = null;
    const c = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      c[i * 3] = rgba[i * 4]! / 255;
      c[i * 3 + 1] = rgba[i * 4 + 1]! / 255;
      c[i * 3 + 2] = rgba[i * 4 + 2]! / 255;
    }
    this.composed = c;
  }

  /** One graded pixel, reused across calls. */
  private readonly px = new Float64Array(3);

  private present(src: Float32Array, post: PostParams, n: number): Uint8Array {
    const out = new Uint8Array(n * 4);
    const grade = colourGrade(post.hueShift, post.contrast, post.brightness);
    const px = this.px;
    const keep = post.blackout ? 0 : 1;
    for (let i = 0; i < n; i++) {
      gradePixel(src[i * 3]!, src[i * 3 + 1]!, src[i * 3 + 2]!, grade, px);
      out[i * 4] = Math.round(clamp01(px[0]!) * keep * 255);
      out[i * 4 + 1] = Math.round(clamp01(px[1]!) * keep * 255);
      out[i * 4 + 2] = Math.round(clamp01(px[2]!) * keep * 255);
      out[i * 4 + 3] = 255;
    }
    return out;
  }
}

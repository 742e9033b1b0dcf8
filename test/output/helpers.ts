/** Shared pieces of the output tests: a real EngineServer with the outputs, Debian's chromium (./chromium.ts), test frames. */
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { EngineServer } from '../../src/output/server.js';
import { createOutputs, type OutputsOptions, type OutputsStage } from '../../src/output/outputs.js';
import type { Frame } from '../../src/generator/types.js';
import { neutralPostParams, type FrameParams, type PostParams } from '../../src/contracts/frameParams.js';
import { bareParams } from '../helpers/frameParams.js';
import type { Features } from '../../src/contracts/features.js';

export * from './chromium.js';

/** A page at `url` whose console errors and uncaught exceptions are pushed to `errors` (a test expects none). */
export async function openPage(browser: Browser, url: string, viewport: { width: number; height: number }, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return page;
}

export interface Running {
  server: EngineServer;
  outputs: OutputsStage;
  close(): Promise<void>;
}

export async function startOutputs(port = 0, options: Partial<OutputsOptions> = {}): Promise<Running> {
  const server = new EngineServer({ host: '127.0.0.1', port });
  const outputs = createOutputs(server, options);
  await server.listen();
  return {
    server,
    outputs,
    close: async () => {
      await outputs.close();
      await server.close();
    },
  };
}

/** A smooth test picture (gradients, so bicubic upscaling reproduces it closely); `variant` changes it. */
export function testPattern(width: number, height: number, variant: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / (width - 1);
      const v = y / (height - 1);
      const i = (y * width + x) * 4;
      const r = variant % 2 === 0 ? u : 1 - u;
      const g = variant % 3 === 0 ? v : 1 - v;
      const b = 0.5 + 0.4 * Math.sin(2 * Math.PI * (u + v) * 0.5 + variant);
      rgba[i] = Math.round(r * 255);
      rgba[i + 1] = Math.round(g * 255);
      rgba[i + 2] = Math.round(b * 255);
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

export function makeFrame(frame: number, width: number, height: number, rgba: Uint8Array, audioT = frame / 30): Frame {
  const now = performance.now();
  return { frame, width, height, rgba, stamps: { audioT, paramsAt: now - 20, inferStart: now - 15, inferEnd: now, sentAt: now } };
}

export function paramsWith(post: Partial<PostParams>, scene: number | string = 0, frame = 0): FrameParams {
  return bareParams(frame, frame / 30, { scene, post: { ...neutralPostParams(), ...post } });
}

export function features(t: number, level: number, events: Features['events'] = []): Features {
  const chroma = new Float32Array(12);
  const bassChroma = new Float32Array(12);
  chroma[Math.floor(t * 2) % 12] = level;
  chroma[(Math.floor(t * 2) + 4) % 12] = level * 0.6;
  bassChroma[Math.floor(t) % 12] = level;
  return {
    t,
    chroma,
    bassChroma,
    onset: { all: level, kick: level, snare: level * 0.5, hats: 1 - level },
    events,
    rms: level,
    rmsSlow: 0.5,
    bandRms: { low: level, mid: 0.4, high: 1 - level },
    novelty: level * 0.3,
    section: Math.floor(t / 4),
    tempo: { bpm: 120, beatPhase: (t * 2) % 1, barPhase: (t / 2) % 1, confidence: 0.8, source: 'analysis' },
  };
}

export interface Image {
  width: number;
  height: number;
  data: Uint8Array;
}

export function decodePng(buf: Buffer): Image {
  const png = PNG.sync.read(buf);
  return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
}

/**
 * Compares a screenshot of a frame drawn with `fit=stretch` (or an exact-aspect fit) against the frame,
 * sampled bilinearly at each screen pixel's centre. Returns mean and 99th-percentile absolute RGB error.
 */
export function compareUpscaled(shot: Image, frame: Uint8Array, fw: number, fh: number): { mean: number; p99: number } {
  const errs: number[] = [];
  const sx = fw / shot.width;
  const sy = fh / shot.height;
  const at = (x: number, y: number, c: number) => {
    const xi = Math.min(fw - 1, Math.max(0, x));
    const yi = Math.min(fh - 1, Math.max(0, y));
    return frame[(yi * fw + xi) * 4 + c]!;
  };
  for (let Y = 0; Y < shot.height; Y++) {
    for (let X = 0; X < shot.width; X++) {
      const u = (X + 0.5) * sx - 0.5;
      const v = (Y + 0.5) * sy - 0.5;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      for (let c = 0; c < 3; c++) {
        const ref =
          (1 - fy) * ((1 - fx) * at(x0, y0, c) + fx * at(x0 + 1, y0, c)) + fy * ((1 - fx) * at(x0, y0 + 1, c) + fx * at(x0 + 1, y0 + 1, c));
        errs.push(Math.abs(shot.data[(Y * shot.width + X) * 4 + c]! - ref));
      }
    }
  }
  errs.sort((a, b) => a - b);
  const mean = errs.reduce((s, e) => s + e, 0) / errs.length;
  return { mean, p99: errs[Math.floor(errs.length * 0.99)]! };
}

export function maxChannel(img: Image): number {
  let m = 0;
  for (let i = 0; i < img.data.length; i += 4) m = Math.max(m, img.data[i]!, img.data[i + 1]!, img.data[i + 2]!);
  return m;
}

/** One entry of window.__latentvjRecord on /output?record=1 (the page's RecordedFrame, src/output/page/output.ts). */
export interface RecordedFrame {
  frame: number;
  audioT: number;
  prevFrame: number;
  prevAudioT: number;
  /** Mean absolute RGB difference (0..255) of the displayed picture against the one read back at prevFrame. */
  diff: number;
  pageMs: number;
}

export interface DiffStats {
  n: number;
  mean: number;
}

/**
 * Splits recorded frames into those whose audio-time stamp lies within `windowS` after a true kick (the
 * change the kick caused shows in them) and the rest, with the mean displayed change of each.
 */
export function kickSplit(frames: readonly RecordedFrame[], kicksS: readonly number[], windowS: number): { kick: DiffStats; other: DiffStats } {
  const kick = { n: 0, sum: 0 };
  const other = { n: 0, sum: 0 };
  for (const f of frames) {
    const onKick = kicksS.some((k) => f.audioT - k >= 0 && f.audioT - k < windowS);
    const s = onKick ? kick : other;
    s.n += 1;
    s.sum += f.diff;
  }
  const stats = (s: { n: number; sum: number }): DiffStats => ({ n: s.n, mean: s.n ? s.sum / s.n : 0 });
  return { kick: stats(kick), other: stats(other) };
}

/**
 * One model's share of the render benchmark (bench/render.bench.ts): mapping, generator alone, whole renders
 * (generator + post + ffmpeg) and the encoder's own CPU, on a window of the demo track already analysed. Each
 * model (the default one, full-size StyleGAN2s) goes through the same steps; the figures come back for printing.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../src/generator/graph/manifest.js';
import { createMapper } from '../src/mapping/index.js';
import { CODECS } from '../src/render/codecs.js';
import { SegmentWriter } from '../src/render/encoder.js';
import { frameWindow, middleFrameSource, type DecodedTrack, type FrameSource, type FrameWindow } from '../src/render/frameSource.js';
import { OfflineGenerator, type FrameInputs } from '../src/render/offlineGenerator.js';
import { render } from '../src/render/render.js';
import type { withOfflineEars } from '../src/render/offlineEars.js';
import { createOnnxLatentProvider } from '../src/visual/latents.js';

export const FPS = 30;
/** A render's segment length: the encoder's start and finish are paid once per this many frames. */
export const SEGMENT_FRAMES = 10 * FPS;
/** Where the window starts in the demo track (the mapper steps from 0 s, as a render of a window does). */
const WINDOW_START_S = 14;

export interface Timing {
  ms: number;
  cpuMs: number | null;
}

/**
 * CPU time (ms) of this process, all threads, plus its children that have ended (ffmpeg), from /proc/self/stat;
 * null off Linux.
 */
export function cpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // utime, stime, cutime, cstime: fields 14–17 of proc(5), counted here from field 3.
    const ticks = [11, 12, 13, 14].reduce((a, i) => a + Number(fields[i]), 0);
    return (ticks * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}
/** sysconf(_SC_CLK_TCK): 100 on every Linux that Node supports. */
const CLOCK_TICKS_PER_S = 100;

const minOrNull = (xs: Array<number | null>): number | null => (xs.every((x) => x !== null) ? Math.min(...(xs as number[])) : null);

export interface RenderCase {
  modelDir: string;
  frames: number;
  /** Generator-only and the render at the model's size run this many times, alternately; the faster counts. */
  repeats: number;
  /** Also the generator at batch ≤ 4 and a 1280×720 render (the default model's extra lines). */
  extras: boolean;
}

export interface RenderRun {
  /** Wall time without the mapping; steady: also without the join. */
  ms: number;
  steadyMs: number;
  /** Waiting on ffmpeg, the join included. */
  encodeMs: number;
  postMs: number;
  cpuMs: number | null;
}

export interface RenderFigures {
  width: number;
  height: number;
  ep: string;
  frames: number;
  window: FrameWindow;
  repeats: number;
  mappingMs: number;
  gen1Ms: number;
  genCpuMs: number | null;
  /** The render at the model's own size (best of the repeats) and its CPU. */
  native: RenderRun;
  nativeCpuMs: number | null;
  gen4?: { ms: number; calls: number };
  hd?: RenderRun;
  /** Encoder CPU for 1 picture and for all of them (one segment each); null off Linux. */
  enc1: number | null;
  encN: number | null;
}

export interface RenderShared {
  track: DecodedTrack;
  features: ReturnType<typeof withOfflineEars>['features'];
  ffmpeg: string;
  tmp: string;
}

export async function measureRender(shared: RenderShared, c: RenderCase): Promise<RenderFigures> {
  const { track, features, ffmpeg, tmp } = shared;
  const { modelDir } = c;
  const manifest = await readManifest(modelDir);
  const latents = await createOnnxLatentProvider(modelDir, manifest);
  const window = frameWindow(FPS, track.durationS, WINDOW_START_S, c.frames / FPS);
  const source = async (): Promise<FrameSource> => middleFrameSource(features, await createMapper({ file: 'default', manifest, latents, watch: false }), window);
  const gen1 = await OfflineGenerator.open({ modelDir, ep: 'auto', batch: 1 });
  const gen4 = c.extras ? await OfflineGenerator.open({ modelDir, ep: 'auto', batch: 4 }) : null;
  try {
    // Mapping alone: the frames before the window are stepped too (as in a render of a window).
    const s0 = await source();
    let t = performance.now();
    for await (const p of s0.frames()) void p;
    const mappingMs = performance.now() - t;
    await s0.close();
    const s1 = await source();
    const inputs: FrameInputs[] = [];
    for await (const p of s1.frames()) inputs.push(gen1.inputs(p));
    await s1.close();

    await gen1.run(inputs.slice(0, 2)); // warm-up
    let pictures: Uint8Array[] = [];
    const genOnly = async (): Promise<Timing> => {
      const c0 = cpuMs();
      const w = performance.now();
      pictures = await gen1.run(inputs);
      return { ms: performance.now() - w, cpuMs: c0 === null ? null : cpuMs()! - c0 };
    };
    let gen4Figures: RenderFigures['gen4'];
    if (gen4) {
      await gen4.run(inputs.slice(0, 2));
      const calls0 = gen4.calls;
      t = performance.now();
      await gen4.run(inputs);
      gen4Figures = { ms: performance.now() - t, calls: gen4.calls - calls0 };
    }

    const renderAt = async (width: number, height: number): Promise<RenderRun> => {
      const out = join(tmp, `r-${width}x${height}.mp4`);
      const src = await source();
      const c0 = cpuMs();
      const r = await render({
        source: src,
        generator: gen1,
        ffmpeg,
        codec: CODECS.h264,
        crf: CODECS.h264.defaultCrf,
        container: '.mp4',
        output: { width, height },
        fit: 'fit',
        out,
        partialDir: `${out}.partial`,
        segmentFrames: SEGMENT_FRAMES,
        audio: { file: track.file },
        settings: { bench: width },
        resume: false,
        progress: { isTTY: false, write: () => undefined },
        stop: { requested: false },
      });
      // The mapping runs on this thread: its CPU time is about its wall time.
      const cpu = c0 === null ? null : cpuMs()! - c0 - r.mappingMs;
      rmSync(out, { force: true });
      // Mapping is part of every render; take it out so the figure is the generator + post + encoder path.
      return { ms: r.totalMs - r.mappingMs, steadyMs: r.totalMs - r.mappingMs - r.joinMs, encodeMs: r.encodeMs + r.joinMs, postMs: r.postMs, cpuMs: cpu };
    };
    const genRuns: Timing[] = [];
    const nativeRuns: RenderRun[] = [];
    for (let i = 0; i < c.repeats; i++) {
      genRuns.push(await genOnly());
      nativeRuns.push(await renderAt(manifest.width, manifest.height));
    }
    const hd = c.extras ? await renderAt(1280, 720) : undefined;

    // The encoder alone on the generator's pictures (CPU: the pipe thread and ffmpeg), for 1 frame and for all of
    // them: the difference is its cost per frame, the rest its cost per segment (ffmpeg's start and finish).
    const encodeCpu = async (frames: Uint8Array[]): Promise<number | null> => {
      const file = join(tmp, `enc-${frames.length}.mov`);
      const c0 = cpuMs();
      const size = { width: manifest.width, height: manifest.height };
      const w = new SegmentWriter({ ffmpeg, source: size, output: size, fit: 'fit', fps: String(FPS), codec: CODECS.h264, crf: CODECS.h264.defaultCrf }, `${file}.tmp`, file);
      for (const p of frames) await w.write(p);
      await w.finish();
      rmSync(file, { force: true });
      return c0 === null ? null : cpuMs()! - c0;
    };
    const enc1 = await encodeCpu(pictures.slice(0, 1));
    const encN = await encodeCpu(pictures);

    return {
      width: manifest.width,
      height: manifest.height,
      ep: gen1.ep,
      frames: inputs.length,
      window,
      repeats: c.repeats,
      mappingMs,
      gen1Ms: Math.min(...genRuns.map((g) => g.ms)),
      genCpuMs: minOrNull(genRuns.map((g) => g.cpuMs)),
      native: nativeRuns.reduce((a, b) => (b.steadyMs < a.steadyMs ? b : a)),
      nativeCpuMs: minOrNull(nativeRuns.map((r) => r.cpuMs)),
      ...(gen4Figures ? { gen4: gen4Figures } : {}),
      ...(hd ? { hd } : {}),
      enc1,
      encN,
    };
  } finally {
    await gen1.close();
    await gen4?.close();
    await latents.close?.();
  }
}

/** The figures as the bench's lines (two-space indent, a label column), after a header naming the model. */
export function renderLines(title: string, f: RenderFigures): string[] {
  const n = f.frames;
  const fps = (ms: number): string => `${((n * 1000) / ms).toFixed(1)} frames/s`;
  const side = f.width === f.height ? `${f.width}²` : `${f.width}×${f.height}`;
  const best = f.repeats > 1 ? `best of ${f.repeats} each` : 'one run each';
  const lines = [`render, ${title} ${f.width}×${f.height} on ${f.ep}, ${n} frames (demo from ${WINDOW_START_S} s at ${FPS} fps; the mapper steps from 0 s)`];
  const stepped = f.window.firstFrame + n;
  lines.push(`  mapping       ${((f.mappingMs * 1000) / stepped).toFixed(0)} µs/frame (${stepped} frames stepped: a window's earlier frames are evaluated too)`);
  const batch4 = f.gen4 ? `; ${fps(f.gen4.ms)} batch ≤4 (${f.gen4.calls} calls for ${n} frames: batching applies only where all inputs but W+ are equal)` : '';
  lines.push(`  generator     ${fps(f.gen1Ms)} batch 1 (${(f.gen1Ms / n).toFixed(0)} ms/frame)${batch4}`);
  const r = f.native;
  lines.push(`  render ${side.padEnd(7)}${fps(r.steadyMs)} before the join, ${fps(r.ms)} with it (post ${(r.postMs / n).toFixed(2)} ms/frame; waiting on ffmpeg incl. join ${(r.encodeMs / 1000).toFixed(2)} s)`);
  if (f.hd) lines.push(`  render 720p   ${fps(f.hd.steadyMs)} before the join, ${fps(f.hd.ms)} with it (waiting on ffmpeg incl. join ${(f.hd.encodeMs / 1000).toFixed(2)} s)`);
  lines.push(`  ratio         ${side} render (before the join) / generator-only = ${(r.steadyMs / f.gen1Ms).toFixed(2)}: post and encoding add ${(((r.steadyMs - f.gen1Ms) / f.gen1Ms) * 100).toFixed(0)} % (${best})`);
  if (f.enc1 !== null && f.encN !== null && f.genCpuMs !== null && n > 1) {
    const perFrame = (f.encN - f.enc1) / (n - 1);
    const perSegment = f.enc1 - perFrame;
    lines.push(
      `  encoder       ${CODECS.h264.quality(CODECS.h264.defaultCrf).join(' ')}: ${perFrame.toFixed(1)} ms CPU/frame + ${perSegment.toFixed(0)} ms per segment (start, finish); ` +
        `in a render's ${SEGMENT_FRAMES}-frame segments that is ${(((perFrame + perSegment / SEGMENT_FRAMES) / (f.genCpuMs / n)) * 100).toFixed(0)} % of the generator's CPU: what encoding adds where the cores are the render's alone`,
    );
  }
  if (f.genCpuMs !== null && f.nativeCpuMs !== null) {
    lines.push(
      `  cpu           generator-only ${(f.genCpuMs / n).toFixed(1)} ms/frame; ${side} render (mapping out, the join in) ${(f.nativeCpuMs / n).toFixed(1)} ms/frame (ffmpeg included): ` +
        `post, encoding and the join add ${(((f.nativeCpuMs - f.genCpuMs) / f.genCpuMs) * 100).toFixed(0)} % CPU`,
    );
  }
  return lines;
}

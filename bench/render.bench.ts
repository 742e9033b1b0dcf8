/**
 * Render throughput split by stage, default model (256²) on this machine's provider (CPU here), 10 s of the demo
 * track at 30 fps (300 frames: one whole segment, as in a real render, so the encoder's start and finish weigh
 * what they weigh there): analysis of the whole track and its structural segmentation, mapping (the frame
 * source alone), generator alone (batch 1 and batch 4), and whole renders (generator + post + ffmpeg) at 256²
 * and 1280×720 H.264. The peer measured in the same run is generator-only: the ratio says what the post and the
 * encoder add over it. Generator-only and the 256² render run twice, alternately, and the faster of each counts
 * (a shared machine's other load hits one run, rarely both). Beside the wall times, the CPU time of each (this
 * process and its ffmpeg children, Linux only), and the encoder's own CPU per frame and per segment on the
 * generator's pictures: what encoding adds to a render on cores that are the render's alone, however loaded the
 * machine that measures it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/config.js';
import { ensureDefaultModel, resolveModelDir } from '../src/generator/defaultModel.js';
import { readManifest } from '../src/generator/graph/manifest.js';
import { setLogLevel } from '../src/log.js';
import { createMapper } from '../src/mapping/index.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { CODECS } from '../src/render/codecs.js';
import { SegmentWriter } from '../src/render/encoder.js';
import { requireFfmpeg } from '../src/render/ffmpegPath.js';
import { analyseTrack, frameWindow, loadTrack, middleFrameSource, type FrameSource } from '../src/render/frameSource.js';
import { OfflineGenerator, type FrameInputs } from '../src/render/offlineGenerator.js';
import { render } from '../src/render/render.js';
import { withOfflineEars } from '../src/render/offlineEars.js';
import { createOnnxLatentProvider } from '../src/visual/latents.js';

setLogLevel('warn');

interface Timing {
  ms: number;
  cpuMs: number | null;
}

/**
 * CPU time (ms) of this process, all threads, plus its children that have ended (ffmpeg), from /proc/self/stat;
 * null off Linux.
 */
function cpuMs(): number | null {
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
const FPS = 30;
const WINDOW_S = 10;
const REPEATS = 2;
const tmp = mkdtempSync(join(tmpdir(), 'latentvj-bench-render-'));
try {
  const modelDir = resolveModelDir('default', PACKAGE_ROOT);
  await ensureDefaultModel(modelDir);
  const manifest = await readManifest(modelDir);
  const track = await loadTrack('demo', tmp);
  const cfg = defaultConfig().analysis;

  let t = performance.now();
  const raw = await analyseTrack(track, cfg);
  const analysisMs = performance.now() - t;
  t = performance.now();
  const { features } = withOfflineEars(raw, track);
  const segmentMs = performance.now() - t;

  const latents = await createOnnxLatentProvider(modelDir, manifest);
  const window = frameWindow(FPS, track.durationS, 14, WINDOW_S);
  const source = async (): Promise<FrameSource> => middleFrameSource(features, await createMapper({ file: 'default', manifest, latents, watch: false }), window);

  const gen1 = await OfflineGenerator.open({ modelDir, ep: 'auto', batch: 1 });
  const gen4 = await OfflineGenerator.open({ modelDir, ep: 'auto', batch: 4 });
  // Mapping alone: the frames before the window are stepped too (as in a render of a window).
  const s0 = await source();
  t = performance.now();
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
    const c = cpuMs();
    const w = performance.now();
    pictures = await gen1.run(inputs);
    return { ms: performance.now() - w, cpuMs: c === null ? null : cpuMs()! - c };
  };
  await gen4.run(inputs.slice(0, 2));
  const calls0 = gen4.calls;
  t = performance.now();
  await gen4.run(inputs);
  const gen4Ms = performance.now() - t;
  const gen4Calls = gen4.calls - calls0;

  const ffmpeg = requireFfmpeg();
  const renderAt = async (width: number, height: number): Promise<{ ms: number; steadyMs: number; encodeMs: number; postMs: number; cpuMs: number | null }> => {
    const out = join(tmp, `r-${width}x${height}.mp4`);
    const src = await source();
    const c = cpuMs();
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
      segmentFrames: 10 * FPS,
      audio: { file: track.file },
      settings: { bench: width },
      resume: false,
      progress: { isTTY: false, write: () => undefined },
      stop: { requested: false },
    });
    // The mapping runs on this thread: its CPU time is about its wall time.
    const cpu = c === null ? null : cpuMs()! - c - r.mappingMs;
    rmSync(out, { force: true });
    // Mapping is part of every render; take it out so the figure is the generator + post + encoder path.
    return { ms: r.totalMs - r.mappingMs, steadyMs: r.totalMs - r.mappingMs - r.joinMs, encodeMs: r.encodeMs + r.joinMs, postMs: r.postMs, cpuMs: cpu };
  };
  const genRuns: Timing[] = [];
  const r256Runs: Array<Awaited<ReturnType<typeof renderAt>>> = [];
  for (let i = 0; i < REPEATS; i++) {
    genRuns.push(await genOnly());
    r256Runs.push(await renderAt(256, 256));
  }
  const gen1Ms = Math.min(...genRuns.map((g) => g.ms));
  const genCpuMs = minOrNull(genRuns.map((g) => g.cpuMs));
  const r256 = r256Runs.reduce((a, b) => (b.steadyMs < a.steadyMs ? b : a));
  const r256CpuMs = minOrNull(r256Runs.map((r) => r.cpuMs));
  const r720 = await renderAt(1280, 720);

  // The encoder alone on the generator's pictures (CPU: the pipe thread and ffmpeg), for 1 frame and for all of
  // them: the difference is its cost per frame, the rest its cost per segment (ffmpeg's start and finish).
  const encodeCpu = async (frames: Uint8Array[]): Promise<number | null> => {
    const file = join(tmp, `enc-${frames.length}.mov`);
    const c = cpuMs();
    const w = new SegmentWriter({ ffmpeg, source: { width: manifest.width, height: manifest.height }, output: { width: manifest.width, height: manifest.height }, fit: 'fit', fps: String(FPS), codec: CODECS.h264, crf: CODECS.h264.defaultCrf }, `${file}.tmp`, file);
    for (const p of frames) await w.write(p);
    await w.finish();
    return c === null ? null : cpuMs()! - c;
  };
  const enc1 = await encodeCpu(pictures.slice(0, 1));
  const encN = await encodeCpu(pictures);

  const n = inputs.length;
  const fps = (ms: number): string => `${((n * 1000) / ms).toFixed(1)} frames/s`;
  const trackS = track.durationS;
  console.log(`render, default model ${manifest.width}×${manifest.height} on ${gen1.ep}, ${n} frames (demo from 14 s at ${FPS} fps; the mapper steps from 0 s)`);
  console.log(`  analysis      ${trackS.toFixed(0)} s of audio in ${(analysisMs / 1000).toFixed(2)} s (${(trackS / (analysisMs / 1000)).toFixed(0)}× real time), segmentation ${segmentMs.toFixed(0)} ms`);
  console.log(`  mapping       ${((mappingMs * 1000) / (window.firstFrame + n)).toFixed(0)} µs/frame (${window.firstFrame + n} frames stepped: a window's earlier frames are evaluated too)`);
  console.log(`  generator     ${fps(gen1Ms)} batch 1; ${fps(gen4Ms)} batch ≤4 (${gen4Calls} calls for ${n} frames: batching applies only where all inputs but W+ are equal)`);
  console.log(`  render 256²   ${fps(r256.steadyMs)} before the join, ${fps(r256.ms)} with it (post ${(r256.postMs / n).toFixed(2)} ms/frame; waiting on ffmpeg incl. join ${(r256.encodeMs / 1000).toFixed(2)} s)`);
  console.log(`  render 720p   ${fps(r720.steadyMs)} before the join, ${fps(r720.ms)} with it (waiting on ffmpeg incl. join ${(r720.encodeMs / 1000).toFixed(2)} s)`);
  console.log(`  ratio         256² render (before the join) / generator-only = ${(r256.steadyMs / gen1Ms).toFixed(2)}: post and encoding add ${(((r256.steadyMs - gen1Ms) / gen1Ms) * 100).toFixed(0)} % (best of ${REPEATS} each)`);
  if (enc1 !== null && encN !== null && genCpuMs !== null) {
    const perFrame = (encN - enc1) / (pictures.length - 1);
    const perSegment = enc1 - perFrame;
    const segFrames = 10 * FPS;
    console.log(
      `  encoder       ${CODECS.h264.quality(CODECS.h264.defaultCrf).join(' ')}: ${perFrame.toFixed(1)} ms CPU/frame + ${perSegment.toFixed(0)} ms per segment (start, finish); ` +
        `in a render's ${segFrames}-frame segments that is ${(((perFrame + perSegment / segFrames) / (genCpuMs / n)) * 100).toFixed(0)} % of the generator's CPU: what encoding adds where the cores are the render's alone`,
    );
  }
  if (genCpuMs !== null && r256CpuMs !== null) {
    console.log(
      `  cpu           generator-only ${(genCpuMs / n).toFixed(1)} ms/frame; 256² render (mapping out, the join in) ${(r256CpuMs / n).toFixed(1)} ms/frame (ffmpeg included): ` +
        `post, encoding and the join add ${(((r256CpuMs - genCpuMs) / genCpuMs) * 100).toFixed(0)} % CPU`,
    );
  }
  await gen1.close();
  await gen4.close();
  await latents.close?.();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

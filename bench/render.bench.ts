/**
 * Render throughput split by stage, default model (256²) on this machine's provider (CPU here), 2 s of the demo
 * track at 30 fps (60 frames): analysis of the whole track and its structural segmentation, mapping (the frame
 * source alone), generator alone (batch 1 and batch 4), and whole renders (generator + post + ffmpeg) at 256²
 * and 1280×720 H.264. The peer measured in the same run is generator-only: the ratio says what the post and the
 * encoder add over it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/config.js';
import { ensureDefaultModel, resolveModelDir } from '../src/generator/defaultModel.js';
import { readManifest } from '../src/generator/graph/manifest.js';
import { setLogLevel } from '../src/log.js';
import { createMapper } from '../src/mapping/index.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { CODECS } from '../src/render/codecs.js';
import { requireFfmpeg } from '../src/render/ffmpegPath.js';
import { analyseTrack, frameWindow, loadTrack, traceFrameSource, type FrameSource } from '../src/render/frameSource.js';
import { OfflineGenerator, type FrameInputs } from '../src/render/offlineGenerator.js';
import { render } from '../src/render/render.js';
import { withOfflineEars } from '../src/render/offlineEars.js';
import { createOnnxLatentProvider } from '../src/visual/latents.js';

setLogLevel('warn');
const FPS = 30;
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
  const window = frameWindow(FPS, track.durationS, 14, 2);
  const source = async (): Promise<FrameSource> => traceFrameSource(features, await createMapper({ file: 'default', manifest, latents, watch: false }), window);

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
  t = performance.now();
  await gen1.run(inputs);
  const gen1Ms = performance.now() - t;
  await gen4.run(inputs.slice(0, 2));
  const calls0 = gen4.calls;
  t = performance.now();
  await gen4.run(inputs);
  const gen4Ms = performance.now() - t;
  const gen4Calls = gen4.calls - calls0;

  const ffmpeg = requireFfmpeg();
  const renderAt = async (width: number, height: number): Promise<{ ms: number; steadyMs: number; encodeMs: number; postMs: number }> => {
    const out = join(tmp, `r-${width}x${height}.mp4`);
    const r = await render({
      source: await source(),
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
    // Mapping is part of every render; take it out so the figure is the generator + post + encoder path.
    return { ms: r.totalMs - r.mappingMs, steadyMs: r.totalMs - r.mappingMs - r.joinMs, encodeMs: r.encodeMs + r.joinMs, postMs: r.postMs };
  };
  const r256 = await renderAt(256, 256);
  const r720 = await renderAt(1280, 720);

  const n = inputs.length;
  const fps = (ms: number): string => `${((n * 1000) / ms).toFixed(1)} frames/s`;
  const trackS = track.durationS;
  console.log(`render, default model ${manifest.width}×${manifest.height} on ${gen1.ep}, ${n} frames (demo from 14 s at ${FPS} fps; the mapper steps from 0 s)`);
  console.log(`  analysis      ${trackS.toFixed(0)} s of audio in ${(analysisMs / 1000).toFixed(2)} s (${(trackS / (analysisMs / 1000)).toFixed(0)}× real time), segmentation ${segmentMs.toFixed(0)} ms`);
  console.log(`  mapping       ${((mappingMs * 1000) / (window.firstFrame + n)).toFixed(0)} µs/frame (${window.firstFrame + n} frames stepped: a window's earlier frames are evaluated too)`);
  console.log(`  generator     ${fps(gen1Ms)} batch 1; ${fps(gen4Ms)} batch ≤4 (${gen4Calls} calls for ${n} frames: batching applies only where all inputs but W+ are equal)`);
  console.log(`  render 256²   ${fps(r256.steadyMs)} before the join, ${fps(r256.ms)} with it (post ${(r256.postMs / n).toFixed(2)} ms/frame; waiting on ffmpeg incl. join ${(r256.encodeMs / 1000).toFixed(2)} s)`);
  console.log(`  render 720p   ${fps(r720.steadyMs)} before the join, ${fps(r720.ms)} with it (waiting on ffmpeg incl. join ${(r720.encodeMs / 1000).toFixed(2)} s)`);
  console.log(`  ratio         256² render (before the join) / generator-only = ${(r256.steadyMs / gen1Ms).toFixed(2)}: post and encoding add ${(((r256.steadyMs - gen1Ms) / gen1Ms) * 100).toFixed(0)} %`);
  await gen1.close();
  await gen4.close();
  await latents.close?.();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

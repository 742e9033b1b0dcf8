/**
 * Render throughput split by stage on this machine's provider (CPU here), for the default model (256²) and a
 * full-size StyleGAN2 (channel_base 16384, channel_max 512, 8 mapping layers, seeded random weights, converted
 * with the converter's default controls as `latentvj convert` does) at 256² and 512².
 *
 * Default model: 10 s of the demo track at 30 fps (300 frames: one whole segment, as in a real render, so the
 * encoder's start and finish weigh what they weigh there). Full-size: a few frames (a frame costs hundreds of ms
 * on the CPU), so their renders hold one short segment: the encoder's start and finish weigh more there than in
 * a real render, which the encoder line corrects for (its per-frame and per-segment costs, scaled to a render's
 * segments).
 *
 * For each model: mapping (the frame source alone), generator alone, and whole renders (generator + post +
 * ffmpeg) at the model's size; for the default model also batch 4 and 1280×720 H.264. Analysis of the whole
 * track and its structural segmentation is measured once. The peer measured in the same run is generator-only:
 * the ratio says what the post and the encoder add over it. Generator-only and the render at the model's size
 * run alternately (twice for the default model, once for the full-size ones to keep the bench short) and the
 * faster of each counts (a shared machine's other load hits one run, rarely both). Beside the wall times, the
 * CPU time of each (this process and its ffmpeg children, Linux only), and the encoder's own CPU per frame and
 * per segment on the generator's pictures: what encoding adds to a render on cores that are the render's alone,
 * however loaded the machine that measures it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/config.js';
import { buildModelFiles } from '../src/generator/convert.js';
import { ensureDefaultModel, resolveModelDir } from '../src/generator/defaultModel.js';
import { randomStyleGan2Model } from '../src/generator/randomModel.js';
import { setLogLevel } from '../src/log.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { requireFfmpeg } from '../src/render/ffmpegPath.js';
import { analyseTrack, loadTrack } from '../src/render/frameSource.js';
import { withOfflineEars } from '../src/render/offlineEars.js';
import { measureRender, renderLines, FPS } from './renderParts.js';

setLogLevel('warn');

const WINDOW_S = 10;
/** Full-size StyleGAN2 sizes and their frame counts: ≈ 0.3 s/frame at 256², ≈ 1 s at 512² on 2 CPU cores. */
const FULL_SIZE_CASES = [
  { size: 256, frames: 30 },
  { size: 512, frames: 15 },
] as const;

const tmp = mkdtempSync(join(tmpdir(), 'latentvj-bench-render-'));
try {
  const modelDir = resolveModelDir('default', PACKAGE_ROOT);
  await ensureDefaultModel(modelDir);
  const track = await loadTrack('demo', tmp);
  const cfg = defaultConfig().analysis;

  let t = performance.now();
  const raw = await analyseTrack(track, cfg);
  const analysisMs = performance.now() - t;
  t = performance.now();
  const { features } = withOfflineEars(raw, track);
  const segmentMs = performance.now() - t;
  const shared = { track, features, ffmpeg: requireFfmpeg(), tmp };

  const def = await measureRender(shared, { modelDir, frames: WINDOW_S * FPS, repeats: 2, extras: true });
  const [header, ...rest] = renderLines('default model', def);
  const trackS = track.durationS;
  console.log(header);
  console.log(`  analysis      ${trackS.toFixed(0)} s of audio in ${(analysisMs / 1000).toFixed(2)} s (${(trackS / (analysisMs / 1000)).toFixed(0)}× real time), segmentation ${segmentMs.toFixed(0)} ms`);
  for (const line of rest) console.log(line);

  for (const { size, frames } of FULL_SIZE_CASES) {
    t = performance.now();
    // NVIDIA's initialisation with a little noise (zero noise strength would leave flat pictures): the arithmetic
    // is that of a trained network of the same shape.
    const model = randomStyleGan2Model({ seed: 1, resolution: size, channelBase: 16384, channelMax: 512, mappingLayers: 8, look: { noiseStrength: () => 0.1 } });
    const dir = join(tmp, `full-${size}`);
    await buildModelFiles(model, dir, { imageOutput: false });
    const buildS = (performance.now() - t) / 1000;
    const f = await measureRender(shared, { modelDir: dir, frames, repeats: 1, extras: false });
    const channels = model.convs.map((c) => c.outChannels).filter((c, i, a) => a.indexOf(c) === i);
    const totalS = (performance.now() - t) / 1000;
    console.log(renderLines(`full-size StyleGAN2 (channels ${channels.join('/')}; built in ${buildS.toFixed(1)} s, measured in ${totalS.toFixed(0)} s in all)`, f).join('\n'));
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/**
 * Scaling out: the same generator-bound render (default model at 256², h264 at the model's size, 3 s of the
 * demo track in 0.5 s chunks) on one worker and on two, each worker a separate process with one generator
 * thread, Redis on loopback. Throughput is frames over the farm's time (from queueing the chunks to the last one
 * done: each worker's start on the render — model session, features, mapper stepped to the window — included;
 * the coordinator's analysis and the final join not). The peer is the one-worker run; the ratio is two over one.
 * Two workers can only reach 2× with two free cores: the load average is printed beside the figures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/config.js';
import { ensureDefaultModel, resolveModelDir } from '../src/generator/defaultModel.js';
import { readManifest } from '../src/generator/graph/manifest.js';
import { setLogLevel } from '../src/log.js';
import { createMapper, resolveMappingPath } from '../src/mapping/index.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { CODECS } from '../src/render/codecs.js';
import { requireFfmpeg } from '../src/render/ffmpegPath.js';
import { analyseTrack, frameWindow, loadTrack, middleFrameSource } from '../src/render/frameSource.js';
import { withOfflineEars } from '../src/render/offlineEars.js';
import { parseQueueUrl } from '../src/queue/connection.js';
import { queuedRender } from '../src/queue/coordinator.js';
import { createOnnxLatentProvider } from '../src/visual/latents.js';
import { startRedis } from '../test/queue/redis.js';

setLogLevel('warn');
const FPS = 30;
const tmp = mkdtempSync(join(tmpdir(), 'latentvj-bench-queue-'));
const redis = await startRedis();
try {
  const modelDir = resolveModelDir('default', PACKAGE_ROOT);
  await ensureDefaultModel(modelDir);
  const manifest = await readManifest(modelDir);
  const track = await loadTrack('demo', tmp);
  const { features } = withOfflineEars(await analyseTrack(track, defaultConfig().analysis), track);
  const latents = await createOnnxLatentProvider(modelDir, manifest);
  const window = frameWindow(FPS, track.durationS, 14, 3);
  const ffmpeg = requireFfmpeg();

  const run = async (workers: number): Promise<{ fps: number; perWorker: string }> => {
    const shared = join(tmp, `shared-${workers}`);
    mkdirSync(shared);
    const queue = redis.url(`bench${workers}`);
    const procs: ChildProcess[] = [];
    try {
      for (let i = 0; i < workers; i++) {
        const child = spawn(process.execPath, ['bin/latentvj.js', 'worker', '--queue', queue, '--shared', shared, '--threads', '1', '--name', `w${i + 1}`], { stdio: ['ignore', 'ignore', 'pipe'], cwd: PACKAGE_ROOT });
        procs.push(child);
        await new Promise<void>((resolve, reject) => {
          let err = '';
          child.stderr!.on('data', (b: Buffer) => {
            err += b.toString();
            if (err.includes('waiting for chunks')) resolve();
          });
          child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${err}`)));
        });
      }
      const mapper = await createMapper({ file: 'default', manifest, latents, watch: false });
      const stats = await queuedRender({
        address: parseQueueUrl(queue),
        shared,
        chunkSegments: 1,
        maxWarmupSegments: 1,
        modelDir,
        manifest,
        mappingFile: resolveMappingPath('default'),
        features,
        source: middleFrameSource(features, mapper, window),
        window,
        output: { width: manifest.width, height: manifest.height },
        fit: 'fit',
        codec: CODECS.h264,
        crf: CODECS.h264.defaultCrf,
        batch: 4,
        segmentFrames: FPS / 2,
        ep: 'auto',
        ffmpeg,
        container: '.mp4',
        out: join(tmp, `out-${workers}.mp4`),
        audio: { file: track.file },
        progress: { isTTY: false, write: () => undefined },
      });
      await mapper.close();
      const perWorker = [...stats.workers].map(([n, w]) => `${n} ${w.chunks} chunks, ${w.fps.toFixed(2)} fps`).join('; ');
      return { fps: stats.frames / (stats.farmMs / 1000), perWorker };
    } finally {
      for (const p of procs) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => (p.exitCode !== null || p.signalCode !== null ? null : new Promise((r) => p.once('exit', r)))));
    }
  };

  const frames = window.frameCount;
  const load0 = loadavg()[0]!;
  const one = await run(1);
  const two = await run(2);
  const load1 = loadavg()[0]!;
  console.log(`queued render, default model ${manifest.width}×${manifest.height}, ${frames} frames in ${Math.ceil(frames / (FPS / 2))} chunks, one generator thread per worker`);
  console.log(`  1 worker : ${one.fps.toFixed(2)} frames/s  (${one.perWorker})`);
  console.log(`  2 workers: ${two.fps.toFixed(2)} frames/s  (${two.perWorker})`);
  console.log(`  ratio 2 workers / 1 worker: ${(two.fps / one.fps).toFixed(2)}×`);
  console.log(`  machine: ${cpus().length} cores, load average ${load0.toFixed(1)} before, ${load1.toFixed(1)} after`);
  await latents.close?.();
} finally {
  await redis.stop();
  rmSync(tmp, { recursive: true, force: true });
}

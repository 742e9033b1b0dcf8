/**
 * Scaling out: the same generator-bound render on one worker and on two, each worker a separate process with one
 * generator thread, Redis on loopback. The model is a StyleGAN2 at 256² with four times the default's channels
 * (min(8192/res, 512): 512 up to 16², then 256 … 32), ≈ 0.11 CPU-s a frame on one thread, so the generator is
 * ~90 % of a worker's work; with the default model (≈ 0.02 s a frame) ffmpeg's start per segment, the worker's
 * start on the render and the encoder weigh as much as the generator. 4 s of the demo track at 30 fps in 2 s
 * segments (ffmpeg's own start, ~0.15 CPU-s, is paid per segment), one segment a chunk — one chunk per worker of
 * the pair — H.264 at the model's size.
 *
 * Throughput is frames over the farm's time (from queueing the chunks to the last one done: each worker's start
 * on the render — model session, features, mapper stepped to the window — included; the coordinator's analysis
 * and the final join not). The peer is the one-worker run; the ratio is two over one. Two workers can only reach
 * 2× with two free cores, so beside the wall-clock figures the bench prints the CPU seconds of every process over
 * the farm (from /proc: each worker, the ffmpeg encoders it ran, the coordinator, redis-server) and the frames per
 * worker CPU-second, which a shared machine's load does not change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/config.js';
import { buildModelFiles } from '../src/generator/convert.js';
import { DEFAULT_GRAPH_OPTIONS, DEFAULT_MODEL_OPTIONS } from '../src/generator/defaultModel.js';
import { randomStyleGan2Model } from '../src/generator/randomModel.js';
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

/** CPU seconds of a process (user + system) and of its children it has reaped (the worker's ffmpeg encoders): Linux /proc, null elsewhere. */
interface CpuS {
  self: number;
  children: number;
}
function processCpu(pid: number): CpuS | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is [0], utime [11], stime [12], cutime [13], cstime [14].
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const tick = 100; // USER_HZ, 100 on every Linux the project supports
    return { self: (f[11]! + f[12]!) / tick, children: (f[13]! + f[14]!) / tick };
  } catch {
    return null;
  }
}
const cpuDelta = (a: CpuS | null, b: CpuS | null): CpuS | null => (a && b ? { self: b.self - a.self, children: b.children - a.children } : null);
const FPS = 30;
const tmp = mkdtempSync(join(tmpdir(), 'latentvj-bench-queue-'));
const redis = await startRedis();
try {
  const modelDir = join(tmp, 'model');
  await buildModelFiles(randomStyleGan2Model({ ...DEFAULT_MODEL_OPTIONS, channelBase: 8192, channelMax: 512 }), modelDir, DEFAULT_GRAPH_OPTIONS);
  const manifest = await readManifest(modelDir);
  const track = await loadTrack('demo', tmp);
  const { features } = withOfflineEars(await analyseTrack(track, defaultConfig().analysis), track);
  const latents = await createOnnxLatentProvider(modelDir, manifest);
  const window = frameWindow(FPS, track.durationS, 14, 4);
  const ffmpeg = requireFfmpeg();

  interface Run {
    fps: number;
    perWorker: string;
    frames: number;
    farmS: number;
    /** Each worker's CPU over the farm: its own process (generator, mapper, post) and its ffmpeg encoders. */
    workerCpu: Array<CpuS | null>;
    coordinatorCpuS: number;
    redisCpuS: number | null;
    /** Each worker's own CPU inside its chunks (as it reports them), in the order of workerCpu. */
    chunkCpuS: number[];
  }
  const run = async (workers: number): Promise<Run> => {
    const shared = join(tmp, `shared-${workers}`);
    mkdirSync(shared);
    const queue = redis.url(`bench${workers}`);
    const procs: ChildProcess[] = [];
    try {
      for (let i = 0; i < workers; i++) {
        const child = spawn(process.execPath, ['bin/latentvj.js', 'worker', '--queue', queue, '--shared', shared, '--model', modelDir, '--threads', '1', '--name', `w${i + 1}`], { stdio: ['ignore', 'ignore', 'pipe'], cwd: PACKAGE_ROOT });
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
      const cpu0 = procs.map((p) => processCpu(p.pid!));
      const redis0 = processCpu(redis.pid);
      const mapper = await createMapper({ file: 'default', manifest, latents, watch: false });
      const stats = await queuedRender({
        address: parseQueueUrl(queue),
        shared,
        chunkSegments: 1,
        maxWarmupSegments: 1,
        modelDir,
        manifest,
        input: { kind: 'track', mappingFile: resolveMappingPath('default'), features },
        source: middleFrameSource(features, mapper, window),
        window,
        output: { width: manifest.width, height: manifest.height },
        fit: 'fit',
        codec: CODECS.h264,
        crf: CODECS.h264.defaultCrf,
        batch: 4,
        segmentFrames: 2 * FPS,
        ep: 'auto',
        ffmpeg,
        container: '.mp4',
        out: join(tmp, `out-${workers}.mp4`),
        audio: { file: track.file },
        progress: { isTTY: false, write: () => undefined },
      });
      const workerCpu = procs.map((p, i) => cpuDelta(cpu0[i]!, processCpu(p.pid!)));
      const redisCpu = cpuDelta(redis0, processCpu(redis.pid));
      await mapper.close();
      const perWorker = [...stats.workers].map(([n, w]) => `${n} ${w.chunks} chunks, ${w.fps.toFixed(2)} fps`).join('; ');
      return {
        fps: stats.frames / (stats.farmMs / 1000),
        perWorker,
        frames: stats.frames,
        farmS: stats.farmMs / 1000,
        workerCpu,
        coordinatorCpuS: stats.farmCpuMs / 1000,
        redisCpuS: redisCpu ? redisCpu.self : null,
        chunkCpuS: procs.map((_, i) => (stats.workers.get(`w${i + 1}`)?.cpuMs ?? 0) / 1000),
      };
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
  console.log(`queued render, a 4×-channel StyleGAN2 at ${manifest.width}×${manifest.height}, ${frames} frames in ${Math.ceil(frames / (2 * FPS))} chunks, one generator thread per worker`);
  console.log(`  1 worker : ${one.fps.toFixed(2)} frames/s  (${one.perWorker})`);
  console.log(`  2 workers: ${two.fps.toFixed(2)} frames/s  (${two.perWorker})`);
  console.log(`  ratio 2 workers / 1 worker: ${(two.fps / one.fps).toFixed(2)}×`);
  console.log(`  machine: ${cpus().length} cores, load average ${load0.toFixed(1)} before, ${load1.toFixed(1)} after`);
  // Where the CPU went: a shared machine starves the wall-clock figures, CPU seconds per frame it does not.
  const cpuLine = (label: string, r: Run): void => {
    const known = r.workerCpu.every((c) => c !== null);
    if (!known) return console.log(`  ${label}: CPU time per process not measurable here (no /proc)`);
    const w = r.workerCpu as CpuS[];
    const self = w.reduce((s, c) => s + c.self, 0);
    const enc = w.reduce((s, c) => s + c.children, 0);
    const all = self + enc + r.coordinatorCpuS + (r.redisCpuS ?? 0);
    console.log(
      `  ${label}: CPU s over ${r.farmS.toFixed(1)} s of farm: workers ${self.toFixed(2)} (${w.map((c) => c.self.toFixed(2)).join(' + ')}), their ffmpeg ${enc.toFixed(2)}, ` +
        `coordinator ${r.coordinatorCpuS.toFixed(2)}, redis ${(r.redisCpuS ?? NaN).toFixed(2)}; ` +
        `${(r.frames / (self + enc)).toFixed(2)} frames per worker CPU-second (ffmpeg included), cores busy ${(all / r.farmS).toFixed(2)}`,
    );
    // A worker's own CPU splits into its chunks (generator, mapper, post) and the rest: its start on the render.
    const inChunks = r.chunkCpuS.reduce((s, c) => s + c, 0);
    console.log(
      `  ${label}: per frame ${((1000 * inChunks) / r.frames).toFixed(1)} ms CPU in the workers' chunks + ${((1000 * enc) / r.frames).toFixed(1)} ms in ffmpeg; ` +
        `start on the render ${w.map((c, i) => (c.self - r.chunkCpuS[i]!).toFixed(2)).join(' + ')} CPU-s`,
    );
  };
  cpuLine('1 worker ', one);
  cpuLine('2 workers', two);
  // What two free cores would give, from the CPU each process used: a worker's own thread is serial, everything
  // else (its ffmpeg, the other worker, coordinator, redis) shares the two cores. An estimate, not a measurement;
  // it carries the CPU-time inflation this run's contention caused.
  const onTwoCores = (r: Run): number | null => {
    if (!r.workerCpu.every((c) => c !== null)) return null;
    const w = r.workerCpu as CpuS[];
    const all = w.reduce((s, c) => s + c.self + c.children, 0) + r.coordinatorCpuS + (r.redisCpuS ?? 0);
    return r.frames / Math.max(...w.map((c) => c.self), all / 2);
  };
  // Each worker on a machine of its own (its ffmpeg beside it): the slowest worker's own thread sets the pace.
  const onOwnMachines = (r: Run): number | null => (r.workerCpu.every((c) => c !== null) ? r.frames / Math.max(...(r.workerCpu as CpuS[]).map((c) => c.self)) : null);
  const e1 = onTwoCores(one);
  const e2 = onTwoCores(two);
  if (e1 && e2) console.log(`  estimate on two free cores from the CPU seconds: 1 worker ${e1.toFixed(2)} frames/s, 2 workers ${e2.toFixed(2)} frames/s, ratio ${(e2 / e1).toFixed(2)}×`);
  const m1 = onOwnMachines(one);
  const m2 = onOwnMachines(two);
  if (m1 && m2) console.log(`  estimate with each worker on a machine of its own: 1 worker ${m1.toFixed(2)} frames/s, 2 workers ${m2.toFixed(2)} frames/s, ratio ${(m2 / m1).toFixed(2)}×`);
  await latents.close?.();
} finally {
  await redis.stop();
  rmSync(tmp, { recursive: true, force: true });
}

import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { testFfmpeg } from '../helpers/ffmpeg.js';

export const tmp = (): { dir: string; done(): void } => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-render-test-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
};

/**
 * `startS`…`startS + durationS` of the demo track as a 16-bit WAV in `dir`. A render of `demo` synthesises and
 * analyses the whole 60 s track whatever its window; tests whose point is not the demo's music render a clip.
 */
export async function demoClip(dir: string, startS: number, durationS: number): Promise<string> {
  const { renderDemoTrack } = await import('../../src/audio/demo.js');
  const { encodeWav } = await import('../../src/audio/wav.js');
  const demo = renderDemoTrack();
  const a = Math.round(startS * demo.sampleRate);
  const b = a + Math.round(durationS * demo.sampleRate);
  const file = join(dir, `demo-${startS}-${durationS}.wav`);
  writeFileSync(file, encodeWav({ sampleRate: demo.sampleRate, channels: demo.channels.map((c) => c.slice(a, b)) }, 'pcm16'));
  return file;
}

/** `latentvj render …` to completion. */
export const renderCli = (...args: string[]) => renderCliWith(process.env, ...args);

/** `latentvj render …` to completion with its own environment. */
export const renderCliWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(process.execPath, ['bin/latentvj.js', '-q', 'render', ...args], { encoding: 'utf8', timeout: 170_000, env });

/** `latentvj -q render …` through the CLI's main() in this process (argument errors only: see cliInProcess). */
export const renderInProcess = (...args: string[]) => cliInProcess('-q', 'render', ...args);

export const renderChild = (...args: string[]): ChildProcess =>
  spawn(process.execPath, ['bin/latentvj.js', '-q', 'render', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });

/** ffmpeg's framemd5 of every stream, the comment lines dropped. */
export function framemd5(file: string): string {
  const r = spawnSync(testFfmpeg(), ['-v', 'error', '-i', file, '-f', 'framemd5', '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`ffmpeg framemd5 ${file}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .join('\n');
}

export interface StreamInfo {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  duration: string;
  nb_frames?: string;
  pix_fmt?: string;
}

export function probe(file: string): StreamInfo[] {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height,duration,nb_frames,pix_fmt', '-of', 'json', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffprobe ${file}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { streams: StreamInfo[] }).streams;
}

/** Every video frame decoded to grey at w×h. */
export function greyFrames(file: string, w: number, h: number): Uint8Array[] {
  const r = spawnSync(testFfmpeg(), ['-v', 'error', '-i', file, '-vf', `scale=${w}:${h}:flags=area,format=gray`, '-f', 'rawvideo', '-'], { maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`ffmpeg decode ${file}: ${r.stderr.toString()}`);
  const out: Uint8Array[] = [];
  for (let o = 0; o + w * h <= r.stdout.length; o += w * h) out.push(new Uint8Array(r.stdout.subarray(o, o + w * h)));
  return out;
}

/** Every video frame decoded to RGB24 at its own size. */
export function rgbFrames(file: string, w: number, h: number): Uint8Array[] {
  const r = spawnSync(testFfmpeg(), ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 512 << 20 });
  if (r.status !== 0) throw new Error(`ffmpeg decode ${file}: ${r.stderr.toString()}`);
  const out: Uint8Array[] = [];
  for (let o = 0; o + w * h * 3 <= r.stdout.length; o += w * h * 3) out.push(new Uint8Array(r.stdout.subarray(o, o + w * h * 3)));
  return out;
}

export const meanAbsDiff = (a: Uint8Array, b: Uint8Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
};

/** A 32² model (seconds to build, a millisecond a frame) for tests that need many frames, not a good picture. */
export async function tinyModel(dir: string): Promise<string> {
  const { randomStyleGan2Model } = await import('../../src/generator/randomModel.js');
  const { buildModelFiles } = await import('../../src/generator/convert.js');
  await buildModelFiles(randomStyleGan2Model({ seed: 3, resolution: 32, channelBase: 256, channelMax: 32, zDim: 32, wDim: 32, mappingLayers: 2, wAvgSamples: 64 }), dir, {
    noiseBank: 2,
    maskRegions: 2,
    maskSize: 8,
    imageOutput: false,
    bendLayers: ['b8.conv1', 'b16.conv1'],
  });
  return dir;
}

/** Starts a render and stops it with `signal` once half of its `segments` are finished. */
export async function killAtHalf(
  args: string[],
  out: string,
  segments: number,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; segmentsAtKill: number }> {
  const { existsSync, readdirSync } = await import('node:fs');
  const child = renderChild(...args, '--out', out);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const partial = `${out}.partial`;
  let segmentsAtKill = -1;
  let finished = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, sig) => {
      finished = true;
      res({ code, signal: sig });
    }),
  );
  while (!finished) {
    const n = existsSync(partial) ? readdirSync(partial).filter((f) => /^seg-\d+\.mov$/.test(f)).length : 0;
    if (n >= segments / 2) {
      segmentsAtKill = n;
      child.kill(signal);
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { ...(await exited), stderr, segmentsAtKill };
}

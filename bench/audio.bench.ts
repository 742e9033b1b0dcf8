/**
 * Audio edge costs, each against a peer measured in the same run:
 *   - WAV decode in-process vs ffmpeg decoding the same file (what we would otherwise spawn);
 *   - demo-track synthesis and level metering as multiples of real time.
 */
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesiseDemoTrack, writeDemoTrack } from '../src/audio/demo.js';
import { decodeWav } from '../src/audio/wav.js';
import { decodeWithFfmpeg } from '../src/audio/ffmpeg.js';
import { LevelAccumulator } from '../src/audio/meter.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(runs: number, f: () => unknown): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const dir = mkdtempSync(join(tmpdir(), 'latentvj-bench-audio-'));
try {
  const SR = 48000;
  const synthMs = await time(3, () => synthesiseDemoTrack(SR));
  const { wavPath } = writeDemoTrack(dir, { sampleRate: SR });
  const bytes = readFileSync(wavPath);
  const audioS = 60;
  const oursMs = await time(5, () => decodeWav(bytes, wavPath));
  const ffMs = await time(3, () => decodeWithFfmpeg(wavPath));
  const decoded = decodeWav(bytes, wavPath);
  const acc = new LevelAccumulator();
  const meterMs = await time(5, () => {
    acc.reset();
    for (let i = 0; i < decoded.channels[0]!.length; i += 512) acc.add(decoded.channels, i, Math.min(i + 512, decoded.channels[0]!.length));
  });
  console.log(`demo synthesis   ${synthMs.toFixed(0)} ms for ${audioS} s at ${SR} Hz (${((audioS * 1000) / synthMs).toFixed(0)}× real time)`);
  console.log(`WAV decode       ours ${oursMs.toFixed(1)} ms, ffmpeg ${ffMs.toFixed(1)} ms for ${(bytes.length / 1e6).toFixed(1)} MB: ours is ${(ffMs / oursMs).toFixed(1)}× faster`);
  console.log(`level meter      ${meterMs.toFixed(1)} ms for ${audioS} s stereo (${((audioS * 1000) / meterMs).toFixed(0)}× real time)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

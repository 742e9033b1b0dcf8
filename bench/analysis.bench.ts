/**
 * Analysis benchmark: the real-time factor and µs per hop of our full feature set (onset spectrum with
 * HPSS and four drum bands, chord chroma with HPSS and tuning, bass chroma, RMS per band, tempo/beat/bar, sections)
 * on one core, next to Meyda computing only chroma + RMS on the same audio and the same hop, in the same run.
 * Times are CPU time of this process (user + system), so other processes on a shared machine inflate them less
 * than wall time would; wall time is printed too.
 *   npm run bench -- analysis
 * Targets: ≥ 100× real time for the full set, at 44.1 kHz and at the line-in's 48 kHz (resampled), and fewer µs per
 * hop than Meyda's chroma + RMS.
 */
import MeydaModule from 'meyda';
import { renderDemoTrack } from '../src/audio/demo.js';
import { mainsHumSignal } from '../src/analysis/synth.js';
import { analysisConfigSchema } from '../src/analysis/config.js';
import { FeatureExtractor } from '../src/analysis/extractor.js';
import type { Features } from '../src/analysis/types.js';

/** The part of Meyda's default export we use (its CommonJS build's typings do not resolve under NodeNext). */
interface MeydaLike {
  bufferSize: number;
  sampleRate: number;
  windowingFunction: string;
  extract(features: string[], signal: Float32Array): unknown;
}
const meydaAny = MeydaModule as unknown as { default?: MeydaLike } & MeydaLike;
const Meyda: MeydaLike = meydaAny.default && typeof meydaAny.default.extract === 'function' ? meydaAny.default : meydaAny;

const SR = 44100;
const SECONDS = 30;
const BLOCK = 512;
const ROUNDS = 3;
/**
 * Untimed passes over the 30 s before each variant is measured. V8 compiles the extractor's hop path in tiers over
 * the first minute or two of audio: passes 1–4 on a fresh process took 341, 158, 92 and 85 µs a hop, and from the
 * fifth on 77–80. A show runs for hours, so the figure that matters is the compiled one; the first pass is printed
 * too.
 */
const WARM_ROUNDS = 3;

interface Timing {
  cpuMs: number;
  wallMs: number;
  hops: number;
}

function timeIt(run: () => number): Timing {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const hops = run();
  const wallMs = performance.now() - w0;
  const c = process.cpuUsage(c0);
  return { cpuMs: (c.user + c.system) / 1000, wallMs, hops };
}

function best(runs: Timing[]): Timing {
  return runs.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
}

const demo = renderDemoTrack({ sampleRate: SR });
const n = SECONDS * SR;
const left = demo.channels[0]!.subarray(0, n);
const right = demo.channels[1]!.subarray(0, n);
const mono = new Float32Array(n);
for (let i = 0; i < n; i++) mono[i] = 0.5 * (left[i]! + right[i]!);

/**
 * The demo over mains hum at −40 dBFS, loud enough to stand out between its notes: the hum canceller's lock-ins run
 * on every engaged line (humCanceller.ts), where on the demo alone they rest.
 */
const hum = mainsHumSignal(n, SR, 50, -40, 1);
const humLeft = left.map((v, i) => v + hum[i]!);
const humRight = right.map((v, i) => v + hum[i]!);
let humLines = 0;

/**
 * The demo rendered at 48 kHz, the rate the line-in opens at: the analysis resamples it to 44.1 kHz (resampler.ts),
 * whose cost this line adds.
 */
const SR_LINE = 48000;
const demo48 = renderDemoTrack({ sampleRate: SR_LINE });
const n48 = SECONDS * SR_LINE;
const left48 = demo48.channels[0]!.subarray(0, n48);
const right48 = demo48.channels[1]!.subarray(0, n48);

const cfg = analysisConfigSchema.parse({});
/** The same without the chord net (the hand-made chord chroma only): the net's cost is the difference. */
const cfgHand = analysisConfigSchema.parse({ chordNet: false });
/** The same without the bass net (the hand-made bass chroma only). */
const cfgHandBass = analysisConfigSchema.parse({ bassNet: false });
let sink = 0;

function runOurs(config = cfg, overHum = false, at48k = false): number {
  const ex = new FeatureExtractor(config, at48k ? SR_LINE : SR);
  const [l, r] = at48k ? [left48, right48] : overHum ? [humLeft, humRight] : [left, right];
  const len = at48k ? n48 : n;
  let hops = 0;
  const emit = (f: Features): void => {
    hops++;
    sink += f.onset.all;
  };
  const blockL = new Float32Array(BLOCK);
  const blockR = new Float32Array(BLOCK);
  const chans = [blockL, blockR];
  for (let i = 0; i + BLOCK <= len; i += BLOCK) {
    blockL.set(l.subarray(i, i + BLOCK));
    blockR.set(r.subarray(i, i + BLOCK));
    ex.push(chans, emit);
  }
  if (overHum) humLines = ex.humCanceller.engagedLines;
  return hops;
}

const hop = new FeatureExtractor(cfg, SR).params.hopSamples;

/** Meyda: chroma + RMS only, on the mono mix, one frame of `bufferSize` per hop of `hop` samples. */
function runMeyda(bufferSize: number): number {
  Meyda.bufferSize = bufferSize;
  Meyda.sampleRate = SR;
  Meyda.windowingFunction = 'hanning';
  let hops = 0;
  const frame = new Float32Array(bufferSize);
  for (let end = bufferSize; end <= n; end += hop) {
    frame.set(mono.subarray(end - bufferSize, end));
    const r = Meyda.extract(['chroma', 'rms'], frame) as { chroma: number[]; rms: number } | null;
    if (r) sink += r.rms + r.chroma[0]!;
    hops++;
  }
  return hops;
}

/** The first pass over the audio, before the JIT has compiled anything: what the first 30 s of a show cost. */
const cold = timeIt(() => runOurs());
// Meyda gets an untimed pass of its own for it: each variant is measured after as many passes of its code.
runMeyda(2048);
runMeyda(4096);
/** Warms a variant up with WARM_ROUNDS untimed passes, then measures the best of ROUNDS. */
function measured(run: () => number): Timing {
  for (let i = 0; i < WARM_ROUNDS; i++) run();
  return best(Array.from({ length: ROUNDS }, () => timeIt(run)));
}
const ours = measured(() => runOurs());
const hand = measured(() => runOurs(cfgHand));
const handBass = measured(() => runOurs(cfgHandBass));
const overHum = measured(() => runOurs(cfg, true));
const at48k = measured(() => runOurs(cfg, false, true));
const meyda2048 = measured(() => runMeyda(2048));
const meyda4096 = measured(() => runMeyda(4096));

const us = (t: Timing): number => (t.cpuMs * 1000) / t.hops;
const rtf = (t: Timing): number => (SECONDS * 1000) / t.cpuMs;
const line = (name: string, t: Timing): string =>
  `${name.padEnd(44)} ${us(t).toFixed(1).padStart(7)} µs/hop  ${rtf(t).toFixed(0).padStart(5)}× real time (CPU)  ` +
  `${((SECONDS * 1000) / t.wallMs).toFixed(0).padStart(5)}× (wall)  ${t.hops} hops`;

console.log(
  `audio: ${SECONDS} s of the demo track, ${SR} Hz stereo, blocks of ${BLOCK}, hop ${hop} samples, ` +
    `best of ${ROUNDS} after ${WARM_ROUNDS} untimed passes`,
);
console.log(line('latentvj full feature set (FFT 2048+4096+bass)', ours));
console.log(line('  the same, first pass (cold: not compiled)', cold));
console.log(line('  the same without the chord net', hand));
console.log(line('  the same without the bass net', handBass));
console.log(line(`  the same over hum at −40 dBFS (${humLines} lines)`, overHum));
console.log(line('  the same at 48 kHz in (resampled to 44.1)', at48k));
console.log(line('Meyda chroma + RMS, bufferSize 2048', meyda2048));
console.log(line('Meyda chroma + RMS, bufferSize 4096', meyda4096));
console.log(`ratio Meyda(2048) / latentvj µs per hop: ${(us(meyda2048) / us(ours)).toFixed(2)}×`);
console.log(`ratio Meyda(4096) / latentvj µs per hop: ${(us(meyda4096) / us(ours)).toFixed(2)}×`);
// The line-in opens at 48 kHz (src/audio/config.ts): its figure, resampler included, is held to the target too.
const rtOk = rtf(ours) >= 100;
const rt48Ok = rtf(at48k) >= 100;
const meydaOk = us(ours) < us(meyda2048);
const met = (ok: boolean): string => (ok ? 'met' : 'MISSED');
console.log(
  `target ≥ 100× real time: ${met(rtOk)} at 44.1 kHz, ${met(rt48Ok)} at 48 kHz in (the line-in's rate); ` +
    `fewer µs/hop than Meyda chroma+RMS: ${met(meydaOk)}`,
);
if (sink === 42) console.log('');
if (!rtOk || !rt48Ok || !meydaOk) process.exitCode = 1;

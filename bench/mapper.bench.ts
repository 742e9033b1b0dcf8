/**
 * The mapper's per-frame cost for the `default` preset on an 18-layer (1024²) model, next to a peer measured in
 * the same run: the same mapping stepped by the pipeline's middle (the time-aware feature hold and the control
 * take around it), so the ratio is what the middle adds per frame. Both see the same feature stream (a chord
 * cycle, four-on-the-floor kicks, backbeat snares, a confident 128 BPM tempo), and their outputs are compared.
 * Target (issue 6): ≤ 1 ms per frame.
 */
import { createMapper, type Mapper } from '../src/mapping/index.js';
import type { HeldFeatures } from '../src/contracts/stages.js';
import { NEVER } from '../src/rx.js';
import { Middle } from '../src/pipeline/middle.js';
import { FeatureHold } from '../src/pipeline/featureHold.js';
import { controls, fakeManifest, fakeProvider, features } from '../test/mapping/helpers.js';

const FPS = 60;
const FRAMES = 3000;
const WARMUP = 300;
const manifest = fakeManifest(1024);

function featureStream(n: number): HeldFeatures[] {
  const chords = [[9, 0, 4], [5, 9, 0], [0, 4, 7], [7, 11, 2]];
  const out: HeldFeatures[] = [];
  for (let k = 0; k < n; k++) {
    const t = k / FPS;
    const bars = (t * 128) / 240;
    const beat = Math.floor(bars * 4);
    const newBeat = Math.floor(((t - 1 / FPS) * 128) / 60) !== beat;
    const pcs = chords[Math.floor(bars) % 4]!;
    const chroma = Array.from({ length: 12 }, (_, i) => (pcs.includes(i) ? 0.8 + 0.2 * Math.sin(k * 0.1 + i) : 0.1));
    const events = newBeat ? (beat % 2 === 1 ? ['kick', 'snare', 'beat'] : ['kick', 'beat']) : [];
    out.push(features({ t, chroma, bassChroma: chroma, kick: newBeat ? 1 : 0.1, snare: events.includes('snare') ? 1 : 0, hats: 0.3, rms: 0.6, rmsSlow: 0.6, events, bpm: 128, barPhase: bars % 1, beatPhase: (bars * 4) % 1, confidence: 0.9 }));
  }
  return out;
}

function timeFrames(m: Mapper, stream: HeldFeatures[]): { msPerFrame: number; median: number; p99: number; last: Float32Array } {
  const c = controls();
  const per: number[] = [];
  let last = new Float32Array(0);
  for (let k = 0; k < stream.length; k++) {
    const t0 = performance.now();
    const p = m.frame({ frame: k, t: k / FPS, dt: 1 / FPS, features: stream[k]!, controls: c });
    const t1 = performance.now();
    if (k >= WARMUP) per.push(t1 - t0);
    if (k === stream.length - 1) last = Float32Array.from(p.ws);
  }
  per.sort((a, b) => a - b);
  return { msPerFrame: per.reduce((a, b) => a + b, 0) / per.length, median: per[Math.floor(per.length / 2)]!, p99: per[Math.floor(per.length * 0.99)]!, last };
}

/** The peer: the same mapper stepped by the pipeline's middle (time-aware hold, control take, then the mapper). */
function timeMiddle(m: Mapper, stream: HeldFeatures[]): { msPerFrame: number; median: number; p99: number; last: Float32Array } {
  const control = { events$: NEVER, state: () => c, take: () => c, close: async () => undefined };
  const c = controls();
  const middle = new Middle({ fps: FPS, mapper: m, control });
  const per: number[] = [];
  let last = new Float32Array(0);
  for (let k = 0; k < stream.length; k++) {
    const t0 = performance.now();
    middle.push(stream[k]!.latest);
    middle.audioT = k / FPS;
    const p = middle.step().params;
    const t1 = performance.now();
    if (k >= WARMUP) per.push(t1 - t0);
    if (k === stream.length - 1) last = Float32Array.from(p.ws);
  }
  per.sort((a, b) => a - b);
  return { msPerFrame: per.reduce((a, b) => a + b, 0) / per.length, median: per[Math.floor(per.length / 2)]!, p99: per[Math.floor(per.length * 0.99)]!, last };
}

// What the middle's hold makes of the records, handed to the mapper alone: both see exactly the same input.
const records = featureStream(FRAMES + WARMUP);
const hold = new FeatureHold();
const stream = records.map((r, k) => (hold.push(r.latest), hold.take(k / FPS)!));
const make = (): Promise<Mapper> => createMapper({ file: 'default', manifest, latents: fakeProvider(manifest), watch: false });
const mappers = [await make(), await make(), await make(), await make()];
// Interleave two rounds each, so neither enjoys a warmer machine.
const a1 = timeFrames(mappers[0]!, stream);
const b1 = timeMiddle(mappers[1]!, stream);
const a2 = timeFrames(mappers[2]!, stream);
const b2 = timeMiddle(mappers[3]!, stream);
const ours = Math.min(a1.msPerFrame, a2.msPerFrame);
const peer = Math.min(b1.msPerFrame, b2.msPerFrame);
let diff = 0;
for (let i = 0; i < a1.last.length; i++) diff = Math.max(diff, Math.abs(a1.last[i]! - b1.last[i]!));

console.log(`mapper, default preset, ${manifest.numWs}-layer model (wDim ${manifest.wDim}), ${FRAMES} frames at ${FPS} fps`);
const us = (ms: number): string => (ms * 1000).toFixed(1);
console.log(`  mapper alone:      mean ${us(ours)} µs/frame, median ${us(Math.min(a1.median, a2.median))} µs, p99 ${us(Math.min(a1.p99, a2.p99))} µs   target ≤ 1000 µs: ${ours <= 1 ? 'OK' : 'MISSED'}`);
console.log(`  through the middle: mean ${us(peer)} µs/frame, median ${us(Math.min(b1.median, b2.median))} µs, p99 ${us(Math.min(b1.p99, b2.p99))} µs (hold + control take + mapper)`);
console.log(`  ratio middle / mapper alone: ${(peer / ours).toFixed(2)}×   (max |Δws| between them ${diff.toExponential(1)})`);
await Promise.all(mappers.map((m) => m.close()));
if (diff > 1e-3) {
  console.error('mapper bench: the middle disagrees with the mapper alone');
  process.exit(1);
}

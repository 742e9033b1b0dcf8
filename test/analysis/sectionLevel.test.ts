import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { HopFrontEnd, SampleRing, resolveParams } from '../../src/analysis/hopInput.js';
import { LevelMeter } from '../../src/analysis/levels.js';
import { DcBlocker } from '../../src/analysis/filters.js';
import { SectionLevel } from '../../src/analysis/onsets.js';

/**
 * rmsSlow is section energy: the raw level over seconds against a reference that adapts over minutes, so the demo
 * track's quiet intro (≈ −23 dBFS RMS) reads below its drum-heavy main (≈ −17) from the start of a set and at any
 * line-in level once the reference has adapted. (The adaptively normalised `rms` reads the other way round: the
 * main's kicks set its peak.)
 */
const cfg = analysisConfigSchema.parse({});
const demo = renderDemoTrack();
const SR = demo.sampleRate;
const BOUNDARY_S = demo.truth.sections.find((s) => s.name === 'main')!.start;
const TRACK_S = demo.channels[0]!.length / SR;

function scaledDemo(peakDb: number): Float32Array[] {
  let peak = 0;
  for (const c of demo.channels) for (let i = 0; i < c.length; i++) peak = Math.max(peak, Math.abs(c[i]!));
  const g = Math.pow(10, peakDb / 20) / peak;
  return demo.channels.map((c) => c.map((v) => v * g));
}

/**
 * The level path alone, as the extractor runs it: channels mixed to mono, DC-blocked, into the shared front end
 * (HopFrontEnd: hop RMS and the silence decision) and the LevelMeter; t and rmsSlow per hop. Drums, chroma, tempo
 * and sections would only cost time here (rmsSlow reads none of them).
 */
function rmsSlowOf(...segments: (Float32Array[] | number)[]): { t: Float64Array; v: Float64Array } {
  const p = resolveParams(cfg, SR);
  const ring = new SampleRing(2 * Math.max(p.onsetFftSize, p.hopSamples));
  const front = new HopFrontEnd(cfg, p, ring, new SampleRing(2 * p.bassFftSize));
  const meter = new LevelMeter(cfg, p);
  const dc = new DcBlocker(15, SR);
  const t: number[] = [];
  const v: number[] = [];
  let fill = 0;
  let sumSq = 0;
  const feed = (x: number): void => {
    const y = dc.process(x);
    ring.push(y);
    sumSq += y * y;
    if (++fill === p.hopSamples) {
      v.push(meter.step(front.next(sumSq, p.hopSamples)).rmsSlow);
      t.push(ring.written / SR);
      fill = 0;
      sumSq = 0;
    }
  };
  for (const seg of segments) {
    if (typeof seg === 'number') for (let i = 0; i < seg * SR; i++) feed(0);
    else for (let i = 0; i < seg[0]!.length; i++) feed(seg.reduce((a, c) => a + c[i]!, 0) / seg.length);
  }
  return { t: Float64Array.from(t), v: Float64Array.from(v) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : NaN;
}

/** Medians of rmsSlow in the intro (after its first 3 s) and the main (2 s after the boundary on) of pass `pass`. */
function sections(r: { t: Float64Array; v: Float64Array }, pass: number): { intro: number; main: number } {
  const intro: number[] = [];
  const main: number[] = [];
  for (let i = 0; i < r.t.length; i++) {
    const t = r.t[i]! - pass * TRACK_S;
    if (t >= 3 && t < BOUNDARY_S) intro.push(r.v[i]!);
    else if (t >= BOUNDARY_S + 2 && t < TRACK_S) main.push(r.v[i]!);
  }
  return { intro: median(intro), main: median(main) };
}

function assertFinite01(v: Float64Array): void {
  for (const x of v) assert.ok(Number.isFinite(x) && x >= 0 && x <= 1, `rmsSlow ${x}`);
}

test('demo track from the start of a set: rmsSlow in the main reads clearly above the quiet intro', () => {
  const r = rmsSlowOf(demo.channels);
  assertFinite01(r.v);
  const s = sections(r, 0);
  console.log(`demo as rendered, first play: rmsSlow intro median ${s.intro.toFixed(3)}, main median ${s.main.toFixed(3)}`);
  assert.ok(s.main > s.intro + 0.2, `main ${s.main} vs intro ${s.intro}`);
  // The main is the loudest part of the set so far: it lifted the reference and reads ≈ 1.
  assert.ok(s.main > 0.9, `${s.main}`);
});

for (const peakDb of [0, -30]) {
  test(`demo track at ${peakDb} dBFS peak: main above intro once the reference has adapted (second minute)`, () => {
    const track = scaledDemo(peakDb);
    const r = rmsSlowOf(track, track);
    assertFinite01(r.v);
    const first = sections(r, 0);
    const second = sections(r, 1);
    const f = (s: { intro: number; main: number }): string => `intro ${s.intro.toFixed(3)} main ${s.main.toFixed(3)}`;
    console.log(`demo at ${peakDb} dBFS: minute 1 ${f(first)}; minute 2 ${f(second)}`);
    assert.ok(second.main > second.intro + 0.2, `minute 2: ${f(second)}`);
    // At 0 dBFS no adaptation is needed (the main lifts the reference at once); 30 dB under the starting
    // reference the catch-up takes the first minute.
    if (peakDb === 0) assert.ok(first.main > first.intro + 0.2, `first play: ${f(first)}`);
  });
}

test('silence reads 0; after music, silence fades rmsSlow to 0 and leaves the reference where it was', () => {
  const silent = rmsSlowOf(4);
  assert.ok(silent.v.length === 400 && silent.v.every((x) => x === 0), 'silence from the start reads 0');
  // 20 s of the main, 12 s of silence, the main again.
  const main10 = demo.channels.map((c) => c.subarray(Math.round((BOUNDARY_S + 1) * SR), Math.round((BOUNDARY_S + 11) * SR)));
  const r = rmsSlowOf(main10, main10, 12, main10);
  assertFinite01(r.v);
  const at = (t: number): number => r.v[r.t.findIndex((x) => x >= t)]!;
  // 4.3 dB per 2 s window from the reference to 18 dB under it: ≈ 8.4 s.
  let last = 1;
  let nonZero = 0;
  for (let i = 0; i < r.t.length; i++) {
    if (r.t[i]! < 20.05 || r.t[i]! >= 32) continue;
    assert.ok(r.v[i]! <= last, 'falls monotonically in silence');
    last = r.v[i]!;
    if (r.t[i]! >= 30 && r.v[i]! > 0) nonZero++;
  }
  console.log(`main, silence, main: ${at(19.9).toFixed(3)} before the silence, ${at(25).toFixed(3)} 5 s into it, ${nonZero} hops > 0 after 10 s of it, ${at(35).toFixed(3)} 3 s after the music is back`);
  assert.ok(at(19.9) > 0.9, `${at(19.9)}`);
  assert.equal(nonZero, 0);
  // The reference did not fall during the silence: the same music reads as high again within 3 s.
  assert.ok(at(35) > 0.9, `${at(35)}`);
});

/** SectionLevel alone, at the analysis hop rate, fed hop RMS values in dBFS. */
function level(): { s: SectionLevel; run: (db: number, seconds: number) => number } {
  const hopRateHz = 100;
  const s = new SectionLevel({
    hopRateHz,
    windowS: cfg.rmsSlowS,
    refDb: cfg.rmsSlowRefDb,
    rangeDb: cfg.rmsSlowRangeDb,
    fallDbPerMin: cfg.rmsSlowFallDbPerMin,
    catchUpDbPerMin: cfg.rmsSlowCatchUpDbPerMin,
  });
  const run = (db: number, seconds: number): number => {
    let v = 0;
    for (let i = 0; i < seconds * hopRateHz; i++) v = s.next(Math.pow(10, db / 20), false);
    return v;
  };
  return { s, run };
}

test('adaptation times: catch-up to a line-in 30 dB under the reference, slow fall, instant rise', () => {
  // Steady material 30 dB under the starting reference (−16 → −46 dBFS): the catch-up (30 dB/min) needs
  // (30 − 18) / 30 min = 24 s to make it readable, then the reference falls 18 dB at 3 dB/min (6 min).
  const { s, run } = level();
  assert.equal(run(-46, 20), 0);
  assert.ok(run(-46, 20) > 0.02, 'readable after 40 s');
  const after3Min = run(-46, 140);
  assert.ok(after3Min > 0.4 && after3Min < 0.6, `${after3Min} after 3 min`);
  assert.ok(run(-46, 200) < 1, 'not yet at 6 min');
  assert.equal(run(-46, 30), 1, 'reads 1 by 7 min');
  assert.ok(Math.abs(s.refDb - -46) < 0.01, `${s.refDb}`);
  // Louder material lifts the reference at once: a +6 dB drop reads 1 while its mean builds up (one window).
  assert.equal(run(-40, 3), 1);
  assert.equal(run(-40, 10), 1);
  assert.ok(Math.abs(s.refDb - -40) < 0.1, `${s.refDb}`);
  // A one-minute breakdown 8 dB down still reads low at its end: the reference fell only 3 dB.
  const breakdown = run(-48, 60);
  assert.ok(breakdown > 0.6 && breakdown < 0.75, `${breakdown}`);
  // Garbage in: NaN or infinite RMS counts as no power, never NaN out.
  assert.ok(Number.isFinite(s.next(NaN, false)) && Number.isFinite(s.next(Infinity, false)));
});

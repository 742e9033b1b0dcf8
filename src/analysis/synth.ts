/**
 * Signals with known truth for testing and evaluating the analysis (not used at run time): drum patterns at a
 * given tempo, chords and bass lines, and the awkward inputs (silence, DC, noise, clipping). Deterministic: all
 * noise comes from a seeded generator. The drum voices differ on purpose from the demo track's (other sweeps,
 * decays, filters and body tones), so a detector tuned on one is checked on the other; their spectra stay where
 * real drums put them (kick below 150 Hz plus a beater click, snare wires 1–8 kHz, hats above 6 kHz).
 */
import { Biquad } from './filters.js';

export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export interface PatternTruth {
  bpm: number;
  kick: number[];
  snare: number[];
  hats: number[];
  beats: number[];
  downbeats: number[];
  /** Bars with the chord's pitch classes and the bass pitch class (when harmony was rendered). */
  bars: Array<{ start: number; end: number; chordPcs: number[]; bassPc: number }>;
}

export interface PatternSignal {
  sampleRate: number;
  samples: Float32Array;
  truth: PatternTruth;
}

export interface PatternOptions {
  bpm: number;
  durationS: number;
  sampleRate?: number;
  /** Peak level of the result in dBFS (default −1). */
  peakDb?: number;
  /** Add a sustained chord pad and a bass line (one chord per bar). */
  harmony?: boolean;
  /** Start of the first beat, s. */
  offsetS?: number;
  seed?: number;
  /**
   * Meter (default 4/4). `bpm` counts the beat: a quarter in 4/4 and 3/4, a dotted quarter (three eighths) in 6/8,
   * whose bar is two such beats. Kick on beat 1 (and 3 in 4/4), snare on the other beats, hats on every eighth.
   */
  meter?: '4/4' | '3/4' | '6/8';
  /** Spans [from, to) (s) without drums, a breakdown: the harmony plays on, and the truth keeps its beats. */
  breaks?: Array<[number, number]>;
  /**
   * Spans [from, to) (s) of an intro's off-beat hats: a hat on each beat's last eighth and no other drum (the harmony
   * plays on). The truth keeps its beats, and its hats are those played.
   */
  offbeatHats?: Array<[number, number]>;
  /**
   * Spans [from, to) (s) of a four-on-the-floor intro: a kick on every beat and no other drum (the harmony plays on).
   */
  kickOnly?: Array<[number, number]>;
  /**
   * The kit: where the kick's pitch glide starts (default 140 Hz), its beater click's gain (default 0.5), its attack
   * (default 2 ms; a slow one builds its thump over a hop or two) and the
   * snare's body tone (some kits' snares boom low and loud) and gain (default 1; some kits' snares sit far under
   * their kicks); a low boom under the snare's body and wires (a room or power kit's snare, as deep as its kick), the
   * top of the wires' noise (default 8 kHz; bright wires reach far above 6 kHz), the hats' gain (default 1) and the
   * click's band (default 2–5 kHz).
   */
  kit?: {
    kickFromHz?: number;
    kickClick?: number;
    kickAttackS?: number;
    snareBody?: SnareBody;
    snareGain?: number;
    snareBoom?: SnareBody;
    snareWiresTopHz?: number;
    hatGain?: number;
    kickClickHz?: [number, number];
  };
}

export interface SnareBody {
  hz: number;
  gain: number;
}

/** Adds `src` × `gain` into `dst` from sample `at` on, cut where `dst` ends. */
export function addAt(dst: Float32Array, src: Float32Array, at: number, gain: number): void {
  const n = Math.min(src.length, dst.length - at);
  for (let i = 0; i < n; i++) dst[at + i]! += gain * src[i]!;
}

/** Band-passed noise: two high-pass biquads and one low-pass. */
function bandNoise(n: number, rnd: () => number, loHz: number, hiHz: number, sr: number): Float32Array {
  const hp1 = Biquad.highpass(loHz, 0.707, sr);
  const hp2 = Biquad.highpass(loHz, 0.707, sr);
  const lp = Biquad.lowpass(hiHz, 0.707, sr);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = lp.process(hp2.process(hp1.process(rnd() * 2 - 1)));
  return v;
}

/** A kick: a sine swept 140 (or `fromHz`) → 50 Hz with a beater click (3 ms of noise around 2–5 kHz). */
function kick(sr: number, rnd: () => number, fromHz = 140, clickGain = 0.5, attackS = 0.002, clickHz: [number, number] = [2000, 5000]): Float32Array {
  const n = Math.round(0.35 * sr);
  const v = new Float32Array(n);
  const click = bandNoise(Math.round(0.01 * sr), rnd, clickHz[0], clickHz[1], sr);
  let ph = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    ph += (2 * Math.PI * (50 + (fromHz - 50) * Math.exp(-t / 0.04))) / sr;
    const c = i < click.length ? click[i]! * Math.exp(-t / 0.002) : 0;
    v[i] = Math.sin(ph) * Math.exp(-t / 0.16) * Math.min(1, t / attackS) + clickGain * c;
  }
  return v;
}

/** A snare: a 200 Hz body (or `body`) and wires (noise 1–8 kHz) with a longer decay. */
function snare(sr: number, rnd: () => number, body: SnareBody = { hz: 200, gain: 0.5 }, boom?: SnareBody, wiresTopHz = 8000): Float32Array {
  const n = Math.round(0.25 * sr);
  const noise = bandNoise(n, rnd, 1000, wiresTopHz, sr);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const low = boom ? boom.gain * Math.sin(2 * Math.PI * boom.hz * t) * Math.exp(-t / 0.08) : 0;
    v[i] = (body.gain * Math.sin(2 * Math.PI * body.hz * t) * Math.exp(-t / 0.04) + low + 1.2 * noise[i]! * Math.exp(-t / 0.06)) * Math.min(1, t / 0.001);
  }
  return v;
}

/** A closed hat: noise above 6 kHz, 15 ms decay. */
function hat(sr: number, rnd: () => number): Float32Array {
  const n = Math.round(0.06 * sr);
  const v = bandNoise(n, rnd, 6000, 16000, sr);
  for (let i = 0; i < n; i++) v[i]! *= 0.8 * Math.exp(-i / (0.015 * sr));
  return v;
}

const CHORDS: Array<{ pcs: number[]; bass: number }> = [
  { pcs: [0, 4, 7], bass: 0 }, // C
  { pcs: [9, 0, 4], bass: 9 }, // Am
  { pcs: [5, 9, 0], bass: 5 }, // F
  { pcs: [7, 11, 2], bass: 7 }, // G
];

/**
 * Adds Σₖ harmonics[k]·sin((k+1)·2π·hz·i/sr)·envelope(i) to out[at + i] for i < n. The fundamental turns as a unit
 * phasor (one complex multiply a sample) and the harmonics follow by the Chebyshev recurrence
 * sin((k+1)θ) = 2cos θ·sin kθ − sin((k−1)θ): test signals of minutes are rendered many times over, and a Math.sin
 * per harmonic per sample was most of their cost. The phasor's length drifts by about 1e-16 a step, far below a
 * 16-bit sample's resolution over any signal we render.
 */
export function addHarmonicTone(
  out: Float32Array,
  at: number,
  n: number,
  hz: number,
  sr: number,
  harmonics: readonly number[],
  envelope: (i: number) => number,
): void {
  const count = Math.min(n, out.length - at);
  const step = (2 * Math.PI * hz) / sr;
  const cosStep = Math.cos(step);
  const sinStep = Math.sin(step);
  let c = 1;
  let sn = 0;
  for (let i = 0; i < count; i++) {
    // sin(kθ) for k = 1…H from sin θ = sn and cos θ = c.
    let prev = 0;
    let cur = sn;
    let s = harmonics[0]! * cur;
    for (let h = 1; h < harmonics.length; h++) {
      const next = 2 * c * cur - prev;
      prev = cur;
      cur = next;
      s += harmonics[h]! * cur;
    }
    out[at + i]! += s * envelope(i);
    const c2 = c * cosStep - sn * sinStep;
    sn = sn * cosStep + c * sinStep;
    c = c2;
  }
}

function tone(sr: number, hz: number, lengthS: number, harmonics: number[], attackS: number): Float32Array {
  const n = Math.round(lengthS * sr);
  const v = new Float32Array(n);
  addHarmonicTone(v, 0, n, hz, sr, harmonics, (i) => Math.min(1, i / sr / attackS) * Math.min(1, (lengthS - i / sr) / 0.02));
  return v;
}

/** Kick on beats 1 and 3, snare on 2 and 4, closed hats on every eighth (other meters: see `meter`); optional pad and bass. */
export function renderPattern(opts: PatternOptions): PatternSignal {
  const sr = opts.sampleRate ?? 44100;
  const n = Math.round(opts.durationS * sr);
  const out = new Float32Array(n);
  const rnd = lcg(opts.seed ?? 7);
  const beatS = 60 / opts.bpm;
  const offset = opts.offsetS ?? 0.25;
  const K = kick(sr, rnd, opts.kit?.kickFromHz, opts.kit?.kickClick, opts.kit?.kickAttackS, opts.kit?.kickClickHz);
  const S = snare(sr, rnd, opts.kit?.snareBody, opts.kit?.snareBoom, opts.kit?.snareWiresTopHz);
  const H = hat(sr, rnd);
  const truth: PatternTruth = { bpm: opts.bpm, kick: [], snare: [], hats: [], beats: [], downbeats: [], bars: [] };
  const meter = opts.meter ?? '4/4';
  const beatsPerBar = meter === '4/4' ? 4 : meter === '3/4' ? 3 : 2;
  const eighthsPerBeat = meter === '6/8' ? 3 : 2;
  for (let b = 0; offset + b * beatS < opts.durationS - 0.05; b++) {
    const t = offset + b * beatS;
    const at = Math.round(t * sr);
    truth.beats.push(t);
    if (b % beatsPerBar === 0) truth.downbeats.push(t);
    if (opts.breaks?.some(([from, to]) => t >= from && t < to)) continue;
    if (opts.offbeatHats?.some(([from, to]) => t >= from && t < to)) {
      const th = t + ((eighthsPerBeat - 1) * beatS) / eighthsPerBeat;
      if (th < opts.durationS - 0.05) {
        addAt(out, H, Math.round(th * sr), 0.35);
        truth.hats.push(th);
      }
      continue;
    }
    if (opts.kickOnly?.some(([from, to]) => t >= from && t < to)) {
      addAt(out, K, at, 0.9);
      truth.kick.push(t);
      continue;
    }
    if (b % beatsPerBar === 0 || (beatsPerBar === 4 && b % beatsPerBar === 2)) {
      addAt(out, K, at, 0.9);
      truth.kick.push(t);
    } else {
      addAt(out, S, at, 0.5 * (opts.kit?.snareGain ?? 1));
      truth.snare.push(t);
    }
    for (let h = 0; h < eighthsPerBeat; h++) {
      const th = t + (h * beatS) / eighthsPerBeat;
      if (th >= opts.durationS - 0.05) break;
      addAt(out, H, Math.round(th * sr), (h === 1 ? 0.35 : 0.25) * (opts.kit?.hatGain ?? 1));
      truth.hats.push(th);
    }
  }
  if (opts.harmony) {
    const barS = beatsPerBar * beatS;
    for (let bar = 0; offset + bar * barS < opts.durationS - 0.1; bar++) {
      const start = offset + bar * barS;
      const end = Math.min(opts.durationS, start + barS);
      const c = CHORDS[bar % CHORDS.length]!;
      truth.bars.push({ start, end, chordPcs: [...c.pcs], bassPc: c.bass });
      const at = Math.round(start * sr);
      for (const pc of c.pcs) addAt(out, tone(sr, 261.63 * Math.pow(2, pc / 12), end - start, [1, 0.4, 0.2, 0.1], 0.01), at, 0.1);
      // Bass: the root in C2–B2, one sustained note per bar.
      addAt(out, tone(sr, 65.41 * Math.pow(2, c.bass / 12), end - start, [1, 0.5, 0.25], 0.005), at, 0.35);
    }
  }
  scaleToPeak(out, opts.peakDb ?? -1);
  return { sampleRate: sr, samples: out, truth };
}

/** Scales in place so that the peak is at `peakDb` dBFS (silence stays silence). */
export function scaleToPeak(x: Float32Array, peakDb: number): void {
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]!));
  if (peak === 0) return;
  const g = Math.pow(10, peakDb / 20) / peak;
  for (let i = 0; i < x.length; i++) x[i]! *= g;
}

/**
 * A mains buzz's recipe: the relative amplitudes of the fundamental and its first seven harmonics (a rectifier's or a
 * ground loop's, odd and even alike), how far off its nominal the grid runs (a ratio: 0.06 % sharp), and its slow
 * wander (±0.01 Hz over two minutes), as a grid's frequency does.
 */
export const MAINS_HUM_RECIPE = {
  partials: [1, 0.5, 0.5, 0.25, 0.25, 0.12, 0.12, 0.06],
  sharp: 1.0006,
  wanderHz: 0.01,
  wanderS: 120,
} as const;

/** `n` samples of mains hum on `mainsHz` at `levelDb` dBFS RMS (MAINS_HUM_RECIPE), its phases drawn from `seed`. */
export function mainsHumSignal(
  n: number,
  sampleRate: number,
  mainsHz: number,
  levelDb: number,
  seed: number,
): Float32Array {
  const { partials, sharp, wanderHz, wanderS } = MAINS_HUM_RECIPE;
  const rnd = lcg(seed);
  const phases = partials.map(() => 2 * Math.PI * rnd());
  const rmsOfOne = Math.sqrt(partials.reduce((s, a) => s + (a * a) / 2, 0));
  const gain = Math.pow(10, levelDb / 20) / rmsOfOne;
  const hum = new Float32Array(n);
  let turns = 0;
  for (let i = 0; i < n; i++) {
    turns += (mainsHz * sharp + wanderHz * Math.sin((2 * Math.PI * i) / sampleRate / wanderS)) / sampleRate;
    let v = 0;
    for (let k = 0; k < partials.length; k++) v += partials[k]! * Math.sin(2 * Math.PI * (k + 1) * turns + phases[k]!);
    hum[i] = gain * v;
  }
  return hum;
}

export function whiteNoise(n: number, amplitude: number, seed = 3): Float32Array {
  const rnd = lcg(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amplitude * (rnd() * 2 - 1);
  return x;
}

/** One note of a MIDI render: channel 0–15 (9 = GM drums), time and length in beats. */
export interface MidiNote {
  channel: number;
  note: number;
  velocity: number;
  startBeat: number;
  lengthBeats: number;
}

/**
 * A standard MIDI file (format 0, 480 ticks per beat) with a tempo and program changes; written here (a few lines)
 * so the tests can render realistic instruments with fluidsynth and know the exact truth.
 */
export function writeMidiFile(
  bpm: number,
  programs: Array<{ channel: number; program: number }>,
  notes: MidiNote[],
  /** Later tempo changes (a ramp is one per beat). */
  tempoChanges: Array<{ beat: number; bpm: number }> = [],
): Uint8Array {
  const TPB = 480;
  const events: Array<{ tick: number; order: number; bytes: number[] }> = [];
  for (const tc of [{ beat: 0, bpm }, ...tempoChanges]) {
    const usPerBeat = Math.round(60_000_000 / tc.bpm);
    events.push({ tick: Math.round(tc.beat * TPB), order: 0, bytes: [0xff, 0x51, 0x03, (usPerBeat >> 16) & 0xff, (usPerBeat >> 8) & 0xff, usPerBeat & 0xff] });
  }
  for (const p of programs) events.push({ tick: 0, order: 1, bytes: [0xc0 | p.channel, p.program] });
  for (const n of notes) {
    const on = Math.round(n.startBeat * TPB);
    const off = Math.round((n.startBeat + n.lengthBeats) * TPB);
    events.push({ tick: on, order: 3, bytes: [0x90 | n.channel, n.note, n.velocity] });
    events.push({ tick: off, order: 2, bytes: [0x80 | n.channel, n.note, 0] });
  }
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const track: number[] = [];
  const varLen = (v: number): void => {
    const bytes = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) bytes.unshift((x & 0x7f) | 0x80);
    track.push(...bytes);
  };
  let last = 0;
  for (const e of events) {
    varLen(e.tick - last);
    last = e.tick;
    track.push(...e.bytes);
  }
  varLen(TPB);
  track.push(0xff, 0x2f, 0x00);
  const head = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, (TPB >> 8) & 0xff, TPB & 0xff];
  const len = track.length;
  return Uint8Array.from([...head, 0x4d, 0x54, 0x72, 0x6b, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff, ...track]);
}

/** A band arrangement as MIDI notes with its truth: GM kick/snare/hats, a bass line (root per bar) and chords. */
export function bandArrangement(bpm: number, bars: number): { notes: MidiNote[]; truth: PatternTruth } {
  const notes: MidiNote[] = [];
  const beatS = 60 / bpm;
  const truth: PatternTruth = { bpm, kick: [], snare: [], hats: [], beats: [], downbeats: [], bars: [] };
  for (let bar = 0; bar < bars; bar++) {
    const c = CHORDS[bar % CHORDS.length]!;
    const b0 = bar * 4;
    truth.bars.push({ start: b0 * beatS, end: (b0 + 4) * beatS, chordPcs: [...c.pcs], bassPc: c.bass });
    truth.downbeats.push(b0 * beatS);
    for (const pc of c.pcs) notes.push({ channel: 0, note: 60 + pc, velocity: 70, startBeat: b0, lengthBeats: 3.9 });
    notes.push({ channel: 1, note: 36 + c.bass, velocity: 100, startBeat: b0, lengthBeats: 3.9 });
    for (let beat = 0; beat < 4; beat++) {
      const b = b0 + beat;
      truth.beats.push(b * beatS);
      const drum = beat % 2 === 0 ? 36 : 38;
      notes.push({ channel: 9, note: drum, velocity: 110, startBeat: b, lengthBeats: 0.25 });
      (drum === 36 ? truth.kick : truth.snare).push(b * beatS);
      for (let h = 0; h < 2; h++) {
        notes.push({ channel: 9, note: 42, velocity: h ? 70 : 90, startBeat: b + h / 2, lengthBeats: 0.2 });
        truth.hats.push((b + h / 2) * beatS);
      }
    }
  }
  return { notes, truth };
}

/**
 * A bass line of sustained notes (one every `noteS`, its partials up to the third) with kicks at `kicks` (s, gain):
 * for kick detection over a bass that keeps sounding, and, with no kicks, for false kicks on bass notes.
 */
export function renderKicksOverBass(opts: {
  durationS: number;
  bassHz: number[];
  noteS: number;
  bassGain: number;
  kicks: Array<[number, number]>;
  sampleRate?: number;
  seed?: number;
}): Float32Array {
  const sr = opts.sampleRate ?? 44100;
  const out = new Float32Array(Math.round(opts.durationS * sr));
  const rnd = lcg(opts.seed ?? 5);
  const K = kick(sr, rnd);
  for (let i = 0; i * opts.noteS < opts.durationS; i++) {
    const hz = opts.bassHz[i % opts.bassHz.length]!;
    const len = Math.min(opts.noteS, opts.durationS - i * opts.noteS);
    addAt(out, tone(sr, hz, len, [1, 0.5, 0.25], 0.005), Math.round(i * opts.noteS * sr), opts.bassGain);
  }
  for (const [t, g] of opts.kicks) addAt(out, K, Math.round(t * sr), g);
  return out;
}

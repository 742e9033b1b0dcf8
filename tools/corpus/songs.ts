/**
 * The evaluation corpus as scores: each song is a table row (soundfont, kit, meter, tempo or ramp, swing, chords,
 * sections), turned into MIDI notes and the exact truth (drum hits, beats, downbeats, chords with their bass, local
 * tempo, drumless spans, drops). Deterministic: velocities vary through a seeded generator.
 */
import { lcg, type MidiNote } from '../../src/analysis/synth.js';
import type { MachineKit, MachineName } from './drumMachine.js';
import type { BassVoice, ChordVoice, SynthKit } from './synthVoices.js';
import type { TrainBass } from '../drumnet/bassVoices.js';
import type { ModalKit } from './modalKit.js';

export type Quality = 'maj' | 'min' | '7' | 'maj7' | 'min7';
export const QUALITY_INTERVALS: Record<Quality, number[]> = {
  maj: [0, 4, 7],
  min: [0, 3, 7],
  '7': [0, 4, 7, 10],
  maj7: [0, 4, 7, 11],
  min7: [0, 3, 7, 10],
};

export interface ChordSpec {
  root: number;
  quality: Quality;
  /** 0 = root position, 1 = first inversion, … */
  inversion: number;
}

/** What plays in a section. */
export type DrumStyle = 'none' | 'backbeat' | 'halftime' | 'offbeatHats' | 'fourFloor' | 'waltz' | 'sixEight' | 'swingRide' | 'jazzWaltz' | 'featherRide' | 'boomBap';

export interface SectionSpec {
  bars: number;
  drums: DrumStyle;
  chords: boolean;
  bass: boolean;
  /** Velocity scale of the section (a drop is louder than its breakdown). */
  loud: number;
  /** This section is a drop (a boundary the live detector should find). */
  drop?: boolean;
}

/** Rows added to a set: songs and which of them get a variant (a name of VARIANTS in tools/corpus/corpus.ts). */
export interface CorpusRows {
  songs: SongSpec[];
  variantOf: Array<[string, 'room' | 'comp' | 'noise' | 'eq']>;
}

/** The corpus's soundfonts (Debian: fluid-soundfont-gm, timgm6mb-soundfont, musescore-general-soundfont). */
export const SOUNDFONTS = {
  fluid: '/usr/share/sounds/sf2/FluidR3_GM.sf2',
  timgm: '/usr/share/sounds/sf2/TimGM6mb.sf2',
  musescore: '/usr/share/sounds/sf3/MuseScore_General.sf3',
} as const;

/**
 * The Debian package of each soundfont file any set or training song plays (by file name). A font that is not
 * installed would render silent stems into the cache, which later runs would reuse (see checkSoundfonts).
 */
const SOUNDFONT_PACKAGES: Record<string, string> = {
  'FluidR3_GM.sf2': 'fluid-soundfont-gm',
  'TimGM6mb.sf2': 'timgm6mb-soundfont',
  'MuseScore_General.sf3': 'musescore-general-soundfont',
  'MuseScore_General_Lite.sf3': 'musescore-general-soundfont-small',
  'FluidR3Mono_GM.sf3': 'fluidr3mono-gm-soundfont',
  'sf_GMbank.sf2': 'csound-soundfont',
  'OPL-3_FM_128M.sf2': 'opl3-soundfont',
  'Black_Pearl_4_LV2.sf2': 'avldrums.lv2-soundfont',
  'Red_Zeppelin_4_LV2.sf2': 'avldrums.lv2-soundfont',
};

/** Throws, naming the song, the files and the Debian packages, when a soundfont the song plays is not installed. */
export function checkSoundfonts(spec: SongSpec, exists: (path: string) => boolean): void {
  const fonts = [spec.soundfont, ...(spec.drums?.soundfont ? [spec.drums.soundfont] : [])];
  const missing = [...new Set(fonts)].filter((f) => !exists(f));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((f) => SOUNDFONT_PACKAGES[f.split('/').pop()!] ?? '?'))];
  throw new Error(`${spec.name}: soundfont ${missing.join(', ')} is not installed (apt-get install ${packages.join(' ')})`);
}

export const ch = (root: number, quality: ChordSpec['quality'], inversion = 0): ChordSpec => ({ root, quality, inversion });
export const sec = (bars: number, drums: SectionSpec['drums'], chords = true, bass = true, loud = 0.8, drop = false): SectionSpec => ({ bars, drums, chords, bass, loud, drop });

export interface SongSpec {
  name: string;
  soundfont: string;
  /** GM drum kit program on channel 10 (0 standard, 8 room, 16 power, 24 electronic, 25 TR-808, 32 jazz). */
  kit: number;
  chordProgram: number;
  bassProgram: number;
  /** Beats per bar as counted (3/4 → 3; 6/8 → 2 dotted-quarter beats of three eighths). */
  beatsPerBar: number;
  /** Subdivisions per beat for the drums (6/8: 3 eighths per beat; 4: sixteenth hats, straight; otherwise 2). */
  subdivisions: number;
  /** Tempo of the counted beat: constant, or a linear ramp from → to over the song. */
  bpm: number | [number, number];
  /** Swing: share of the beat before the off-beat eighth (0.5 straight, 0.667 triplet swing). */
  swing: number;
  /** Lowest MIDI note of the chord voicings (40 = E2). */
  voicingLowMidi: number;
  progression: ChordSpec[];
  /** Bars per chord. */
  barsPerChord: number;
  sections: SectionSpec[];
  seed: number;
  /**
   * How the chord's tones are spread (absent: 'close', every tone in one octave from voicingLowMidi up). 'spread':
   * the middle tones an octave higher (open voicing); 'doubled': close plus the lowest tone an octave above the top.
   * Only the chord-net training songs (tools/chordnet) use the others; the evaluation songs stay close.
   */
  voicing?: 'close' | 'spread' | 'doubled' | 'drop2';
  /** Bass and chords played by our own synthesised voices (tools/corpus/synthVoices.ts) instead of the soundfont. */
  voices?: { bass?: BassVoice; chords?: ChordVoice };
  /** Bass played by a synthesised voice of the drum net's training songs only (tools/drumnet/bassVoices.ts). */
  trainBass?: TrainBass;
  /**
   * When the chord is struck (absent: 'sustain', once per chord, held to its end). 'beats': every counted beat;
   * 'charleston': the bar's first beat and the off-beat after the second (swung); 'afterbeats': the chord's first
   * beat, then the other beats of each bar (a waltz's oom-pah-pah, without the oom after the first bar). Every
   * strike is held to the next. Only the chord-net training songs use the others.
   */
  comp?: 'sustain' | 'beats' | 'charleston' | 'afterbeats';
  /** Velocities (0..1, before the section's loudness) of the chord and bass notes (absent: 0.55 and 0.8). */
  chordVelocity?: number;
  bassVelocity?: number;
  /** Scale of the kicks' velocities (absent: 1); only the drum net's training songs soften them. */
  kickVelocity?: number;
  /**
   * 'walking': the bass struck on every counted beat, climbing the chord's tones from its root and closing the bar a
   * semitone from the next bar's root (absent: the root on the bar and mid-bar). Only the drum net's training songs
   * walk: a jazz bass struck with every kick.
   */
  bassLine?: 'walking';
  /**
   * Drums from another soundfont than the instruments, rendered as a stem of their own and mixed under them: a GM
   * font's kit `kit`, or (singleKit) a font of one drum kit whose only preset plays the GM drum notes on a melodic
   * channel (Debian's avldrums.lv2-soundfont); or one of our own drum machines (tools/corpus/drumMachine.ts); or a kit
   * synthesised with our voices (tools/corpus/synthVoices.ts; `modal`: the voices of the modal kit and its crushed cut,
   * MODAL_KIT of tools/corpus/modalKit.ts when absent; only the drum net's training songs draw others).
   */
  drums?:
    | { soundfont: string; singleKit?: boolean; machine?: undefined; synthKit?: undefined; modal?: undefined }
    | { machine: MachineName | MachineKit; soundfont?: undefined; singleKit?: undefined; synthKit?: undefined; modal?: undefined }
    | { synthKit: SynthKit; modal?: ModalKit; machine?: undefined; soundfont?: undefined; singleKit?: undefined };
}

/** Strike positions (counted beats from the bar's start) of a comping pattern; the first bar of a chord always has 0. */
export function compPositions(comp: NonNullable<SongSpec['comp']>, beatsPerBar: number, firstBar: boolean): number[] {
  const all = Array.from({ length: beatsPerBar }, (_, b) => b);
  switch (comp) {
    case 'sustain':
      return firstBar ? [0] : [];
    case 'beats':
      return all;
    case 'charleston':
      return beatsPerBar >= 2 ? [0, 1.5] : [0];
    case 'afterbeats':
      return firstBar ? all : all.slice(1);
  }
}

export interface HarmonySegment {
  start: number;
  end: number;
  root: number;
  quality: Quality;
  chordPcs: number[];
  bassPc: number;
}

export interface SongTruth {
  durationS: number;
  beatsPerBar: number;
  kick: number[];
  snare: number[];
  hats: number[];
  beats: number[];
  downbeats: number[];
  harmony: HarmonySegment[];
  /** Spans without drums (s). */
  drumless: Array<[number, number]>;
  drops: number[];
  /** The whole song has no drums. */
  ambient: boolean;
}

export interface Score {
  bpm: number;
  tempoChanges: Array<{ beat: number; bpm: number }>;
  programs: Array<{ channel: number; program: number }>;
  notes: MidiNote[];
  truth: SongTruth;
}

export const CH_CHORD = 0;
export const CH_BASS = 1;
export const CH_DRUMS = 9;
const KICK = 36;
const SNARE = 38;
const CLAP = 39;
const HAT = 42;
const OPEN_HAT = 46;
const RIDE = 51;
const PEDAL_HAT = 44;

/** MIDI pitches of a chord voiced upward from the lowest note ≥ lowMidi that is the inversion's bass tone. */
export function voiceChord(c: ChordSpec, lowMidi: number): number[] {
  const iv = QUALITY_INTERVALS[c.quality];
  const inv = c.inversion % iv.length;
  const pcs = [...iv.slice(inv), ...iv.slice(0, inv)].map((i) => (c.root + i) % 12);
  const out: number[] = [];
  let m = lowMidi + ((pcs[0]! - lowMidi) % 12 + 12) % 12;
  for (const pc of pcs) {
    while (((m % 12) + 12) % 12 !== pc) m++;
    out.push(m);
    m++;
  }
  return out;
}

/** The chord's MIDI pitches in the song's voicing (see SongSpec.voicing); the first is the lowest. */
export function voiceChordAs(c: ChordSpec, lowMidi: number, voicing: SongSpec['voicing'] = 'close'): number[] {
  const close = voiceChord(c, lowMidi);
  if (voicing === 'spread') return close.map((m, i) => (i > 0 && i % 2 === 1 ? m + 12 : m));
  if (voicing === 'drop2' && close.length >= 3) {
    // The second-highest tone an octave down (a jazz pianist's and guitarist's drop-2 voicing).
    const j = close.length - 2;
    return [close[j]! - 12, ...close.slice(0, j), ...close.slice(j + 1)];
  }
  if (voicing === 'doubled') {
    let top = close[0]! + 12;
    while (top <= close[close.length - 1]!) top += 12;
    return [...close, top];
  }
  return close;
}

/** Drum hits of one bar: [position in beats, note, velocity 0..1]. */
function drumBar(style: DrumStyle, beatsPerBar: number, sub: number): Array<[number, number, number]> {
  const hits: Array<[number, number, number]> = [];
  const eighths = (note: number, v: number, offOnly = false): void => {
    for (let b = 0; b < beatsPerBar; b++) for (let s = offOnly ? 1 : 0; s < sub; s++) hits.push([b + s / sub, note, s === 0 ? v : 0.75 * v]);
  };
  switch (style) {
    case 'none':
      break;
    case 'backbeat':
      for (let b = 0; b < beatsPerBar; b++) hits.push([b, b % 2 === 0 ? KICK : SNARE, 0.9]);
      hits.push([2.5, KICK, 0.7]);
      eighths(HAT, 0.6);
      break;
    case 'halftime':
      hits.push([0, KICK, 0.95], [2, SNARE, 0.95], [2.75, KICK, 0.7]);
      eighths(HAT, 0.6);
      break;
    case 'offbeatHats':
      eighths(HAT, 0.7, true);
      break;
    case 'fourFloor':
      for (let b = 0; b < beatsPerBar; b++) hits.push([b, KICK, 0.95]);
      hits.push([1, CLAP, 0.8], [3, CLAP, 0.8]);
      eighths(OPEN_HAT, 0.5, true);
      break;
    case 'waltz':
      hits.push([0, KICK, 0.9], [1, SNARE, 0.6], [2, SNARE, 0.6]);
      for (let b = 0; b < beatsPerBar; b++) hits.push([b, HAT, 0.5]);
      break;
    case 'sixEight':
      hits.push([0, KICK, 0.9], [1, SNARE, 0.85]);
      eighths(HAT, 0.55);
      break;
    case 'swingRide':
      hits.push([0, KICK, 0.7], [2, KICK, 0.6], [1, SNARE, 0.55], [3, SNARE, 0.55]);
      for (let b = 0; b < beatsPerBar; b++) hits.push([b, RIDE, 0.6]);
      hits.push([1.5, RIDE, 0.45], [3.5, RIDE, 0.45], [1, PEDAL_HAT, 0.5], [3, PEDAL_HAT, 0.5]);
      break;
    case 'featherRide':
      // Ride and hi-hat foot as swingRide's, a soft kick on every beat, the snare on the off-beat of 2 and on 4.
      for (let b = 0; b < beatsPerBar; b++) hits.push([b, KICK, 0.45], [b, RIDE, 0.6]);
      for (let b = 1; b < beatsPerBar; b += 2) hits.push([b + 0.5, RIDE, 0.45], [b, PEDAL_HAT, 0.5]);
      hits.push([1.5, SNARE, 0.4], [beatsPerBar - 1, SNARE, 0.55]);
      break;
    case 'boomBap':
      // Hip-hop's slow break: kick on 1, the last sixteenth of 2 and the off-beat of 3, the snare hard on 2 and 4,
      // eighth (or, with 4 subdivisions, sixteenth) hats.
      hits.push([0, KICK, 0.95], [1.75, KICK, 0.6], [2.5, KICK, 0.8], [1, SNARE, 0.95], [3, SNARE, 0.95]);
      eighths(HAT, 0.5);
      break;
    case 'jazzWaltz':
      // Ride on every beat and the swung off-beat of 2, hi-hat foot on 2 and 3, kick on 1 (and softly on the last
      // off-beat), the snare on 3.
      for (let b = 0; b < beatsPerBar; b++) hits.push([b, RIDE, 0.6]);
      hits.push([1.5, RIDE, 0.45], [1, PEDAL_HAT, 0.45], [2, PEDAL_HAT, 0.45], [0, KICK, 0.7], [beatsPerBar - 0.5, KICK, 0.4], [beatsPerBar - 1, SNARE, 0.55]);
      break;
  }
  return hits;
}

/** Makes the notes and the truth of a song. */
/** A chord root's bass note (MIDI), between E1 and D#2. */
function bassRootMidi(pitchClass: number): number {
  return 28 + ((pitchClass - 4 + 12) % 12);
}

export function scoreSong(spec: SongSpec): Score {
  const rnd = lcg(spec.seed);
  const totalBars = spec.sections.reduce((a, s) => a + s.bars, 0);
  const totalBeats = totalBars * spec.beatsPerBar;
  // Tempo per beat; microseconds per beat rounded as the MIDI file stores them, so the truth is exact.
  const usPerBeat: number[] = [];
  const [from, to] = typeof spec.bpm === 'number' ? [spec.bpm, spec.bpm] : spec.bpm;
  for (let b = 0; b <= totalBeats + 1; b++) usPerBeat.push(Math.round(60_000_000 / (from + ((to - from) * Math.min(b, totalBeats)) / totalBeats)));
  // MIDI counts quarter notes; a counted beat of 6/8 is a dotted quarter (1.5 quarters).
  const quartersPerBeat = spec.subdivisions === 3 ? 1.5 : 1;
  const beatStart: number[] = [0];
  for (let b = 0; b <= totalBeats + 1; b++) beatStart.push(beatStart[b]! + (usPerBeat[b]! * 1e-6));
  const timeOf = (beat: number): number => {
    const i = Math.floor(beat);
    return beatStart[i]! + (beat - i) * usPerBeat[i]! * 1e-6;
  };
  const tempoChanges: Array<{ beat: number; bpm: number }> = [];
  if (from !== to) for (let b = 1; b <= totalBeats; b++) tempoChanges.push({ beat: b * quartersPerBeat, bpm: (60_000_000 / usPerBeat[b]!) * quartersPerBeat });
  const swingPos = (pos: number): number => {
    // The off-beat eighth of a straight-eighths grid moves to `swing` of the beat.
    const i = Math.floor(pos);
    const f = pos - i;
    return spec.subdivisions === 2 && Math.abs(f - 0.5) < 1e-9 ? i + spec.swing : pos;
  };
  const notes: MidiNote[] = [];
  const truth: SongTruth = { durationS: 0, beatsPerBar: spec.beatsPerBar, kick: [], snare: [], hats: [], beats: [], downbeats: [], harmony: [], drumless: [], drops: [], ambient: spec.sections.every((s) => s.drums === 'none') };
  const vel = (v: number, loud: number): number => Math.max(20, Math.min(127, Math.round(127 * v * loud * (0.92 + 0.08 * rnd()))));
  const add = (channel: number, note: number, velocity: number, beat: number, lengthBeats: number): void => {
    notes.push({ channel, note, velocity, startBeat: beat * quartersPerBeat, lengthBeats: lengthBeats * quartersPerBeat });
  };
  let bar = 0;
  for (const sec of spec.sections) {
    const secStart = timeOf(bar * spec.beatsPerBar);
    if (sec.drop) truth.drops.push(secStart);
    const secEnd = timeOf((bar + sec.bars) * spec.beatsPerBar);
    if (sec.drums === 'none') {
      const last = truth.drumless[truth.drumless.length - 1];
      if (last && Math.abs(last[1] - secStart) < 1e-6) last[1] = secEnd;
      else truth.drumless.push([secStart, secEnd]);
    }
    for (let i = 0; i < sec.bars; i++, bar++) {
      const b0 = bar * spec.beatsPerBar;
      for (let b = 0; b < spec.beatsPerBar; b++) {
        truth.beats.push(timeOf(b0 + b));
        if (b === 0) truth.downbeats.push(timeOf(b0));
      }
      const chord = spec.progression[Math.floor(bar / spec.barsPerChord) % spec.progression.length]!;
      const iv = QUALITY_INTERVALS[chord.quality];
      const chordPcs = iv.map((x) => (chord.root + x) % 12);
      if (sec.chords || sec.bass) {
        // Without a bass line the bass is the chord's lowest note: the inversion's, not the root (C/E has E in the
        // bass), and in a drop-2 voicing the tone dropped under the others.
        const bassPc = sec.bass ? chord.root : Math.min(...voiceChordAs(chord, spec.voicingLowMidi, spec.voicing)) % 12;
        truth.harmony.push({ start: timeOf(b0), end: timeOf(b0 + spec.beatsPerBar), root: chord.root, quality: chord.quality, chordPcs, bassPc });
      }
      if (sec.chords && spec.comp && spec.comp !== 'sustain') {
        // Each strike held to the next one (or to the chord's end).
        const inChord = bar % spec.barsPerChord;
        const chordEnd = (bar - inChord + spec.barsPerChord) * spec.beatsPerBar;
        const pos = compPositions(spec.comp, spec.beatsPerBar, inChord === 0).map((p) => b0 + swingPos(p));
        for (let k = 0; k < pos.length; k++) {
          const next = k + 1 < pos.length ? pos[k + 1]! : inChord + 1 < spec.barsPerChord ? b0 + spec.beatsPerBar + swingPos(compPositions(spec.comp, spec.beatsPerBar, false)[0] ?? 0) : chordEnd;
          for (const m of voiceChordAs(chord, spec.voicingLowMidi, spec.voicing)) add(CH_CHORD, m, vel(spec.chordVelocity ?? 0.55, sec.loud), pos[k]!, Math.max(0.1, Math.min(next, chordEnd) - pos[k]! - 0.1));
        }
      } else if (sec.chords && bar % spec.barsPerChord === 0) {
        for (const m of voiceChordAs(chord, spec.voicingLowMidi, spec.voicing)) add(CH_CHORD, m, vel(spec.chordVelocity ?? 0.55, sec.loud), b0, spec.beatsPerBar * spec.barsPerChord - 0.1);
      }
      if (sec.bass) {
        const root = bassRootMidi(chord.root);
        if (spec.bassLine === 'walking') {
          const next = spec.progression[Math.floor((bar + 1) / spec.barsPerChord) % spec.progression.length]!;
          const tones = iv.map((x) => root + x);
          for (let b = 0; b < spec.beatsPerBar; b++) {
            const note = b === spec.beatsPerBar - 1 && b > 0 ? bassRootMidi(next.root) + (rnd() < 0.5 ? -1 : 1) : tones[b % tones.length]!;
            add(CH_BASS, note, vel(spec.bassVelocity ?? 0.8, sec.loud), b0 + b, 0.9);
          }
        } else {
          // Re-struck on the bar and mid-bar (a new bass note with no drum under it).
          const half = spec.beatsPerBar >= 4 ? 2 : spec.beatsPerBar;
          for (let b = 0; b < spec.beatsPerBar; b += half) add(CH_BASS, root, vel(spec.bassVelocity ?? 0.8, sec.loud), b0 + b, Math.min(half, spec.beatsPerBar - b) - 0.1);
        }
      }
      for (const [pos, note, v] of drumBar(sec.drums, spec.beatsPerBar, spec.subdivisions)) {
        const beat = b0 + swingPos(pos);
        add(CH_DRUMS, note, vel(note === KICK ? v * (spec.kickVelocity ?? 1) : v, sec.loud), beat, 0.2);
        const t = timeOf(beat);
        if (note === KICK) truth.kick.push(t);
        else if (note === SNARE || note === CLAP) truth.snare.push(t);
        else if (note === HAT || note === OPEN_HAT) truth.hats.push(t);
      }
    }
  }
  truth.durationS = timeOf(totalBeats) + 1;
  for (const k of ['kick', 'snare', 'hats'] as const) truth[k].sort((a, b) => a - b);
  return {
    bpm: (60_000_000 / usPerBeat[0]!) * quartersPerBeat,
    tempoChanges,
    programs: [
      { channel: CH_CHORD, program: spec.chordProgram },
      { channel: CH_BASS, program: spec.bassProgram },
      { channel: CH_DRUMS, program: spec.kit },
    ],
    notes,
    truth,
  };
}

/** Local tempo (BPM of the counted beat) at time t from the truth beats; NaN outside them. */
export function localTempo(beats: number[], t: number): number {
  for (let i = 1; i < beats.length; i++) if (t < beats[i]!) return t >= beats[i - 1]! ? 60 / (beats[i]! - beats[i - 1]!) : NaN;
  return NaN;
}

/**
 * A song's score to a WAV with Debian's fluidsynth: one render with the song's soundfont, or, when the drums come
 * from another soundfont, two stems (instruments, drums) mixed by sox at the levels a GM font's own mix has.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { writeMidiFile, type MidiNote } from '../../src/analysis/synth.js';
import { renderDrumMachine } from './drumMachine.js';
import { CH_BASS, CH_CHORD, CH_DRUMS, type Score, type SongSpec } from './songs.js';
import { renderSynthStem, type BassVoice, type ChordVoice } from './synthVoices.js';
import { renderTrainBass } from '../drumnet/bassVoices.js';

export function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message}`);
}

const fluidsynth = (soundfont: string, mid: string, wav: string): void =>
  run('fluidsynth', ['-ni', '-q', '-o', 'synth.cpu-cores=1', '-F', wav, '-r', '44100', soundfont, mid]);

interface Stem {
  name: string;
  notes: MidiNote[];
  programs: Array<{ channel: number; program: number }>;
  /** The soundfont that plays it, or null when our own synthesis does. */
  font: string | null;
  /** Gain in the mix after every stem is brought to the same peak. */
  gain: number;
}

/**
 * Renders `score` to `raw` (44.1 kHz stereo WAV); `base` names the intermediate files. One fluidsynth render when the
 * song's soundfont plays everything; otherwise stems (the font's instruments, our synthesised voices, a drum-net
 * training bass (tools/drumnet/bassVoices.ts, at its own mixGain), the drums from
 * their own font, a drum machine or our synthesised kit) brought to one peak and mixed by sox.
 */
export function synthesise(spec: SongSpec, score: Score, base: string, raw: string): void {
  if (!spec.drums && !spec.voices && !spec.trainBass) {
    writeFileSync(`${base}.mid`, writeMidiFile(score.bpm, score.programs, score.notes, score.tempoChanges));
    fluidsynth(spec.soundfont, `${base}.mid`, raw);
    return;
  }
  const isDrum = (channel: number): boolean => channel === CH_DRUMS;
  const voiced = new Map<number, BassVoice | ChordVoice>();
  if (spec.voices?.bass) voiced.set(CH_BASS, spec.voices.bass);
  if (spec.voices?.chords) voiced.set(CH_CHORD, spec.voices.chords);
  const drums = spec.drums ?? { soundfont: spec.soundfont };
  const single = drums.singleKit === true;
  // A one-kit font has no percussion bank: its preset 0 on channel 1 plays the same GM note numbers.
  const drumNotes = score.notes.filter((n) => isDrum(n.channel)).map((n) => (single ? { ...n, channel: 0 } : n));
  const drumPrograms = single ? [{ channel: 0, program: 0 }] : score.programs.filter((p) => isDrum(p.channel));
  const trainBass = (channel: number): boolean => spec.trainBass !== undefined && channel === CH_BASS;
  const fontNotes = score.notes.filter((n) => !isDrum(n.channel) && !voiced.has(n.channel) && !trainBass(n.channel));
  const ownNotes = score.notes.filter((n) => voiced.has(n.channel));
  const trainBassNotes = score.notes.filter((n) => trainBass(n.channel));
  // Drums peak about 3 dB over the instruments, as in the GM fonts' own mixes of these songs; our bass and chords
  // together stand where a font's instruments do, and beside a font's chords our bass alone a little under them.
  const instGain = (ownNotes.length > 0 || trainBassNotes.length > 0) && fontNotes.length > 0 ? 0.55 : 0.7;
  const stems: Stem[] = [
    { name: 'inst', notes: fontNotes, programs: score.programs.filter((p) => !isDrum(p.channel) && !voiced.has(p.channel) && !trainBass(p.channel)), font: spec.soundfont, gain: instGain },
    { name: 'voices', notes: ownNotes, programs: [], font: null, gain: instGain },
    { name: 'trainbass', notes: trainBassNotes, programs: [], font: null, gain: spec.trainBass?.mixGain ?? 0 },
    { name: 'drums', notes: drumNotes, programs: drumPrograms, font: drums.soundfont ?? null, gain: 1 },
  ].filter((s) => s.notes.length > 0);
  for (const s of stems) {
    const wav = `${base}.${s.name}.wav`;
    if (s.font) {
      writeFileSync(`${base}.${s.name}.mid`, writeMidiFile(score.bpm, s.programs, s.notes, score.tempoChanges));
      fluidsynth(s.font, `${base}.${s.name}.mid`, wav);
    } else if (s.name === 'voices') renderSynthStem(score, s.notes, voiced, null, wav, spec.seed);
    else if (s.name === 'trainbass' && spec.trainBass) renderTrainBass(score, s.notes, spec.trainBass, wav, spec.seed + 2);
    else if (drums.machine) renderDrumMachine(drums.machine, score, s.notes, wav, spec.seed);
    else renderSynthStem(score, s.notes, new Map(), drums.synthKit ?? null, wav, spec.seed + 1, drums.modal);
    // Each stem to the same peak first: the fonts' own levels differ by 10 dB and more.
    run('sox', ['-D', wav, `${wav}.norm.wav`, 'gain', '-n', '-1']);
  }
  // -G: the sum of stems at these levels can pass full scale, and a clipped mix would flatten the kicks' peaks.
  const inputs = stems.flatMap((s) => ['-v', String(s.gain), `${base}.${s.name}.wav.norm.wav`]);
  run('sox', ['-D', '-G', ...(stems.length > 1 ? ['-m'] : []), ...inputs, raw]);
  for (const s of stems) for (const f of [`${base}.${s.name}.wav`, `${base}.${s.name}.wav.norm.wav`]) rmSync(f, { force: true });
}

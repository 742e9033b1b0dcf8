/**
 * A song's score to a WAV with Debian's fluidsynth: one render with the song's soundfont, or, when the drums come
 * from another soundfont, two stems (instruments, drums) mixed by sox at the levels a GM font's own mix has.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { writeMidiFile } from '../../src/analysis/synth.js';
import { renderDrumMachine } from './drumMachine.js';
import { CH_DRUMS, type Score, type SongSpec } from './songs.js';

export function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message}`);
}

const fluidsynth = (soundfont: string, mid: string, wav: string): void =>
  run('fluidsynth', ['-ni', '-q', '-o', 'synth.cpu-cores=1', '-F', wav, '-r', '44100', soundfont, mid]);

/** Renders `score` to `raw` (44.1 kHz stereo WAV); `base` names the intermediate files. */
export function synthesise(spec: SongSpec, score: Score, base: string, raw: string): void {
  if (!spec.drums) {
    writeFileSync(`${base}.mid`, writeMidiFile(score.bpm, score.programs, score.notes, score.tempoChanges));
    fluidsynth(spec.soundfont, `${base}.mid`, raw);
    return;
  }
  const isDrum = (channel: number): boolean => channel === CH_DRUMS;
  const drums = spec.drums;
  const single = drums.singleKit === true;
  // A one-kit font has no percussion bank: its preset 0 on channel 1 plays the same GM note numbers.
  const drumNotes = score.notes.filter((n) => isDrum(n.channel)).map((n) => (single ? { ...n, channel: 0 } : n));
  const drumPrograms = single ? [{ channel: 0, program: 0 }] : score.programs.filter((p) => isDrum(p.channel));
  const stems = [
    { mid: `${base}.inst.mid`, wav: `${base}.inst.wav`, font: spec.soundfont, programs: score.programs.filter((p) => !isDrum(p.channel)), notes: score.notes.filter((n) => !isDrum(n.channel)) },
    { mid: `${base}.drums.mid`, wav: `${base}.drums.wav`, font: drums.soundfont, programs: drumPrograms, notes: drumNotes },
  ];
  for (const s of stems) {
    writeFileSync(s.mid, writeMidiFile(score.bpm, s.programs, s.notes, score.tempoChanges));
    if (s.font) fluidsynth(s.font, s.mid, s.wav);
    else if (drums.machine) renderDrumMachine(drums.machine, score, s.notes, s.wav, spec.seed);
    // Each stem to the same peak first: the fonts' own levels differ by 10 dB and more.
    run('sox', ['-D', s.wav, `${s.wav}.norm.wav`, 'gain', '-n', '-1']);
  }
  // Drums peak about 3 dB over the instruments, as in the GM fonts' own mixes of these songs.
  // -G: the sum of two stems at these levels can pass full scale, and a clipped mix would flatten the kicks' peaks.
  run('sox', ['-D', '-G', '-m', '-v', '0.7', `${stems[0]!.wav}.norm.wav`, '-v', '1', `${stems[1]!.wav}.norm.wav`, raw]);
  for (const s of stems) for (const f of [s.wav, `${s.wav}.norm.wav`]) rmSync(f, { force: true });
}

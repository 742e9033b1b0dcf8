import { CHORD_QUALITIES, chordQualityNumber as qualityNumber, ENERGY_STATE_NUMBER, FEATURE_EVENTS, type FeatureEvent } from '../contracts/features.js';
import { closestName } from '../didYouMean.js';
import {
  chromaVector,
  controlReader,
  feature,
  lfoValue,
  PITCH_NAMES,
  scalar,
  type LfoShape,
  type SourceDef,
  type SourceReader,
} from './sourceReaders.js';

export { controlPatternToRegExp, lfoValue, type LfoShape, type SourceDef, type SourceReader } from './sourceReaders.js';

/**
 * The table of route sources. Schema, docs and the compiled readers are all generated from it (STYLE.md
 * lesson 2): adding a source is adding an entry. A source compiles once into a reader; per frame the reader
 * writes its value(s) into a preallocated buffer and says whether it has a value at all (a control nobody
 * has touched yet has none, and its route then leaves the target alone).
 */

/** Intervals per quality number, looked up once per frame without allocating. */
const QUALITY_INTERVALS = CHORD_QUALITIES.map(([, iv]) => iv);

/** The pitch-class set of the estimated chord: 1 on its tones (root + quality intervals), 0 elsewhere and without a chord. */
function chordTones(): SourceReader {
  return {
    width: 12,
    read(ctx, out, offset) {
      for (let i = 0; i < 12; i++) out[offset + i] = 0;
      const chord = ctx.features?.chord;
      if (!chord || chord.root < 0) return true;
      const iv = QUALITY_INTERVALS[qualityNumber(chord.quality)];
      if (iv) for (const step of iv) out[offset + ((chord.root + step) % 12)] = 1;
      return true;
    },
  };
}

/** What each analysis event means (the docs' event rows). */
const EVENT_MEANING: Record<FeatureEvent, string> = {
  kick: 'a kick drum hit',
  snare: 'a snare or clap hit',
  hats: 'a hi-hat or cymbal hit',
  onset: 'an onset in any band, before it is classified (every kick, snare or hat, and other attacks: plucks, stabs)',
  beat: 'a beat; only while `tempoKnown` is 1',
  downbeat: 'the first beat of a bar; only while `tempoKnown` is 1',
  section: 'a section change from the causal novelty',
  drop: 'a drop: the live section energy jumped up against the recent past',
  breakdown: 'a breakdown: the live section energy fell against the recent past',
};

function eventSource(event: string): SourceDef {
  return {
    name: `event.${event}`,
    group: 'events',
    width: 1,
    doc: `1 on the frame after ${EVENT_MEANING[event as FeatureEvent] ?? `a '${event}' event`} (held between frames, never lost), else 0. Use with \`envelope\`.`,
    compile: () => scalar((ctx) => (ctx.events.has(event) ? 1 : 0), false),
  };
}

export const SOURCES: SourceDef[] = [
  {
    name: 'chroma',
    group: 'features',
    width: 12,
    doc: 'Chord chroma, 12 values (index 0 = C), normalised per frame. Route it to `latents.<name>.weights` of a 12-latent bank.',
    compile: () => chromaVector('chroma'),
  },
  {
    name: 'bassChroma',
    group: 'features',
    width: 12,
    doc: 'Bass chroma from the low band, 12 values (index 0 = C).',
    compile: () => chromaVector('bassChroma'),
  },
  {
    name: 'chroma.<pc>',
    pattern: /^(chroma|bassChroma)\.(\d{1,2}|[A-G]#?)$/,
    group: 'features',
    width: 1,
    doc: 'One pitch class of the chroma or bass chroma, by number (0 = C … 11 = B) or name (`chroma.F#`).',
    example: 'chroma.7',
    compile(name, m) {
      const key = m![1] as 'chroma' | 'bassChroma';
      const pcText = m![2]!;
      const pc = /^\d+$/.test(pcText) ? Number(pcText) : PITCH_NAMES.indexOf(pcText);
      if (pc < 0 || pc > 11) throw new Error(`pitch class in '${name}' must be 0…11 or C…B`);
      return scalar((ctx) => ctx.features![key][pc] ?? 0);
    },
  },
  feature('onset.all', 'Onset envelope of all bands, 0..1; the peak since the previous frame, so no hit is lost.', (c) => c.onsetMax.all),
  feature('onset.kick', 'Kick (low band) onset envelope, 0..1, peak since the previous frame.', (c) => c.onsetMax.kick),
  feature('onset.snare', 'Snare (mid band) onset envelope, 0..1, peak since the previous frame.', (c) => c.onsetMax.snare),
  feature('onset.hats', 'Hi-hat (high band) onset envelope, 0..1, peak since the previous frame.', (c) => c.onsetMax.hats),
  feature('rms', 'Loudness (RMS), adaptively normalised 0..1.', (c) => c.features!.rms),
  feature('rmsSlow', 'Slow moving average of the RMS (seconds), 0..1: section energy.', (c) => c.features!.rmsSlow),
  feature('bandRms.low', 'RMS of the low band, 0..1.', (c) => c.features!.bandRms.low),
  feature('bandRms.mid', 'RMS of the mid band, 0..1.', (c) => c.features!.bandRms.mid),
  feature('bandRms.high', 'RMS of the high band, 0..1.', (c) => c.features!.bandRms.high),
  feature('novelty', 'Causal novelty (likely section change), 0..1.', (c) => c.features!.novelty),
  feature('section', 'Index of the current section (counts section events).', (c) => c.features!.section),
  feature('sectionLabel', 'Label of the current section from the offline structural segmentation (render): equal labels are the same material (A B A …), 0 = the first; 0 live.', (c) => c.features!.sectionLabel ?? 0),
  feature('bpm', 'Tempo in beats per minute (from analysis, MIDI clock, OSC or tap).', (c) => c.features!.tempo.bpm),
  feature('tempoConfidence', 'How sure the tempo tracker is, 0..1.', (c) => c.features!.tempo.confidence),
  feature(
    'tempoKnown',
    '1 while the tempo rests on rhythmic evidence (drums heard in the last seconds), and through up to 16 drumless bars after established evidence (a breakdown: the beat carries on on the held grid); else 0: before the first drums, in ambient music and after those 16 bars no beat events fire and `bpm` holds its last value (docs/analysis.md). Always 1 from MIDI clock, OSC, tap or Link.',
    (c) => (c.features!.tempo.known === false ? 0 : 1),
  ),
  feature('beatsPerBar', 'Beats per bar of the detected meter (4 or 3; 2 or 3 dotted-quarter beats when the beat divides in three, as in 6/8; 4 until the analysis hears otherwise).', (c) => c.features!.tempo.beatsPerBar ?? 4),
  feature('chord.root', 'Root of the estimated chord as a pitch class, 0 = C … 11 = B; −1 when no chord is heard (silence, drums only).', (c) => c.features!.chord?.root ?? -1),
  feature(
    'chord.quality',
    'Quality of the estimated chord as a number: 0 major, 1 minor, 2 dominant 7th, 3 major 7th, 4 minor 7th; −1 when no chord is heard.',
    (c) => qualityNumber(c.features!.chord?.quality),
  ),
  feature('chord.minor', '1 while the estimated chord is minor (minor or minor 7th), else 0.', (c) => {
    const q = c.features!.chord?.quality;
    return q === 'min' || q === 'min7' ? 1 : 0;
  }),
  feature('chord.confidence', 'How sure the chord estimate is, 0..1 (template fit times the margin over the runner-up); 0 without a chord.', (c) => c.features!.chord?.confidence ?? 0),
  {
    name: 'chord.tones',
    group: 'features',
    width: 12,
    doc: "Pitch-class set of the estimated chord, 12 values (index 0 = C): 1 on the chord's tones, 0 elsewhere (all 0 without a chord). Route it like `chroma` to a 12-latent bank for a picture that changes only with the chord.",
    compile: () => chordTones(),
  },
  feature(
    'energy.contrast',
    'Live section energy: the last bar or so against the last 16 s, −1..1 (> 0 louder and fuller than the recent past, < 0 thinner). Relative to the music itself: no level or song-length dependent gate.',
    (c) => c.features!.energy?.contrast ?? 0,
  ),
  feature(
    'energy.state',
    'Section state from the drop/breakdown detector: 1 after a drop until the next breakdown, −1 after a breakdown until the next drop, 0 before either.',
    (c) => ENERGY_STATE_NUMBER[c.features!.energy?.state ?? 'steady'],
  ),
  feature(
    'energy.drop',
    "1 after a drop until the next breakdown, else 0: a section switch (route it to `section.position` with a slow `smooth`). See `event.drop` for the moment itself.",
    (c) => (c.features!.energy?.state === 'drop' ? 1 : 0),
  ),
  {
    name: 'beatPhase',
    group: 'time',
    width: 1,
    doc: '0..1 position inside the beat (from the tempo; free-running at the last tempo when there is none).',
    compile: () => scalar((c) => c.beats - Math.floor(c.beats), false),
  },
  {
    name: 'barPhase',
    group: 'time',
    width: 1,
    doc: '0..1 position inside the bar (`beatsPerBar` beats; locked to the tempo tracker, free-running without tempo).',
    compile: () => scalar((c) => c.bars - Math.floor(c.bars), false),
  },
  ...FEATURE_EVENTS.map(eventSource),
  {
    name: 'time',
    group: 'time',
    width: 1,
    doc: 'Audio time in seconds.',
    compile: () => scalar((c) => c.t, false),
  },
  {
    name: 'beats',
    group: 'time',
    width: 1,
    doc: 'Continuous beat count since start (locked to the tempo, free-running without one).',
    compile: () => scalar((c) => c.beats, false),
  },
  {
    name: 'bars',
    group: 'time',
    width: 1,
    doc: 'Continuous bar count since start.',
    compile: () => scalar((c) => c.bars, false),
  },
  {
    name: 'lfo.<shape>.<period>',
    pattern: /^lfo\.(sine|tri|saw|ramp|square)\.(\d+(?:\.\d+)?)(beats?|bars?|s)(?:@(\d+(?:\.\d+)?))?$/,
    group: 'time',
    width: 1,
    doc:
      'Low-frequency oscillator 0..1 starting at 0 on the beat/bar (sine = 0.5 − 0.5·cos, peak mid-period), shapes sine, tri, saw, ramp, square; period in beats, bars (tempo-synced, locked to the beat) or s; ' +
      'optional phase offset after @ in cycles.',
    example: 'lfo.sine.4bars@0.25',
    compile(_name, m) {
      const shape = m![1] as LfoShape;
      const period = Number(m![2]);
      const unit = m![3]!;
      const phase0 = m![4] ? Number(m![4]) : 0;
      if (!(period > 0)) throw new Error('LFO period must be > 0');
      const clock = unit.startsWith('beat') ? 'beats' : unit.startsWith('bar') ? 'bars' : 't';
      return scalar((c) => lfoValue(shape, c[clock] / period + phase0), false);
    },
  },
  {
    name: 'midi:cc:<ch>:<cc>',
    pattern: /^midi:(cc|note|pb|at|pc):[^\s]+$/,
    group: 'controls',
    width: 1,
    doc:
      'MIDI controls by name, 0..1: `midi:cc:<channel 1-16>:<cc>`, `midi:note:<ch>:<note>` (velocity, 0 on note off), `midi:pb:<ch>` (pitch bend), ' +
      '`midi:at:<ch>` (aftertouch). `*` matches any channel or number.',
    example: 'midi:cc:1:7',
    compile: (name) => controlReader(name),
  },
  {
    name: 'osc:<address>',
    pattern: /^osc:\/[^\s]*$/,
    group: 'controls',
    width: 1,
    doc: 'First argument of an OSC address; OSC wildcards (`*`, `?`, `[a-z]`, `{a,b}`) follow whichever matching address moved last.',
    example: 'osc:/fader/*',
    compile: (name) => controlReader(name),
  },
  {
    name: 'ws:<name>',
    pattern: /^ws:[^\s]+$/,
    group: 'controls',
    width: 1,
    doc: 'A value sent by a ws control client under that name.',
    example: 'ws:knob1',
    compile: (name) => controlReader(name),
  },
  {
    name: 'control:<key>',
    pattern: /^control:[^\s]+$/,
    group: 'controls',
    width: 1,
    doc:
      'Any control-state key verbatim; wildcards as for OSC. The engine sets `cue:<name>` (1 for one frame), `scene` (index), ' +
      '`scene:changed` (1 for one frame), `tap:bpm` and, with Ableton Link on, `link:bpm`, `link:beatPhase`, `link:barPhase`, `link:peers` (see docs/control.md).',
    example: 'control:link:bpm',
    compile: (name) => controlReader(name.slice('control:'.length)),
  },
];

const EXACT = new Map(SOURCES.filter((s) => !s.pattern).map((s) => [s.name, s]));
const PATTERNED = SOURCES.filter((s) => s.pattern);

export function findSource(name: string): { def: SourceDef; m: RegExpExecArray | null } | null {
  const exact = EXACT.get(name);
  if (exact) return { def: exact, m: null };
  for (const def of PATTERNED) {
    const m = def.pattern!.exec(name);
    if (m) return { def, m };
  }
  return null;
}

/** A constant source (`source: 0.5`). */
export function constantReader(value: number): SourceReader {
  return {
    width: 1,
    read(_ctx, out, offset) {
      out[offset] = value;
      return true;
    },
  };
}

export function compileSource(name: string | number): SourceReader {
  if (typeof name === 'number') return constantReader(name);
  const found = findSource(name);
  if (!found) throw new Error(unknownSourceMessage(name));
  return found.def.compile(name, found.m);
}

/** Keys of the control state that the engine sets itself (see docs/control.md): `cue:<name>`, `link:bpm`, `scene`… */
const CONTROL_STATE_KEY = /^(cue:[^\s]+|link:(bpm|beatPhase|barPhase|peers)|tap:bpm|scene(:changed)?)$/;

/** "unknown source 'onset.kik'; did you mean 'onset.kick'?" plus what is legal. */
export function unknownSourceMessage(name: string): string {
  const names = SOURCES.filter((s) => !s.pattern).map((s) => s.name);
  // Control-state keys the engine itself sets (cues, Link, tap, scene) are read through `control:`; writing the key
  // bare is the likeliest slip.
  const near = CONTROL_STATE_KEY.test(name) ? `control:${name}` : closestName(name, names);
  return (
    `unknown source '${name}'` +
    (near ? `; did you mean '${near}'?` : '') +
    ` Expected a feature (${names.filter((n) => !n.startsWith('event.')).join(', ')}), an event (event.kick, …), ` +
    'chroma.<pc>, lfo.<shape>.<period>, midi:cc:<ch>:<cc>, osc:/address, ws:<name>, control:<key> or a number'
  );
}

/** Names for editor completion in the JSON Schema. */
export function sourceCompletions(): { names: string[]; patterns: string[] } {
  return {
    names: SOURCES.filter((s) => !s.pattern).map((s) => s.name),
    patterns: PATTERNED.map((s) => s.pattern!.source),
  };
}

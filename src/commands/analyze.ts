import { createWriteStream, type WriteStream } from 'node:fs';
import type { Command } from 'commander';
import { mergeConfig, resolveConfig } from '../config.js';
import { UserError } from '../errors.js';
import type { GlobalOptions } from './options.js';
import { openOffline } from '../pipeline/index.js';
import type { Features } from '../contracts/features.js';
import { logger } from '../log.js';
import { addConfigFlags, configFlags, givenConfig } from './configFlags.js';

/**
 * `latentvj analyze <audio file>`: runs the pipeline's analysis over a file on the virtual clock, block by block, as
 * live hears it (configured channels, mix and gain), and writes one record per hop. `t` is when the record became available (the analyser's latency included).
 */
interface AnalyzeFlags {
  format: string;
  out?: string;
  summary?: boolean;
}

/** The config keys analyze takes as flags: the block size a sound card would deliver (audio.blockSize). */
const ANALYZE_FLAGS = configFlags('--block-size');

const log = logger('analyze');
const FORMATS = ['jsonl', 'csv'] as const;
type Format = (typeof FORMATS)[number];
const PCS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** The record as the issue specifies it (events keep their FeatureEvent names; 'onset' is the all-band event). */
export function toRecord(f: Features): Record<string, unknown> {
  return {
    t: r4(f.t),
    chroma: Array.from(f.chroma, r4),
    bassChroma: Array.from(f.bassChroma, r4),
    onset: { all: r4(f.onset.all), kick: r4(f.onset.kick), snare: r4(f.onset.snare), hats: r4(f.onset.hats) },
    rms: r4(f.rms),
    rmsSlow: r4(f.rmsSlow),
    bpm: Math.round(f.tempo.bpm * 100) / 100,
    beatPhase: r4(f.tempo.beatPhase),
    barPhase: r4(f.tempo.barPhase),
    tempoKnown: f.tempo.known !== false,
    beatsPerBar: f.tempo.beatsPerBar ?? 4,
    chord: f.chord && f.chord.root >= 0 ? { root: PCS[f.chord.root], quality: f.chord.quality, confidence: r4(f.chord.confidence) } : null,
    energy: { contrast: r4(f.energy?.contrast ?? 0), state: f.energy?.state ?? 'steady' },
    events: f.events,
  };
}

export const CSV_HEADER = [
  't',
  ...PCS.map((p) => `chroma_${p}`),
  ...PCS.map((p) => `bass_${p}`),
  'onset_all',
  'onset_kick',
  'onset_snare',
  'onset_hats',
  'rms',
  'rmsSlow',
  'bpm',
  'beatPhase',
  'barPhase',
  'tempoKnown',
  'beatsPerBar',
  'chord_root',
  'chord_quality',
  'chord_confidence',
  'energy_contrast',
  'energy_state',
  'events',
].join(',');

export function toCsvRow(f: Features): string {
  const rec = toRecord(f);
  const o = rec.onset as Record<string, number>;
  const chord = rec.chord as { root: string; quality: string; confidence: number } | null;
  const energy = rec.energy as { contrast: number; state: string };
  return [
    rec.t,
    ...(rec.chroma as number[]),
    ...(rec.bassChroma as number[]),
    o.all,
    o.kick,
    o.snare,
    o.hats,
    rec.rms,
    rec.rmsSlow,
    rec.bpm,
    rec.beatPhase,
    rec.barPhase,
    rec.tempoKnown ? 1 : 0,
    rec.beatsPerBar,
    chord?.root ?? '',
    chord?.quality ?? '',
    chord?.confidence ?? '',
    energy.contrast,
    energy.state,
    f.events.join(' '),
  ].join(',');
}

export interface AnalysisSummary {
  durationS: number;
  bpm: number;
  onsets: { kick: number; snare: number; hats: number; all: number };
  beats: number;
  sections: number[];
}

/** Overall tempo: the median BPM over the records where the tracker was confident (all records if never). */
export function summarise(records: Array<{ t: number; bpm: number; confidence: number; events: string[] }>): AnalysisSummary {
  const confident = records.filter((r) => r.confidence >= 0.3).map((r) => r.bpm);
  const pool = (confident.length ? confident : records.map((r) => r.bpm)).sort((a, b) => a - b);
  const count = (e: string): number => records.filter((r) => r.events.includes(e)).length;
  return {
    durationS: records.length ? records[records.length - 1]!.t : 0,
    bpm: pool.length ? pool[pool.length >> 1]! : 0,
    onsets: { kick: count('kick'), snare: count('snare'), hats: count('hats'), all: count('onset') },
    beats: count('beat'),
    sections: records.filter((r) => r.events.includes('section')).map((r) => r.t),
  };
}

function progressBar(done: number, total: number): string {
  const width = 30;
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const n = Math.round(f * width);
  return `\r[${'#'.repeat(n)}${'.'.repeat(width - n)}] ${(100 * f).toFixed(0).padStart(3)}%`;
}

async function runAnalyze(file: string, flags: AnalyzeFlags, given: Record<string, unknown>, global: GlobalOptions): Promise<void> {
  if (!(FORMATS as readonly string[]).includes(flags.format)) {
    throw new UserError(`--format ${flags.format}: expected one of ${FORMATS.join(', ')}`);
  }
  const format = flags.format as Format;
  // The configured channels, mix, gain and block size apply, as live hears them; the file is the source.
  const cfg = resolveConfig(global.config, mergeConfig(given, { audio: { source: file } }));
  const summaryRows: Array<{ t: number; bpm: number; confidence: number; events: string[] }> = [];
  let emit: (f: Features) => void = () => undefined;
  const p = await openOffline(cfg, { mapping: false, onFeatures: (f) => emit(f) });
  const audio = p.audio;
  const total = audio.channels[0]?.length ?? 0;

  let out: NodeJS.WritableStream = process.stdout;
  let fileOut: WriteStream | null = null;
  if (flags.out) {
    fileOut = createWriteStream(flags.out);
    await new Promise<void>((resolve, reject) => {
      fileOut!.once('open', () => resolve());
      fileOut!.once('error', (e) => reject(new UserError(`--out ${flags.out}: cannot write (${(e as NodeJS.ErrnoException).code ?? e.message})`)));
    });
    out = fileOut;
  }
  // Records go to stdout unless --out is given; with --summary and no --out, only the summary is printed.
  const writeRecords = flags.out !== undefined || !flags.summary;
  const showProgress = process.stderr.isTTY === true && total / audio.sampleRate > 20;

  let buffer = format === 'csv' ? CSV_HEADER + '\n' : '';
  const flush = async (): Promise<void> => {
    if (!buffer) return;
    const chunk = buffer;
    buffer = '';
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  emit = (f: Features): void => {
    if (writeRecords) buffer += (format === 'csv' ? toCsvRow(f) : JSON.stringify(toRecord(f))) + '\n';
    summaryRows.push({ t: f.t, bpm: f.tempo.bpm, confidence: f.tempo.confidence, events: f.events });
  };
  const t0 = Date.now();
  let lastProgress = 0;
  // On the virtual clock, block by block; output is flushed every second of audio so a long file streams out.
  await p.run.analyse(async (audioT) => {
    if (buffer.length > 1 << 16) await flush();
    if (showProgress && Date.now() - lastProgress > 100) {
      lastProgress = Date.now();
      process.stderr.write(progressBar(audioT * audio.sampleRate, total));
    }
  });
  if (!writeRecords) buffer = '';
  await flush();
  if (showProgress) process.stderr.write(progressBar(total, total) + '\n');
  if (fileOut) await new Promise<void>((resolve) => fileOut!.end(() => resolve()));
  log.debug(`${file}: ${summaryRows.length} records in ${Date.now() - t0} ms`);

  if (flags.summary) {
    const s = summarise(summaryRows);
    const lines = [
      `file: ${file} (${audio.sampleRate} Hz, ${p.audio.info.channels} ch, ${s.durationS.toFixed(2)} s, ${summaryRows.length} records)`,
      `tempo: ${s.bpm.toFixed(1)} BPM (${s.beats} beats)`,
      `onsets: kick ${s.onsets.kick}, snare ${s.onsets.snare}, hats ${s.onsets.hats}, all ${s.onsets.all}`,
      `sections: ${s.sections.length ? s.sections.map((t) => t.toFixed(2) + ' s').join(', ') : 'none'}`,
    ];
    // With records on stdout, the summary goes to stderr so the data stays parseable.
    const dest = flags.out !== undefined || !writeRecords ? process.stdout : process.stderr;
    dest.write(lines.join('\n') + '\n');
  }
}

export function register(program: Command): void {
  const analyze = program
    .command('analyze')
    .description('analyse an audio file with the live analyser and write one feature record per hop')
    .argument('<file>', 'audio file (WAV in-process; other formats through ffmpeg)')
    .option('-f, --format <format>', `output format: ${FORMATS.join(' | ')}`, 'jsonl')
    .option('-o, --out <file>', 'write records to this file instead of stdout')
    .option('-s, --summary', 'print the overall tempo, onset counts per band and section boundaries');
  addConfigFlags(analyze, ANALYZE_FLAGS).action(async (file: string, flags: AnalyzeFlags, cmd: Command) => {
    await runAnalyze(file, flags, givenConfig(cmd, ANALYZE_FLAGS), cmd.optsWithGlobals() as GlobalOptions);
  });
}

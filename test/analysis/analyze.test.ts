import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { encodeWav } from '../../src/audio/wav.js';
import { renderPattern } from '../../src/analysis/synth.js';
import { CSV_HEADER } from '../../src/commands/analyze.js';

const dir = mkdtempSync(join(tmpdir(), 'latentvj-analyze-'));
const sig = renderPattern({ bpm: 120, durationS: 6, harmony: true });
const wav = join(dir, 'pattern.wav');
writeFileSync(wav, encodeWav({ sampleRate: sig.sampleRate, channels: [sig.samples, sig.samples] }, 'pcm16'));
const cli = (...args: string[]): ReturnType<typeof spawnSync> =>
  spawnSync(process.execPath, ['bin/latentvj.js', 'analyze', ...args], { encoding: 'utf8', cwd: process.cwd() });

test('analyze: jsonl to stdout, one record per hop with the fields of the issue', () => {
  const r = cli(wav);
  assert.equal(r.status, 0, String(r.stderr));
  const lines = String(r.stdout).trim().split('\n');
  assert.equal(lines.length, Math.floor((6 * 44100) / 441));
  const rec = JSON.parse(lines[300]!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(rec), ['t', 'chroma', 'bassChroma', 'onset', 'rms', 'rmsSlow', 'bpm', 'beatPhase', 'barPhase', 'tempoKnown', 'beatsPerBar', 'chord', 'energy', 'events']);
  // The second bar (2.25–4.25 s) is A minor: the chord most records in its middle name.
  const all = lines.map((l) => JSON.parse(l) as { t: number; chord: { root: string; quality: string } | null; energy: { state: string }; tempoKnown: boolean; beatsPerBar: number });
  const names = all.filter((x) => x.t > 2.75 && x.t < 3.75).map((x) => (x.chord ? `${x.chord.root}${x.chord.quality}` : '-'));
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  assert.equal([...counts].sort((a, b) => b[1] - a[1])[0]![0], 'Amin', JSON.stringify([...counts]));
  const last = all.at(-1)!;
  assert.deepEqual([last.tempoKnown, last.beatsPerBar], [true, 4]);
  assert.ok(['steady', 'drop', 'breakdown'].includes(last.energy.state));
  assert.equal((rec.chroma as number[]).length, 12);
  assert.ok(Math.abs((rec.t as number) - 3.01) < 1e-6);
  const kicks = lines.map((l) => JSON.parse(l) as { t: number; events: string[] }).filter((x) => x.events.includes('kick'));
  assert.equal(kicks.length, sig.truth.kick.length);
  // t includes the latency: every kick record comes after its true onset.
  kicks.forEach((k, i) => assert.ok(k.t >= sig.truth.kick[i]! && k.t - sig.truth.kick[i]! < 0.05));
});

test('analyze: --format csv --out file, and --summary', () => {
  const out = join(dir, 'a.csv');
  const r = cli(wav, '--format', 'csv', '--out', out, '--summary');
  assert.equal(r.status, 0, String(r.stderr));
  const csv = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(csv[0], CSV_HEADER);
  assert.equal(csv.length, 1 + 600);
  assert.equal(csv[1]!.split(',').length, CSV_HEADER.split(',').length);
  assert.match(String(r.stdout), /tempo: 1(19|20)\.\d BPM/);
  assert.match(String(r.stdout), new RegExp(`onsets: kick ${sig.truth.kick.length}, snare ${sig.truth.snare.length}`));
  assert.match(String(r.stdout), /sections: /);
});

test('analyze: bad format and missing file are one-line user errors (exit 2)', () => {
  const bad = cli(wav, '--format', 'xml');
  assert.equal(bad.status, 2);
  assert.match(String(bad.stderr), /^latentvj: --format xml: expected one of jsonl, csv\n$/);
  const missing = cli(join(dir, 'nope.wav'));
  assert.equal(missing.status, 2);
  assert.match(String(missing.stderr), /nope\.wav: cannot read audio file/);
});

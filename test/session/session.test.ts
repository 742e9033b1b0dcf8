import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { neutralParams } from '../../src/generator/runtime/params.js';
import type { Manifest } from '../../src/generator/types.js';
import { FILES, layoutFor, recordFloats } from '../../src/session/format.js';
import { readSession } from '../../src/session/reader.js';
import { SessionWriter } from '../../src/session/writer.js';

const manifest = {
  width: 64,
  height: 32,
  numWs: 4,
  wDim: 8,
  numNoise: 3,
  noiseBank: 2,
  maskRegions: 2,
  maskSize: 4,
  numBend: 2,
  numRewrite: 1,
  wAvg: [0, 0, 0, 0, 0, 0, 0, 0],
  origin: { file: 'x', format: 'nvidia', sha256: 'abc123' },
} as unknown as Manifest;

function record(dir: string, frames: number, close: boolean): { sine: Float32Array[] } {
  const w = new SessionWriter({ dir, sampleRate: 8000, channels: 2, fps: 25, modelDir: '/models/x', manifest, config: { analysis: { hop: 1 } } });
  const sine = [new Float32Array(8000), new Float32Array(8000)];
  for (let i = 0; i < 8000; i++) {
    sine[0]![i] = Math.sin((2 * Math.PI * 440 * i) / 8000) * 0.5;
    sine[1]![i] = -sine[0]![i]!;
  }
  w.mapping(0, 'routes: []\n', '/home/vj/set.yaml');
  for (let k = 0; k < frames; k++) {
    const t = k / 25;
    // Audio arrives in blocks of 320 samples (one frame's worth).
    w.audio(sine.map((c) => c.subarray(k * 320, (k + 1) * 320)));
    if (k === 3) w.control(w.audioS, { kind: 'osc', address: '/latentvj/param/truncation', args: [0.5], from: '127.0.0.1:9000' });
    if (k === 5) w.mapping(t, 'routes: [{from: rms, to: truncation}]\n', '/home/vj/set.yaml');
    if (k === 6) w.mapping(t, 'routes: [{from: rms, to: truncation}]\n', '/home/vj/set.yaml'); // unchanged: no new version
    const p = neutralParams(manifest, k);
    p.t = t;
    p.ws.fill(k + 0.25);
    p.truncation = 0.7;
    p.scene = k < 5 ? 0 : 'drop';
    w.frame(p, 1 / 25);
  }
  if (close) w.close();
  return { sine };
}

test('a recorded session reads back: header, audio as heard, controls, mapping versions, every frame\'s params', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-session-'));
  try {
    const { sine } = record(join(dir, 's'), 10, true);
    const s = readSession(join(dir, 's'));
    assert.equal(s.complete, true);
    assert.deepEqual(s.header.ended, { audioS: 0.4, frames: 10 });
    assert.equal(s.header.fps, 25);
    assert.equal(s.header.model.id, 'abc123');
    assert.deepEqual(s.header.paramsLayout, layoutFor(manifest));
    assert.equal(s.audio.sampleRate, 8000);
    assert.equal(s.audio.channels[0]!.length, 3200);
    assert.deepEqual(s.audio.channels[1]!.subarray(0, 3200), sine[1]!.subarray(0, 3200));
    assert.equal(s.controls.length, 1);
    assert.equal(s.controls[0]!.t, 4 * 320 / 8000);
    assert.equal(s.controls[0]!.event.kind, 'osc');
    assert.deepEqual(s.mappings.map((m) => [m.t, m.version, m.text]), [
      [0, 1, 'routes: []\n'],
      [0.2, 2, 'routes: [{from: rms, to: truncation}]\n'],
    ]);
    assert.equal(s.frames.length, 10);
    const f7 = s.params(7);
    assert.equal(f7.frame, 7);
    assert.equal(f7.scene, 'drop');
    assert.equal(f7.truncation, 0.7);
    assert.ok(f7.params.ws.every((v) => v === 7.25));
    assert.equal(f7.params.bend[0], 1);
    assert.equal(f7.params.noiseMask.length, layoutFor(manifest).noiseMask);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a session cut short (never closed, torn last line, partial last record) still reads up to where it ends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-session-'));
  try {
    const s0 = join(dir, 's');
    record(s0, 8, false);
    // What a kill mid-write leaves: half a params record, a torn frames line, a torn control line, a half sample frame.
    appendFileSync(join(s0, FILES.params), Buffer.alloc(recordFloats(layoutFor(manifest)) * 2));
    appendFileSync(join(s0, FILES.frames), '{"frame": 8, "t": 0.3');
    appendFileSync(join(s0, FILES.controls), '{"t": 1, "ev');
    appendFileSync(join(s0, FILES.audio), Buffer.alloc(6));
    const s = readSession(s0);
    assert.equal(s.complete, false);
    assert.equal(s.frames.length, 8);
    assert.equal(s.controls.length, 1);
    assert.equal(s.audio.channels[0]!.length, 8 * 320);
    assert.ok(s.params(7).params.ws.every((v) => v === 7.25));
    // A record written without its line (killed between the two writes) is not a frame either.
    truncateSync(join(s0, FILES.frames), statSync(join(s0, FILES.frames)).size - '{"frame": 8, "t": 0.3'.length);
    const lines = readFileSync(join(s0, FILES.frames), 'utf8').trimEnd().split('\n');
    writeFileSync(join(s0, FILES.frames), lines.slice(0, 6).join('\n') + '\n');
    assert.equal(readSession(s0).frames.length, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hostile session folders: one error naming the file (and line)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-session-'));
  try {
    const s0 = join(dir, 's');
    record(s0, 3, true);
    assert.throws(() => readSession(join(dir, 'nope')), /nope: not a session folder \(no session\.json\)/);
    const header = JSON.parse(readFileSync(join(s0, FILES.header), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(s0, FILES.header), JSON.stringify({ ...header, version: 99 }));
    assert.throws(() => readSession(s0), /session\.json: session format version 99; this latentvj reads version 1/);
    writeFileSync(join(s0, FILES.header), JSON.stringify(header));
    const frames = readFileSync(join(s0, FILES.frames), 'utf8');
    writeFileSync(join(s0, FILES.frames), 'garbage\n' + frames);
    assert.throws(() => readSession(s0), /frames\.jsonl:1: not valid JSON/);
    writeFileSync(join(s0, FILES.frames), frames);
    writeFileSync(join(s0, FILES.mappings), JSON.stringify({ t: 0, version: 1, file: '../../etc/passwd', source: 'x' }) + '\n');
    assert.throws(() => readSession(s0), /mappings\.jsonl:1: "file" must stay inside the session folder/);
    assert.throws(() => new SessionWriter({ dir: s0, sampleRate: 8000, channels: 1, fps: 25, modelDir: '', manifest, config: {} }), /the folder exists and is not empty/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a control line of an unknown kind or shape is refused naming the file and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-session-'));
  try {
    record(join(dir, 's'), 4, true);
    const controls = join(dir, 's', FILES.controls);
    const good = readFileSync(controls, 'utf8');
    writeFileSync(controls, good + JSON.stringify({ t: 0.2, event: { kind: 'set', target: 'truncation', value: 1 } }) + '\n');
    assert.throws(() => readSession(join(dir, 's')), /controls\.jsonl:2: unknown event kind "set"; expected midi, osc or command/);
    writeFileSync(controls, good + JSON.stringify({ t: 0.2, event: { kind: 'midi', port: 'x', deltaTime: 0, bytes: [176, 7, 999] } }) + '\n');
    assert.throws(() => readSession(join(dir, 's')), /controls\.jsonl:2: a "midi" event needs .*integers 0–255/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

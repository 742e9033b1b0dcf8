import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { encodeWav } from '../../src/audio/wav.js';
import { cliInProcess } from '../helpers/cliInProcess.js';

/** `latentvj trace` end to end: a WAV through the audio decoder, the analysis, the default model's mapping network. */
test('trace writes the resolved targets per frame, byte-identical on a second run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-trace-'));
  try {
    const demo = renderDemoTrack();
    const n = Math.round(demo.sampleRate * 6);
    const wav = join(dir, 'clip.wav');
    writeFileSync(wav, encodeWav({ sampleRate: demo.sampleRate, channels: demo.channels.map((c) => c.slice(14 * demo.sampleRate, 14 * demo.sampleRate + n)) }, 'pcm16'));
    const runOnce = (out: string): string => {
      const r = spawnSync(process.execPath, ['bin/latentvj.js', 'trace', wav, '--mapping', 'default', '--fps', '25', '--out', out, '--quiet'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return readFileSync(out, 'utf8');
    };
    const a = runOnce(join(dir, 'a.jsonl'));
    const b = runOnce(join(dir, 'b.jsonl'));
    assert.equal(a, b, 'deterministic');
    const lines = a.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 6 * 25 + 1);
    const last = lines.at(-1)!;
    for (const key of ['frame', 't', 'latentWeights', 'noiseStrength', 'bend', 'rewrite', 'truncation', 'scene']) assert.ok(key in last, key);
    assert.equal((last.latentWeights as Record<string, number[]>).chords!.length, 12);
    assert.ok(Array.isArray(last.bend) && (last.bend as unknown[]).length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trace: a missing audio file and a bad --fps are one clear line each', async () => {
  const r = spawnSync(process.execPath, ['bin/latentvj.js', 'trace', '/nowhere.wav'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^latentvj: \/nowhere\.wav: no such audio file/);
  // Through the CLI's main() in-process: the same check without a second Node start.
  const f = await cliInProcess('trace', 'demo', '--fps', 'fast');
  assert.equal(f.status, 2);
  assert.match(f.stderr, /--fps fast: expected a number from 1 to 240/);
});

test('trace takes the analysis settings of --config, as live does (the inspector must hear what the show hears)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-trace-cfg-'));
  try {
    const cfg = join(dir, 'slow.yaml');
    writeFileSync(cfg, 'analysis:\n  tempoRangeBpm: [60, 90]\n  tempoPriorBpm: 64\n');
    // 16 s of the demo's kicks (analysing the whole track twice would triple the cost).
    const demo = renderDemoTrack();
    const wav = join(dir, 'kicks.wav');
    writeFileSync(wav, encodeWav({ sampleRate: demo.sampleRate, channels: demo.channels.map((c) => c.slice(15 * demo.sampleRate, 31 * demo.sampleRate)) }, 'pcm16'));
    const run = (extra: string[]): Array<{ bpm?: number; loop: Record<string, number> }> => {
      const r = spawnSync(process.execPath, ['bin/latentvj.js', ...extra, 'trace', wav, '--fps', '10', '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { loop: Record<string, number> });
    };
    const plain = run([]);
    const slow = run(['--config', cfg]);
    assert.equal(plain.length, slow.length);
    assert.notDeepEqual(plain.at(-1)!.loop, slow.at(-1)!.loop, 'a tempo range of 60–90 BPM moves the bar-locked loops differently');
    const bad = await cliInProcess('--config', join(dir, 'missing.yaml'), 'trace', 'demo');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /missing\.yaml: cannot read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstValueFrom, take, toArray } from '../../src/rx.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { openAudioSource, parseSourceSpec } from '../../src/audio/open.js';
import { audioConfigSchema } from '../../src/audio/config.js';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { encodeWav } from '../../src/audio/wav.js';
import { listAudioInputs } from '../../src/audio/devices.js';
import { UserError } from '../../src/errors.js';
import { setLogSink, setLogLevel } from '../../src/log.js';
import { makeAlsaFixture } from './alsaFixture.js';
import { zeroCrossingHz, sine } from './signal.js';

const alsa = makeAlsaFixture();
test.after(() => alsa.cleanup());
const cfg = (source: string, extra: Record<string, unknown> = {}) => audioConfigSchema.parse({ source, ...extra });

function captureLog(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  setLogLevel('info');
  return { lines, restore };
}

test('open: source specs parse', () => {
  assert.deepEqual(parseSourceSpec('auto'), { kind: 'auto' });
  assert.deepEqual(parseSourceSpec('demo'), { kind: 'demo' });
  assert.deepEqual(parseSourceSpec('device:3'), { kind: 'device', selector: { kind: 'id', id: 3 } });
  assert.deepEqual(parseSourceSpec('device:USB Audio'), { kind: 'device', selector: { kind: 'name', name: 'USB Audio', exact: false } });
  assert.deepEqual(parseSourceSpec('device:'), { kind: 'device', selector: { kind: 'default' } });
  assert.deepEqual(parseSourceSpec('set.flac'), { kind: 'file', path: 'set.flac' });
});

test('open: auto plays the demo track with one line saying why, when PortAudio has no inputs or cannot start', async (t) => {
  const real = await listAudioInputs();
  if (real.defaultInputId === null) {
    const { lines, restore } = captureLog();
    try {
      const src = await openAudioSource(cfg('auto'), { realtime: false });
      assert.equal(src.info.kind, 'demo');
    } finally {
      restore();
    }
    assert.deepEqual(lines.map((l) => l.replace(/^\S+ /, '')), [
      `WARN  [audio] no audio input device found (PortAudio lists ${real.devices.length} inputs); playing the demo track`,
    ]);
  } else t.diagnostic('this machine has a default input: the 0-inputs case is checked in CI');
  const { lines, restore } = captureLog();
  try {
    const src = await openAudioSource(cfg('auto'), { realtime: false, env: { ...process.env, ALSA_CONFIG_PATH: alsa.brokenConf } });
    assert.equal(src.info.kind, 'demo');
  } finally {
    restore();
  }
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0]!, /WARN {2}\[audio\] no audio input available \(PortAudio: PortAudio process exited \(SIGABRT\) before listing devices\); playing the demo track$/);
});

test('open: auto takes the default input when there is one; device:<name> and device:<id> pick one; unknown names are errors', async () => {
  const env = { ...process.env, ALSA_CONFIG_PATH: alsa.toneConf };
  const auto = await openAudioSource(cfg('auto', { channels: [1] }), { realtime: true, env });
  assert.equal(auto.info.kind, 'device');
  assert.match(auto.info.description, /^line-in: "default" \(ALSA, id \d+\) 48000 Hz ch 1$/);
  const blocks = await firstValueFrom(auto.blocks$.pipe(take(40), toArray()));
  const x = new Float32Array(blocks.slice(2).flatMap((b) => Array.from(b.channels[0]!)));
  assert.ok(Math.abs(zeroCrossingHz(x, 48000) - 440) < 0.5);

  const byName = await openAudioSource(cfg('device:TONE', { channels: [1] }), { realtime: true, env });
  assert.match(byName.info.description, /"tonefile"/);
  const list = await listAudioInputs({ env });
  const id = list.devices.find((d) => d.name === 'tonefile')!.id;
  const byId = await openAudioSource(cfg(`device:${id}`, { channels: [1] }), { realtime: true, env });
  assert.match(byId.info.description, new RegExp(`"tonefile" \\(ALSA, id ${id}\\)`));
  await assert.rejects(openAudioSource(cfg('device:Behringer'), { realtime: true, env }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /^audio source "device:Behringer": no input device name contains "Behringer"; inputs are:\n.*default.*\(default\)/s);
    return true;
  });
});

test('open: demo and files give blocks of the configured size with gain and mono mix', async () => {
  const demo = await openAudioSource(cfg('demo', { blockSize: 256, sampleRate: 22050 }), { realtime: false });
  assert.equal(demo.info.kind, 'demo');
  assert.equal(demo.info.sampleRate, 22050);
  const blocks = await firstValueFrom(demo.blocks$.pipe(take(3), toArray()));
  const d = renderDemoTrack({ sampleRate: 22050 });
  assert.deepEqual(blocks.map((b) => [b.t0, b.channels.length, b.channels[0]!.length]), [[0, 1, 256], [256, 1, 256], [512, 1, 256]]);
  for (let i = 0; i < 256; i++) assert.ok(Math.abs(blocks[1]!.channels[0]![i]! - (d.channels[0]![256 + i]! + d.channels[1]![256 + i]!) / 2) < 1e-6);

  const dir = mkdtempSync(join(tmpdir(), 'latentvj-open-'));
  try {
    const wav = join(dir, 'a.wav');
    writeFileSync(wav, encodeWav({ sampleRate: 32000, channels: [sine(500, 0.25, 32000, 32000)] }, 'float32'));
    const f = await openAudioSource(cfg(wav, { gainDb: 20 * Math.log10(2), loop: false }), { realtime: false });
    assert.match(f.info.description, /^file: .*a\.wav \(32000 Hz, 1 channel, 0:01, gain \+6\.0 dB\)$/);
    const all = await firstValueFrom(f.blocks$.pipe(toArray()));
    assert.equal(all.reduce((n, b) => n + b.channels[0]!.length, 0), 32000);
    assert.ok(Math.abs(Math.max(...all.flatMap((b) => Array.from(b.channels[0]!))) - 0.5) < 1e-3);
    await assert.rejects(openAudioSource(cfg(join(dir, 'x.ogg')), { realtime: false }), /x\.ogg: cannot read audio file \(no such file\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('devices command: exits 0 with one line per absent subsystem, a device list otherwise, and no ALSA noise', () => {
  const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['bin/latentvj.js', 'devices'], { encoding: 'utf8', env, timeout: 30_000 });
  const here = run(process.env);
  assert.equal(here.status, 0, here.stderr);
  assert.equal(here.stderr, '');
  const lines = here.stdout.trim().split('\n');
  assert.ok(lines.some((l) => l.startsWith('Audio')));
  assert.ok(lines.some((l) => l.startsWith('MIDI')));
  const tone = run({ ...process.env, ALSA_CONFIG_PATH: alsa.toneConf });
  assert.equal(tone.status, 0);
  assert.equal(tone.stderr, '');
  assert.match(tone.stdout, /^Audio inputs \(id, name, max input channels, default sample rate, host API\)/);
  assert.match(tone.stdout, /\n +\d+ {2}default {2}\d+ ch {2}\d+ Hz {2}ALSA {2}\(default\)\n/);
  assert.match(tone.stdout, /\n +\d+ {2}tonefile {2}/);
  const broken = run({ ...process.env, ALSA_CONFIG_PATH: alsa.brokenConf });
  assert.equal(broken.status, 0);
  assert.equal(broken.stderr, '');
  assert.match(broken.stdout, /^Audio: PortAudio is unavailable \(PortAudio process exited \(SIGABRT\) before listing devices\); audio input unavailable\n/);
});

test('open: a WAV without samples is one UserError naming the file (live would otherwise start and stop at once, exit 0)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-open-empty-'));
  try {
    const wav = join(dir, 'empty.wav');
    writeFileSync(wav, encodeWav({ sampleRate: 44100, channels: [new Float32Array(0)] }));
    await assert.rejects(
      openAudioSource(cfg(wav), { realtime: false }),
      (e: unknown) => e instanceof UserError && e.message.startsWith(`${wav}: `) && /no audio samples/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

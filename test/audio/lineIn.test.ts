/**
 * The real line-in path: naudiodon → PortAudio → ALSA, capturing from an ALSA `file` PCM whose infile is raw PCM
 * this test writes (TESTING.md). PortAudio runs in lineIn's child process, started with ALSA_CONFIG_PATH pointing at
 * our config, so it reads it at initialisation. The null PCM is unclocked: we assert content, never pacing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { lineIn$, type LineInOptions } from '../../src/audio/lineIn.js';
import { forkPortAudio, listAudioInputs } from '../../src/audio/devices.js';
import type { AudioBlock } from '../../src/audio/types.js';
import { setLogSink, setLogLevel } from '../../src/log.js';
import { zeroCrossingHz, rmsDb } from './signal.js';

const SR = 48000;
const dir = mkdtempSync(join(tmpdir(), 'latentvj-alsa-'));
const raw = join(dir, 'in.raw');
const rawMono = join(dir, 'mono.raw');
const conf = join(dir, 'asound.conf');
// A raw file is read with the channel count the capture opens (lineIn opens as many as the highest channel chosen).
// mono.raw: 440 Hz at amplitude 0.5 (peak −6.02 dBFS, RMS −9.03 dBFS).
// in.raw, stereo: left 440 Hz at 0.5, right 660 Hz at 0.25 (peak −12.04 dBFS).
{
  const frames = SR * 2;
  const m = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++) m.writeInt16LE(Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 440 * i) / SR)), i * 2);
  writeFileSync(rawMono, m);
  const b = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    b.writeInt16LE(Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * 440 * i) / SR)), i * 4);
    b.writeInt16LE(Math.round(0.25 * 32767 * Math.sin((2 * Math.PI * 660 * i) / SR)), i * 4 + 2);
  }
  writeFileSync(raw, b);
  // The default device (mono.raw) and "tonefile" (in.raw) play raw files as S16_LE, what lineIn asks for by default. "tonefloat"
  // puts a `plug` in front so a float32 capture is converted from it (the bare file PCM would hand the raw bytes
  // over as floats); through plug, the file PCM skips blocks when unclocked, so that test checks block by block.
  writeFileSync(
    conf,
    [
      `pcm.!default { type file; slave.pcm "null"; file "/dev/null"; infile "${rawMono}"; format "raw" }`,
      `pcm.tonefile { type file; slave.pcm "null"; file "/dev/null"; infile "${raw}"; format "raw" }`,
      `pcm.tonefloat { type plug; slave { pcm "tonefile"; format S16_LE; rate ${SR}; channels 2 } }`,
      'pcm.null { type null }',
      '',
    ].join('\n'),
  );
}
const env = { ...process.env, ALSA_CONFIG_PATH: conf };
test.after(() => rmSync(dir, { recursive: true, force: true }));

const base: LineInOptions = { device: { kind: 'default' }, sampleRate: SR, channels: [1], mix: 'mono', blockSize: 512, gainDb: 0, env };

/** Collects `count` blocks (then unsubscribes), or rejects after `limitMs`. */
function collect(opts: LineInOptions, count: number, limitMs = 8000): Promise<AudioBlock[]> {
  return new Promise((resolve, reject) => {
    const blocks: AudioBlock[] = [];
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`only ${blocks.length} of ${count} blocks in ${limitMs} ms`));
    }, limitMs);
    const sub = lineIn$(opts).subscribe((b) => {
      blocks.push(b);
      if (blocks.length === count) {
        clearTimeout(timer);
        queueMicrotask(() => sub.unsubscribe());
        resolve(blocks);
      }
    });
  });
}

const join1 = (blocks: AudioBlock[], ch = 0): Float32Array => {
  const out = new Float32Array(blocks.reduce((n, b) => n + b.channels[ch]!.length, 0));
  let o = 0;
  for (const b of blocks) {
    out.set(b.channels[ch]!, o);
    o += b.channels[ch]!.length;
  }
  return out;
};
const peakDb = (x: Float32Array): number => 20 * Math.log10(x.reduce((p, v) => Math.max(p, Math.abs(v)), 0));

test('line-in: PortAudio lists the ALSA file PCM as an input (default and by name)', async () => {
  const list = await listAudioInputs({ env });
  const names = list.devices.map((d) => d.name);
  assert.ok(names.includes('default') && names.includes('tonefile'), names.join(', '));
  assert.equal(list.devices.find((d) => d.id === list.defaultInputId)?.name, 'default');
});

test('line-in: a 440 Hz tone written as raw PCM comes out at 440 Hz and at the level written', async (t) => {
  const blocks = await collect(base, 100);
  blocks.forEach((b, k) => {
    assert.equal(b.t0, k * 512);
    assert.equal(b.channels.length, 1);
    assert.equal(b.channels[0]!.length, 512);
  });
  const x = join1(blocks.slice(2)); // ~1 s
  const hz = zeroCrossingHz(x, SR);
  const pk = peakDb(x);
  const rms = rmsDb(x);
  assert.ok(Math.abs(hz - 440) < 0.5, `frequency ${hz.toFixed(3)} Hz`);
  assert.ok(Math.abs(pk - -6.02) < 0.5, `peak ${pk.toFixed(2)} dBFS`);
  assert.ok(Math.abs(rms - -9.03) < 0.5, `rms ${rms.toFixed(2)} dBFS`);
  t.diagnostic(`line-in 440 Hz: measured ${hz.toFixed(3)} Hz, peak ${pk.toFixed(2)} dBFS, rms ${rms.toFixed(2)} dBFS`);
});

test('line-in: device by name substring, channel choice, gain and kept channels', async () => {
  // Channel 2 only, +6.02 dB: the 660 Hz tone at amplitude 0.5.
  const right = await collect({ ...base, device: { kind: 'name', name: 'TONEF', exact: false }, channels: [2], gainDb: 20 * Math.log10(2) }, 40);
  const r = join1(right.slice(2));
  assert.ok(Math.abs(zeroCrossingHz(r, SR) - 660) < 1, `right ${zeroCrossingHz(r, SR)} Hz`);
  assert.ok(Math.abs(peakDb(r) - -6.02) < 0.5, `right peak ${peakDb(r)}`);
  // Both kept, in the order asked: [2, 1].
  const kept = await collect({ ...base, device: { kind: 'name', name: 'tonefile', exact: true }, channels: [2, 1], mix: 'keep' }, 40);
  assert.equal(kept[0]!.channels.length, 2);
  assert.ok(Math.abs(zeroCrossingHz(join1(kept.slice(2), 0), SR) - 660) < 1);
  assert.ok(Math.abs(zeroCrossingHz(join1(kept.slice(2), 1), SR) - 440) < 1);
  assert.ok(Math.abs(peakDb(join1(kept.slice(2), 0)) - -12.04) < 0.5);
});

test('line-in: float32 capture (through ALSA plug) has the tone and level in every block', async () => {
  const blocks = await collect({ ...base, device: { kind: 'name', name: 'tonefloat', exact: true }, sampleFormat: 'float32', channels: [1, 2], mix: 'keep' }, 30);
  for (const b of blocks.slice(2)) {
    const x = b.channels[0]!;
    assert.ok(Math.abs(zeroCrossingHz(x, SR) - 440) < 3, `block ${b.t0}: ${zeroCrossingHz(x, SR).toFixed(1)} Hz`);
    assert.ok(Math.abs(peakDb(x) - -6.02) < 0.5, `block ${b.t0}: peak ${peakDb(x).toFixed(2)}`);
  }
});

test('line-in: a lost device is logged once, silence is sent, it is reopened and logged back; t0 never jumps', async () => {
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  setLogLevel('info');
  const children: ChildProcess[] = [];
  try {
    const blocks: Array<{ t0: number; len: number; silent: boolean }> = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`stuck; blocks ${blocks.length}; log:\n${lines.join('\n')}`)), 10_000);
      let killed = false;
      let back = 0;
      const sub = lineIn$({
        ...base,
        retryMinMs: 300,
        spawn: (req, e) => {
          const c = forkPortAudio(req, { env: e });
          children.push(c);
          return c;
        },
      }).subscribe((b) => {
        const silent = b.channels[0]!.every((v) => v === 0);
        blocks.push({ t0: b.t0, len: b.channels[0]!.length, silent });
        if (!killed && blocks.length === 20) {
          killed = true;
          children[0]!.kill('SIGKILL'); // the driver "crashes"
        }
        if (killed && !silent && blocks.some((x) => x.silent) && ++back === 20) {
          clearTimeout(timer);
          queueMicrotask(() => sub.unsubscribe());
          resolve();
        }
      });
    });
    for (let i = 1; i < blocks.length; i++) assert.equal(blocks[i]!.t0, blocks[i - 1]!.t0 + blocks[i - 1]!.len);
    const runs = blocks.map((b) => (b.silent ? 's' : 'T')).join('').replace(/(.)\1*/g, '$1');
    assert.equal(runs, 'TsT', 'tone, then silence, then tone again');
    const silent = blocks.filter((b) => b.silent).length;
    assert.ok(silent >= 3, `${silent} silence blocks while the device was away (300 ms retry, 10.7 ms blocks)`);
    assert.equal(lines.filter((l) => l.includes('WARN')).length, 1, lines.join('\n'));
    assert.match(lines.find((l) => l.includes('WARN'))!, /line-in: "default" \(ALSA, id \d+\): PortAudio process exited \(SIGKILL\); sending silence and reopening/);
    assert.equal(lines.filter((l) => /"default" .* is back after \d+\.\d s/.test(l)).length, 1, lines.join('\n'));
    assert.equal(children.length, 2);
  } finally {
    restore();
  }
  // Unsubscribing ended the child process.
  const last = children.at(-1)!;
  if (last.exitCode === null && last.signalCode === null) await new Promise((r) => last.once('exit', r));
});

test('line-in: a device that is not there: one warning, silence, retries in the background', async () => {
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  setLogLevel('info');
  let spawned = 0;
  try {
    const blocks = await collect(
      {
        ...base,
        device: { kind: 'name', name: 'no such card', exact: true },
        blockSize: 480,
        retryMinMs: 40,
        retryMaxMs: 80,
        spawn: (req, e) => {
          spawned++;
          return forkPortAudio(req, { env: e });
        },
      },
      40, // 0.4 s of silence
    );
    assert.ok(blocks.every((b) => b.channels[0]!.every((v) => v === 0)));
    assert.ok(spawned >= 2, `${spawned} open attempts`);
    const warns = lines.filter((l) => l.includes('WARN'));
    assert.equal(warns.length, 1, lines.join('\n'));
    assert.match(warns[0]!, /line-in: input device "no such card": input device "no such card" is not present; sending silence/);
  } finally {
    restore();
  }
});

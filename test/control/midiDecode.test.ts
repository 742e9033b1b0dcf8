import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MidiDecoder,
  feedbackMessages,
  parseMidiSource,
  relativeSteps,
  type MidiControlEvent,
  type MidiDecodeSettings,
} from '../../src/control/midiDecode.js';
import type { EncoderMode } from '../../src/control/config.js';

const near = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

function decoderWith(settings: Record<string, Partial<MidiDecodeSettings>> = {}): MidiDecoder {
  return new MidiDecoder((s) => {
    const x = settings[s];
    return x ? { highRes: false, encoder: 'absolute', ...x } : undefined;
  });
}

/** Feed messages, return every event (copied). */
function feed(d: MidiDecoder, msgs: Array<[number, number[]]>): MidiControlEvent[] {
  const all: MidiControlEvent[] = [];
  for (const [dt, bytes] of msgs) all.push(...d.decode(dt, bytes).map((e) => ({ ...e })));
  return all;
}

test('channel messages decode to named sources (table)', () => {
  const table: Array<{ name: string; bytes: number[]; want: MidiControlEvent[] }> = [
    { name: 'CC 7-bit ch1', bytes: [0xb0, 7, 127], want: [{ kind: 'value', source: 'midi:cc:1:7', value: 1 }] },
    { name: 'CC 7-bit ch16 zero', bytes: [0xbf, 74, 0], want: [{ kind: 'value', source: 'midi:cc:16:74', value: 0 }] },
    { name: 'CC mid', bytes: [0xb2, 1, 64], want: [{ kind: 'value', source: 'midi:cc:3:1', value: 64 / 127 }] },
    { name: 'note on', bytes: [0x90, 60, 100], want: [{ kind: 'note', source: 'midi:note:1:60', on: true, velocity: 100 / 127 }] },
    { name: 'note on vel 0 is off', bytes: [0x99, 36, 0], want: [{ kind: 'note', source: 'midi:note:10:36', on: false, velocity: 0 }] },
    { name: 'note off', bytes: [0x80, 60, 64], want: [{ kind: 'note', source: 'midi:note:1:60', on: false, velocity: 0 }] },
    { name: 'pitch bend centre', bytes: [0xe0, 0, 64], want: [{ kind: 'value', source: 'midi:pb:1', value: 8192 / 16383 }] },
    { name: 'pitch bend max', bytes: [0xe5, 127, 127], want: [{ kind: 'value', source: 'midi:pb:6', value: 1 }] },
    { name: 'pitch bend min', bytes: [0xe0, 0, 0], want: [{ kind: 'value', source: 'midi:pb:1', value: 0 }] },
    { name: 'program change', bytes: [0xc1, 5], want: [{ kind: 'program', channel: 2, program: 5 }] },
    { name: 'channel pressure', bytes: [0xd0, 127], want: [{ kind: 'value', source: 'midi:at:1', value: 1 }] },
    { name: 'poly pressure', bytes: [0xa0, 60, 0], want: [{ kind: 'value', source: 'midi:at:1:60', value: 0 }] },
    { name: 'sysex ignored', bytes: [0xf0, 0x7e, 0x7f, 0xf7], want: [] },
    { name: 'active sensing ignored', bytes: [0xfe], want: [] },
  ];
  for (const row of table) {
    const d = decoderWith();
    assert.deepEqual(feed(d, [[0, row.bytes]]), row.want, row.name);
    assert.equal(d.malformed, 0, row.name);
  }
});

test('malformed messages are counted, never thrown', () => {
  const bad: number[][] = [[], [0x40, 1, 2], [0xb0, 7], [0x90, 200, 1], [0xb0, 7, 128], [0xc0], [0xf2, 1], [NaN as unknown as number]];
  const d = decoderWith();
  for (const b of bad) assert.deepEqual(d.decode(0, b), []);
  assert.equal(d.malformed, bad.length);
});

test('14-bit CC: MSB resets the LSB, LSB completes the value', () => {
  const d = decoderWith({ 'midi:cc:1:1': { highRes: true } });
  const ev = feed(d, [
    [0, [0xb0, 1, 64]],
    [0, [0xb0, 33, 127]],
    [0, [0xb0, 33, 0]],
    [0, [0xb0, 1, 127]],
    [0, [0xb0, 33, 127]],
  ]);
  assert.deepEqual(
    ev.map((e) => (e.kind === 'value' ? [e.source, Math.round(e.value * 16383)] : null)),
    [
      ['midi:cc:1:1', 64 << 7],
      ['midi:cc:1:1', (64 << 7) | 127],
      ['midi:cc:1:1', 64 << 7],
      ['midi:cc:1:1', 127 << 7],
      ['midi:cc:1:1', 16383],
    ],
  );
  // CC 33 on a channel where CC 1 is not 14-bit stays a 7-bit control of its own.
  const plain = feed(decoderWith(), [[0, [0xb0, 33, 127]]]);
  assert.deepEqual(plain, [{ kind: 'value', source: 'midi:cc:1:33', value: 1 }]);
});

test('NRPN: parameter select, data entry MSB/LSB, increment/decrement; RPN ignored', () => {
  const d = decoderWith();
  const ev = feed(d, [
    [0, [0xb0, 99, 2]], // NRPN MSB
    [0, [0xb0, 98, 44]], // NRPN LSB → param 2*128+44 = 300
    [0, [0xb0, 6, 100]],
    [0, [0xb0, 38, 5]],
    [0, [0xb0, 96, 0]],
    [0, [0xb0, 97, 0]],
    [0, [0xb0, 101, 0]], // RPN 0 (bend range): consumed, data ignored
    [0, [0xb0, 100, 0]],
    [0, [0xb0, 6, 12]],
    [0, [0xb0, 101, 127]], // RPN null → plain CC 6 again
    [0, [0xb0, 100, 127]],
    [0, [0xb0, 6, 127]],
  ]);
  assert.deepEqual(ev, [
    { kind: 'value', source: 'midi:nrpn:1:300', value: (100 << 7) / 16383 },
    { kind: 'value', source: 'midi:nrpn:1:300', value: ((100 << 7) | 5) / 16383 },
    { kind: 'steps', source: 'midi:nrpn:1:300', steps: 1 },
    { kind: 'steps', source: 'midi:nrpn:1:300', steps: -1 },
    { kind: 'value', source: 'midi:cc:1:6', value: 1 },
  ]);
});

test('relative encoders: signed bit, binary offset, two\'s complement (table)', () => {
  const table: Array<[EncoderMode, number, number]> = [
    ['relative-signed', 1, 1],
    ['relative-signed', 63, 63],
    ['relative-signed', 65, -1],
    ['relative-signed', 127, -63],
    ['relative-signed', 64, 0],
    ['relative-offset', 65, 1],
    ['relative-offset', 63, -1],
    ['relative-offset', 64, 0],
    ['relative-offset', 127, 63],
    ['relative-offset', 0, -64],
    ['relative-twos', 1, 1],
    ['relative-twos', 63, 63],
    ['relative-twos', 127, -1],
    ['relative-twos', 64, -64],
    ['relative-twos', 0, 0],
  ];
  for (const [mode, v, want] of table) {
    assert.equal(relativeSteps(mode, v), want, `${mode} ${v}`);
    const d = decoderWith({ 'midi:cc:2:16': { encoder: mode } });
    const ev = feed(d, [[0, [0xb1, 16, v]]]);
    assert.deepEqual(ev, want === 0 ? [] : [{ kind: 'steps', source: 'midi:cc:2:16', steps: want }], `${mode} ${v}`);
  }
});

test('clock and transport carry the port message clock (sum of deltaTime)', () => {
  const d = decoderWith();
  const ev = feed(d, [
    [0, [0xfa]],
    [0.02, [0xf8]],
    [0.02, [0xf8]],
    [0.5, [0xfc]],
    [0.1, [0xfb]],
    [0.1, [0xf2, 8, 1]],
  ]);
  assert.deepEqual(
    ev.map((e) => e.kind),
    ['start', 'clock', 'clock', 'stop', 'continue', 'position'],
  );
  near((ev[2] as { tSec: number }).tSec, 0.04);
  near((ev[4] as { tSec: number }).tSec, 0.64);
  assert.equal((ev[5] as { sixteenths: number }).sixteenths, 136);
});

test('source names parse back; feedback bytes round-trip through the decoder', () => {
  assert.deepEqual(parseMidiSource('midi:cc:1:7'), { type: 'cc', channel: 1, number: 7 });
  assert.deepEqual(parseMidiSource('midi:pb:16'), { type: 'pb', channel: 16, number: -1 });
  assert.deepEqual(parseMidiSource('midi:nrpn:3:300'), { type: 'nrpn', channel: 3, number: 300 });
  for (const bad of ['midi:cc:0:7', 'midi:cc:17:7', 'midi:cc:1:128', 'midi:cc:1', 'osc:/x', 'midi:pb:1:2']) {
    assert.equal(parseMidiSource(bad), null, bad);
  }
  const cases: Array<[string, number, boolean]> = [
    ['midi:cc:1:7', 0.5, false],
    ['midi:cc:4:1', 0.3, true],
    ['midi:note:10:36', 1, false],
    ['midi:nrpn:1:300', 0.25, false],
    ['midi:pb:2', 0.75, false],
  ];
  for (const [src, v, hr] of cases) {
    const d = decoderWith(hr ? { [src]: { highRes: true } } : {});
    const msgs = feedbackMessages(parseMidiSource(src)!, v, hr);
    const ev = feed(d, msgs.map((m): [number, number[]] => [0, m])).filter((e) => e.kind === 'value' || e.kind === 'note');
    const last = ev.at(-1)!;
    const got = last.kind === 'value' ? last.value : last.kind === 'note' ? last.velocity : NaN;
    assert.ok(Math.abs(got - v) <= (hr || src.includes('nrpn') || src.includes('pb') ? 1 / 16383 : 1 / 127), `${src}: ${got} vs ${v}`);
  }
});

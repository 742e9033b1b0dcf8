import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MidiPorts, loadNativeMidi, matchPort, type MidiBackend } from '../../src/control/midiPorts.js';
import { createControl } from '../../src/control/index.js';
import { setLogSink } from '../../src/log.js';

/** A scripted native layer: port lists the test changes (hot-plug), inputs it can fire messages into. */
class ScriptedMidi implements MidiBackend {
  inputs: string[] = [];
  outputs: string[] = [];
  readonly open = new Map<string, (dt: number, bytes: number[]) => void>();
  readonly sent: number[][] = [];
  opens = 0;
  inputNames = () => [...this.inputs];
  outputNames = () => [...this.outputs];
  openInput(index: number, onMessage: (dt: number, bytes: number[]) => void) {
    const name = this.inputs[index]!;
    this.opens += 1;
    this.open.set(name, onMessage);
    return { close: () => void this.open.delete(name) };
  }
  openOutput(_index: number) {
    return { send: (b: number[]) => void this.sent.push(b), close: () => undefined };
  }
  fire(name: string, dt: number, bytes: number[]): void {
    this.open.get(name)?.(dt, bytes);
  }
}

function captureLog(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  return { lines, restore: setLogSink({ write: (l) => lines.push(l) }) };
}

test('ports by name substring or index; several at once; unplug and replug reconnect by name', () => {
  const log = captureLog();
  try {
    const midi = new ScriptedMidi();
    midi.inputs = ['Midi Through Port-0', 'nanoKONTROL2 MIDI 1', 'Launch Control XL'];
    const got: Array<[string, number[]]> = [];
    const ports = new MidiPorts(midi, ['nanokontrol', 2], undefined, (port, _dt, bytes) => got.push([port, bytes]));
    ports.scan();
    assert.deepEqual(ports.status().inputs, [
      { spec: 'nanokontrol', name: 'nanoKONTROL2 MIDI 1', state: 'open' },
      { spec: 2, name: 'Launch Control XL', state: 'open' },
    ]);
    midi.fire('nanoKONTROL2 MIDI 1', 0, [0xb0, 0, 64]);
    midi.fire('Launch Control XL', 0, [0x90, 41, 127]);
    assert.deepEqual(got, [
      ['nanoKONTROL2 MIDI 1', [0xb0, 0, 64]],
      ['Launch Control XL', [0x90, 41, 127]],
    ]);
    // Unplugged: closed and logged; another USB port later: a new index, same name, reopened.
    midi.inputs = ['Midi Through Port-0', 'Launch Control XL'];
    ports.scan();
    assert.deepEqual(ports.status().inputs[0], { spec: 'nanokontrol', name: 'nanoKONTROL2 MIDI 1', state: 'gone' });
    assert.ok(log.lines.some((l) => /MIDI in 'nanoKONTROL2 MIDI 1' is gone/.test(l)));
    midi.inputs = ['Midi Through Port-0', 'Launch Control XL', 'nanoKONTROL2 MIDI 1'];
    ports.scan();
    assert.deepEqual(ports.status().inputs[0], { spec: 'nanokontrol', name: 'nanoKONTROL2 MIDI 1', state: 'open' });
    assert.equal(midi.opens, 3);
    // A scan without changes opens nothing twice.
    ports.scan();
    assert.equal(midi.opens, 3);
    ports.close();
    assert.equal(midi.open.size, 0);
  } finally {
    log.restore();
  }
  assert.equal(matchPort('x', ['a'], new Set()), -1);
  assert.equal(matchPort(0, ['a'], new Set(['a'])), -1);
  assert.equal(matchPort('KONTROL', ['nanoKONTROL2'], new Set()), 0);
});

test('no ALSA sequencer: one clear line, no throw, the control stage carries on', async () => {
  const log = captureLog();
  try {
    const reason = await loadNativeMidi();
    assert.equal(typeof reason, 'string', 'this machine has no /dev/snd/seq (TESTING.md); update the test if it does');
    const control = await createControl({ oscEnabled: false, midiInputs: ['nanoKONTROL'] });
    const midiLines = log.lines.filter((l) => /\[midi\]|MIDI/.test(l));
    assert.equal(midiLines.length, 1, midiLines.join('\n'));
    assert.match(midiLines[0]!, /MIDI off: no ALSA sequencer \(\/dev\/snd\/seq is missing.*\); the engine carries on without MIDI/);
    assert.equal(control.status().midi.available, false);
    await control.close();
  } finally {
    log.restore();
  }
});

test('control stage: takeover after a scene recall, program change, tap note, relative encoder with LED feedback', async () => {
  const log = captureLog();
  const midi = new ScriptedMidi();
  midi.inputs = ['X-Touch Mini'];
  midi.outputs = ['X-Touch Mini'];
  let now = 0;
  const control = await createControl(
    {
      oscEnabled: false,
      midiInputs: ['x-touch'],
      midiOutput: 'x-touch',
      midiRescanS: 0,
      takeover: 'pickup',
      tapNote: 'midi:note:10:36',
      midiControls: [{ source: 'midi:cc:1:16', encoder: 'relative-twos', stepSize: 0.1, feedback: true }],
    },
    { midi, now: () => now },
  );
  try {
    const v = (s: string) => control.state().values.get(s);
    midi.fire('X-Touch Mini', 0, [0xb0, 7, 32]);
    assert.equal(v('midi:cc:1:7'), 32 / 127);
    // A scene recalls 0.9 for the fader; the fader (at 0.25) must come up to 0.9 before it takes over.
    assert.equal(control.apply({ type: 'scene', scene: 'B', values: { 'midi:cc:1:7': 0.9 } }, 'test').ok, true);
    midi.fire('X-Touch Mini', 0, [0xb0, 7, 60]);
    assert.equal(v('midi:cc:1:7'), 0.9);
    midi.fire('X-Touch Mini', 0, [0xb0, 7, 115]); // 0.906: picked up
    assert.equal(v('midi:cc:1:7'), 115 / 127);
    // Program change 4 → scene 4.
    midi.fire('X-Touch Mini', 0, [0xc0, 4]);
    assert.equal(control.state().scene, 4);
    // Relative encoder: +3 steps of 0.1, then -1; the LED ring gets the value back.
    midi.fire('X-Touch Mini', 0, [0xb0, 16, 3]);
    midi.fire('X-Touch Mini', 0, [0xb0, 16, 127]);
    assert.ok(Math.abs(v('midi:cc:1:16')! - 0.2) < 1e-12);
    assert.deepEqual(midi.sent, [
      [0xb0, 16, Math.round(0.3 * 127)],
      [0xb0, 16, Math.round(0.2 * 127)],
    ]);
    // The tap note: four taps at 120 BPM.
    for (const t of [0, 500, 1000, 1500]) {
      now = t;
      midi.fire('X-Touch Mini', 0, [0x99, 36, 100]);
      midi.fire('X-Touch Mini', 0, [0x89, 36, 0]);
    }
    const tempo = control.mergeTempo(null)!;
    assert.equal(tempo.source, 'tap');
    assert.ok(Math.abs(tempo.bpm - 120) <= 1);
    // Malformed bytes are counted, not thrown.
    midi.fire('X-Touch Mini', 0, [0xb0, 200]);
    assert.equal(control.status().midi.malformed, 1);
    assert.ok(control.valid());
  } finally {
    await control.close();
    log.restore();
  }
});

test('createControl failing on a busy OSC port closes the MIDI ports it had opened (no port or rescan timer left open)', async () => {
  const log = captureLog();
  const dgram = await import('node:dgram');
  const busy = dgram.createSocket('udp4');
  await new Promise<void>((r) => busy.bind(0, '127.0.0.1', () => r()));
  try {
    const midi = new ScriptedMidi();
    midi.inputs = ['nanoKONTROL2 MIDI 1'];
    await assert.rejects(
      createControl({ midiInputs: ['nano'], oscEnabled: true, oscHost: '127.0.0.1', oscPort: busy.address().port }, { midi }),
      /already in use/,
    );
    assert.equal(midi.open.size, 0, 'the MIDI input was closed again');
  } finally {
    busy.close();
    log.restore();
  }
});

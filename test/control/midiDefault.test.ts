/**
 * MIDI opens by default: every controller input (not ALSA's Midi Through), reopened by name when replugged, new
 * ones picked up on the rescan, and the log says which are open. A mapping that reads MIDI while no input is open
 * says so when it loads; MIDI learn refuses to arm with the same reason. Tested below the native port (TESTING.md):
 * a scripted port list and the exact `(deltaTime, bytes)` messages RtMidi delivers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createControl } from '../../src/control/index.js';
import { controlConfigSchema } from '../../src/control/config.js';
import type { MidiBackend } from '../../src/control/midiPorts.js';
import { setLogSink } from '../../src/log.js';
import { MidiUseCheck, midiUseWarning, noMidiInputReason } from '../../src/control/midiUse.js';

class Ports implements MidiBackend {
  inputs: string[] = [];
  readonly open = new Map<string, (dt: number, bytes: number[]) => void>();
  inputNames = () => [...this.inputs];
  outputNames = () => [];
  openInput(index: number, onMessage: (dt: number, bytes: number[]) => void) {
    const name = this.inputs[index]!;
    this.open.set(name, onMessage);
    return { close: () => void this.open.delete(name) };
  }
  openOutput(): never {
    throw new Error('no outputs');
  }
}

function captureLog(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  return { lines, restore: setLogSink({ write: (l) => lines.push(l) }) };
}

test('by default every controller input opens, the log lists them, replugged and new ones are opened by name', async () => {
  assert.deepEqual(controlConfigSchema.parse({}).midiInputs, ['*']);
  const log = captureLog();
  const midi = new Ports();
  midi.inputs = ['Midi Through:Midi Through Port-0 14:0', 'nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0', 'Launch Control XL:Launch Control XL MIDI 1 24:0'];
  const control = await createControl({ oscEnabled: false, midiRescanS: 0 }, { midi });
  try {
    assert.deepEqual([...midi.open.keys()].sort(), ['Launch Control XL:Launch Control XL MIDI 1 24:0', 'nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0']);
    assert.ok(log.lines.some((l) => l.includes("MIDI inputs open: 'nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0', 'Launch Control XL:Launch Control XL MIDI 1 24:0'")), log.lines.join('\n'));
    assert.deepEqual(
      control.status().midi.ports!.inputs.map((i) => i.name),
      ['nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0', 'Launch Control XL:Launch Control XL MIDI 1 24:0'],
    );
    // A fader on the nanoKONTROL (the bytes RtMidi delivers) becomes a source.
    midi.open.get('nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0')!(0, [0xb0, 0, 127]);
    assert.equal(control.state().values.get('midi:cc:1:0'), 1);

    // Unplugged, then back on another USB port (new ALSA client number, same name) and a third controller.
    midi.inputs = ['Midi Through:Midi Through Port-0 14:0', 'Launch Control XL:Launch Control XL MIDI 1 24:0'];
    control.midi!.scan();
    assert.ok(!midi.open.has('nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0'));
    assert.ok(log.lines.some((l) => l.includes("MIDI in 'nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0' is gone")));
    midi.inputs = ['Midi Through:Midi Through Port-0 14:0', 'Launch Control XL:Launch Control XL MIDI 1 24:0', 'nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0', 'X-Touch Mini:X-Touch Mini MIDI 1 28:0'];
    control.midi!.scan();
    assert.equal(midi.open.size, 3);
    midi.open.get('nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0')!(0, [0xb0, 0, 0]);
    assert.equal(control.state().values.get('midi:cc:1:0'), 0, 'the replugged controller is heard again');
    assert.ok(log.lines.some((l) => l.includes("MIDI in: 'X-Touch Mini:X-Touch Mini MIDI 1 28:0' (for every input)")));
  } finally {
    await control.close();
    log.restore();
  }
  assert.equal(midi.open.size, 0, 'closing the control closes every port');
});

test('a mapping that reads MIDI while no input is open says so when it loads; learn refuses to arm', async () => {
  const log = captureLog();
  const midi = new Ports();
  midi.inputs = ['Midi Through:Midi Through Port-0 14:0'];
  const mapping = { version: 1, sources: ['rms', 'midi:cc:1:21', 'control:midi:nrpn:1:300'] };
  const control = await createControl({ oscEnabled: false, midiRescanS: 0 }, { midi, mapping: () => mapping });
  try {
    const warned = log.lines.filter((l) => l.includes('the mapping reads MIDI'));
    assert.equal(warned.length, 1, log.lines.join('\n'));
    assert.match(warned[0]!, /the mapping reads MIDI \(midi:cc:1:21, control:midi:nrpn:1:300\) but no MIDI input is open: no controller connected \(see `latentvj devices`\)/);
    assert.ok(log.lines.some((l) => /no MIDI input is open: none connected \(ports: 'Midi Through:Midi Through Port-0 14:0'\)/.test(l)));
    await assert.rejects(control.learn.arm('truncation', 30000), /MIDI learn for 'truncation': no MIDI input is open: no controller connected/);
    assert.equal(control.learn.armed, null);

    // Plugged in: learn arms.
    midi.inputs.push('nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0');
    control.midi!.scan();
    const learning = control.learn.arm('truncation', 0);
    assert.equal(control.learn.armed, 'truncation');
    control.learn.cancel();
    await assert.rejects(learning, /cancelled/);
  } finally {
    await control.close();
    log.restore();
  }
});

test('without a MIDI sequencer the mapping warning names the reason; a mapping without MIDI is quiet', async () => {
  const log = captureLog();
  const reason = 'no ALSA sequencer (/dev/snd/seq is missing)';
  const withMidi = await createControl({ oscEnabled: false }, { midi: reason, mapping: () => ({ version: 3, sources: ['midi:note:10:36'] }) });
  await withMidi.close();
  const without = await createControl({ oscEnabled: false }, { midi: reason, mapping: () => ({ version: 1, sources: ['rms', 'onset.kick'] }) });
  await without.close();
  log.restore();
  const warned = log.lines.filter((l) => l.includes('the mapping reads MIDI'));
  assert.deepEqual(warned.length, 1, log.lines.join('\n'));
  assert.ok(warned[0]!.includes(`(midi:note:10:36) but no MIDI input is open: ${reason}`), warned[0]);
  assert.equal(log.lines.filter((l) => l.includes('MIDI off: no ALSA sequencer')).length, 2, 'one line per start');
});

test('the MIDI-use check speaks once per mapping version: a reload that adds MIDI while none is open warns again', () => {
  const warned: string[] = [];
  const mapping = { version: 1, sources: ['midi:cc:1:7'] as string[] };
  let noInput: string | null = 'no controller connected (see `latentvj devices`)';
  const check = new MidiUseCheck(() => mapping, () => noInput, (l) => warned.push(l));
  try {
    check.check();
    check.check();
    assert.equal(warned.length, 1);
    Object.assign(mapping, { version: 2, sources: ['rms'] });
    check.check();
    assert.equal(warned.length, 1, 'a mapping without MIDI is quiet');
    Object.assign(mapping, { version: 3, sources: ['rms', 'osc:/x', 'midi:note:10:36', 'midi:cc:1:1', 'midi:cc:1:2', 'midi:cc:1:3', 'midi:cc:1:4'] });
    check.check();
    assert.equal(warned[1], 'the mapping reads MIDI (midi:note:10:36, midi:cc:1:1, midi:cc:1:2, midi:cc:1:3, …) but no MIDI input is open: no controller connected (see `latentvj devices`)');
    noInput = null;
    Object.assign(mapping, { version: 4 });
    check.check();
    assert.equal(warned.length, 2, 'with an input open nothing is said');
  } finally {
    check.close();
  }
  assert.equal(noMidiInputReason(null, []), 'control.midiInputs is empty');
  assert.equal(noMidiInputReason(null, ['nano', 2]), 'no input matches "nano", 2 (see `latentvj devices`)');
  assert.equal(noMidiInputReason('no ALSA sequencer', ['*']), 'no ALSA sequencer');
  assert.equal(midiUseWarning(['midi:cc:1:1'], null), null);
});

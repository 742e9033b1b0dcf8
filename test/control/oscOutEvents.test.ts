/**
 * OSC out events through a real UDP socket: `pulse` sends 1 on the send after an event and 0 on the next one (a
 * TouchDesigner OSC In CHOP channel falls back to 0), `once` sends only the 1 (a bang per event in Max).
 * Bundled, so each send is one datagram and the sequence of sends is exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { decode } from 'node-osc';
import { createOscOut } from '../../src/control/oscOut.js';
import { controlConfigSchema } from '../../src/control/config.js';
import { quietFeatures } from '../helpers/features.js';
import { setLogSink } from '../../src/log.js';

interface Decoded {
  elements: Array<{ address: string; args: Array<{ value: number }> }>;
}

/** Each send's event messages, as `name=value`, in the order of the sends. */
async function eventsPerSend(mode: 'pulse' | 'once', records: string[][]): Promise<string[][]> {
  const rx = dgram.createSocket('udp4');
  rx.bind(0, '127.0.0.1');
  await once(rx, 'listening');
  const packets: Buffer[] = [];
  rx.on('message', (b) => packets.push(b));
  const cfg = controlConfigSchema.parse({ oscOut: { enabled: true, port: rx.address().port, rateHz: 1, bundle: true, events: mode } }).oscOut;
  const out = await createOscOut(cfg);
  try {
    for (const events of records) {
      out.features!(quietFeatures(0, { events: events as never }));
      out.flush();
    }
    while (packets.length < records.length) await once(rx, 'message');
  } finally {
    await out.close!();
    rx.close();
  }
  return packets.map((p) =>
    (decode(p) as Decoded).elements
      .filter((m) => m.address.startsWith('/latentvj/out/event/'))
      .map((m) => `${m.address.slice('/latentvj/out/event/'.length)}=${m.args[0]!.value}`)
      .sort(),
  );
}

const SENDS = [['kick', 'beat'], ['beat'], [], [], ['kick']];

test('OSC out pulse mode (default): 1 on the send after the event, 0 on the next, then silent', async () => {
  const restore = setLogSink({ write: () => undefined });
  try {
    assert.equal(controlConfigSchema.parse({}).oscOut.events, 'pulse');
    assert.deepEqual(await eventsPerSend('pulse', SENDS), [
      ['beat=1', 'kick=1'],
      ['beat=1', 'kick=0'], // beat fired again: it stays up; kick falls
      ['beat=0'],
      [],
      ['kick=1'],
    ]);
  } finally {
    restore();
  }
});

test('OSC out once mode: only the 1, on the send after each event', async () => {
  const restore = setLogSink({ write: () => undefined });
  try {
    assert.deepEqual(await eventsPerSend('once', SENDS), [['beat=1', 'kick=1'], ['beat=1'], [], [], ['kick=1']]);
  } finally {
    restore();
  }
});

/** The non-event messages of one send, by address under /latentvj/out/. */
async function oneSend(f: ReturnType<typeof quietFeatures>): Promise<Map<string, number[]>> {
  const rx = dgram.createSocket('udp4');
  rx.bind(0, '127.0.0.1');
  await once(rx, 'listening');
  const cfg = controlConfigSchema.parse({ oscOut: { enabled: true, port: rx.address().port, rateHz: 1, bundle: true } }).oscOut;
  const out = await createOscOut(cfg);
  try {
    const got = once(rx, 'message');
    out.features!(f);
    out.flush();
    const [packet] = (await got) as [Buffer];
    return new Map((decode(packet) as Decoded).elements.map((m) => [m.address.slice('/latentvj/out/'.length), m.args.map((a) => a.value)]));
  } finally {
    await out.close!();
    rx.close();
  }
}

test('OSC out: drop and breakdown are events; chord, section energy, tempoKnown and beatsPerBar are sent as numbers', async () => {
  const restore = setLogSink({ write: () => undefined });
  try {
    assert.deepEqual(await eventsPerSend('once', [['drop'], ['breakdown'], []]), [['drop=1'], ['breakdown=1'], []]);
    const close = (a: number[] | undefined, b: number[]) => assert.ok(a && a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) < 1e-6), `${a} vs ${b}`);
    const heard = await oneSend(
      quietFeatures(1, {
        chord: { root: 9, quality: 'min7', confidence: 0.75 },
        energy: { contrast: 0.5, state: 'drop' },
        tempo: { bpm: 120, beatPhase: 0, barPhase: 0, confidence: 1, source: 'analysis', known: true, beatsPerBar: 3 },
      }),
    );
    close(heard.get('chord'), [9, 4, 0.75]);
    close(heard.get('energy'), [0.5, 1]);
    close(heard.get('tempoKnown'), [1]);
    close(heard.get('beatsPerBar'), [3]);
    const none = await oneSend(quietFeatures(1, { energy: { contrast: -0.25, state: 'breakdown' }, tempo: { bpm: 120, beatPhase: 0, barPhase: 0, confidence: 0, source: 'analysis', known: false } }));
    close(none.get('chord'), [-1, -1, 0]);
    close(none.get('energy'), [-0.25, -1]);
    close(none.get('tempoKnown'), [0]);
    close(none.get('beatsPerBar'), [4]);
  } finally {
    restore();
  }
});

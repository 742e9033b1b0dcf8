/**
 * OSC cannot grow the engine's memory or work without bound: a long address or cue name is refused by its length
 * (memory per source is bounded in bytes), the per-second limit counts messages inside bundles (one bundle of
 * thousands of messages is not one unit of work), and each limit is named in one log line when it is hit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode } from 'node-osc';
import { createControl } from '../../src/control/index.js';
import { MAX_NAME_CHARS, MAX_SCENE_INDEX } from '../../src/control/commands.js';
import { setLogSink } from '../../src/log.js';

const msg = (address: string, ...args: Array<number | string>) => encode({ oscType: 'message', address, args });
const bundle = (n: number, address: (i: number) => string) =>
  encode({ oscType: 'bundle', timetag: 0, elements: Array.from({ length: n }, (_, i) => ({ oscType: 'message', address: address(i), args: [0.5] })) });

async function withControl(cfg: Record<string, unknown>, fn: (c: Awaited<ReturnType<typeof createControl>>, log: string[]) => Promise<void> | void) {
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  const c = await createControl({ oscPort: 0, ...cfg }, { targets: () => ['truncation'] });
  try {
    await fn(c, lines);
  } finally {
    await c.close();
    restore();
  }
}

test('distinct 60 KB OSC addresses and cue names are refused by length: no source keeps them', async () => {
  await withControl({}, (c, log) => {
    const osc = c.osc!;
    for (let i = 0; i < 50; i++) osc.onPacket(msg(`/${String(i).padStart(4, '0')}${'x'.repeat(60_000)}`, 1), 'test');
    for (let i = 0; i < 50; i++) osc.onPacket(msg('/latentvj/cue', `${i}${'c'.repeat(60_000)}`), 'test');
    for (let i = 0; i < 50; i++) osc.onPacket(msg(`/latentvj/cue/${i}${'d'.repeat(60_000)}`), 'test');
    const names = [...c.state().values.keys()];
    assert.equal(names.filter((k) => k.length > 300).length, 0, 'no long name is kept');
    assert.equal(osc.stats.rejected, 150);
    assert.equal(log.filter((l) => /OSC address over \d+ bytes/.test(l)).length >= 1, true, log.join('\n'));
    assert.equal(log.filter((l) => new RegExp(`name over ${MAX_NAME_CHARS} characters`).test(l)).length >= 1, true, log.join('\n'));
    // A short one still works.
    osc.onPacket(msg('/fader/1', 0.25), 'test');
    assert.equal(c.state().values.get('osc:/fader/1'), 0.25);
  });
});

test('a bundle counts as its messages: the per-second limit bounds handled messages, and the flood is reported once', async () => {
  await withControl({ oscMaxPerSecond: 100 }, (c, log) => {
    const osc = c.osc!;
    let handled = 0;
    const sub = c.events$.subscribe((e) => e.kind === 'osc' && (handled += 1));
    const packets = Array.from({ length: 20 }, () => bundle(200, (k) => `/b/${k % 10}`));
    for (const p of packets) osc.onPacket(p, 'test');
    sub.unsubscribe();
    // At most two windows if the clock crossed a second while the burst was handled; never the 4,000 sent.
    assert.ok(handled >= 100 && handled <= 200, `${handled} messages handled, limit 100 per second`);
    assert.ok(osc.stats.dropped >= 19, `dropped ${osc.stats.dropped}`);
    const floodLines = log.filter((l) => /OSC flood/.test(l));
    assert.equal(floodLines.length, 1, floodLines.join('\n'));
    assert.match(floodLines[0]!, /100 messages per second \(control\.oscMaxPerSecond\)/);
  });
});

test('hitting the cue-name cap is logged as the cap, not as an unknown address; a huge scene index is refused', async () => {
  await withControl({ oscMaxSources: 2 }, (c, log) => {
    const osc = c.osc!;
    for (const n of ['a', 'b', 'c']) osc.onPacket(msg(`/latentvj/cue/${n}`), 'test');
    assert.equal(osc.stats.rejected, 1);
    assert.ok(log.some((l) => /too many distinct cue names \(over 2, control\.oscMaxSources\)/.test(l)), log.join('\n'));
    assert.ok(!log.some((l) => /unknown address/.test(l)), log.join('\n'));
    osc.onPacket(msg('/latentvj/scene', 2147483647), 'test');
    osc.onPacket(msg(`/latentvj/scene/${MAX_SCENE_INDEX + 1}`), 'test');
    assert.equal(osc.stats.rejected, 3);
    const r = c.apply({ type: 'scene', scene: 2147483647 }, 'ws');
    assert.equal(r.ok, false);
    assert.match((r as { error: string }).error, new RegExp(`scene index must be 0–${MAX_SCENE_INDEX}`));
    assert.equal(c.apply({ type: 'scene', scene: MAX_SCENE_INDEX }, 'ws').ok, true);
  });
});

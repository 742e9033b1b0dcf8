/**
 * One scene model: the mapping's section sets are the scenes. Recalls from ws/API commands, OSC (real UDP) and MIDI
 * program change are checked against them; unknown names and indices past the end are refused with the list, a
 * good recall is an event and a source (`control:scene`, `control:scene:changed`), and the mapper switches to it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter } from '../../src/rx.js';
import { Client } from 'node-osc';
import { createControl } from '../../src/control/index.js';
import { listScenes, resolveScene } from '../../src/control/scenes.js';
import { createMapper } from '../../src/mapping/index.js';
import { setLogSink } from '../../src/log.js';
import { fakeManifest, fakeProvider } from '../mapping/helpers.js';

const SCENES = ['intro', 'main', 'drop'];
const LIST = '0 intro, 1 main, 2 drop';

test('resolveScene: names and indices of the mapping, refusals list the scenes', () => {
  assert.equal(listScenes(SCENES), LIST);
  assert.deepEqual(resolveScene('main', SCENES), { ok: true, scene: 'main', index: 1 });
  assert.deepEqual(resolveScene(2, SCENES), { ok: true, scene: 'drop', index: 2 });
  assert.deepEqual(resolveScene('auto', SCENES), { ok: true, scene: 'auto', index: -1 });
  const nope = resolveScene('nope', SCENES);
  assert.ok(!nope.ok && nope.error === `unknown scene 'nope'; scenes: ${LIST} (or 'auto')`, JSON.stringify(nope));
  const typo = resolveScene('mian', SCENES);
  assert.ok(!typo.ok && typo.error.startsWith("unknown scene 'mian'; did you mean 'main'?"));
  const seven = resolveScene(7, SCENES);
  assert.ok(!seven.ok && seven.error === `scene 7 is out of range: 3 scenes; scenes: ${LIST} (or 'auto')`, JSON.stringify(seven));
  const none = resolveScene(0, []);
  assert.ok(!none.ok && /no scenes \(declare them under 'sections: sets:'\)/.test(none.error));
});

test('control: a recall by index becomes the scene name, an event and two sources; refusals change nothing', async () => {
  const restore = setLogSink({ write: () => undefined });
  const control = await createControl({ oscEnabled: false }, { scenes: () => SCENES });
  try {
    const event = firstValueFrom(control.events$.pipe(filter((e) => e.kind === 'scene')));
    assert.deepEqual(control.apply({ type: 'scene', scene: 2 }, 'test'), { ok: true });
    assert.deepEqual(await event, { kind: 'scene', scene: 'drop', t: (await event).t, source: 'test' });
    let s = control.take(0);
    assert.equal(s.scene, 'drop');
    assert.equal(s.values.get('scene'), 2);
    assert.equal(s.values.get('scene:changed'), 1, 'the frame after the recall');
    s = control.take(1 / 30);
    assert.equal(s.values.get('scene:changed'), 0, 'and back to 0 on the next');

    const refused = [control.apply({ type: 'scene', scene: 'nope' }, 'test'), control.apply({ type: 'scene', scene: 7 }, 'test')];
    assert.deepEqual(refused, [
      { ok: false, error: `unknown scene 'nope'; scenes: ${LIST} (or 'auto')` },
      { ok: false, error: `scene 7 is out of range: 3 scenes; scenes: ${LIST} (or 'auto')` },
    ]);
    assert.equal(control.state().scene, 'drop');
    assert.equal(control.status().scene, 'drop');
    assert.deepEqual(control.status().scenes, SCENES);
    // A snapshot recall restores values even under a name that is not a section set.
    assert.deepEqual(control.apply({ type: 'scene', scene: 'verse-a', values: { 'ws:knob': 0.3 } }, 'test'), { ok: true });
    assert.equal(control.state().values.get('ws:knob'), 0.3);
  } finally {
    await control.close();
    restore();
  }
});

test('OSC /latentvj/scene nope and /latentvj/scene 7 of 3 are refused with the list in the log (real UDP)', async () => {
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  const control = await createControl({ oscPort: 0 }, { scenes: () => SCENES });
  const client = new Client('127.0.0.1', control.osc!.port);
  try {
    let n = 0;
    const three = firstValueFrom(control.events$.pipe(filter((e) => e.kind === 'osc' && ++n === 3)));
    await client.send('/latentvj/scene', 'nope');
    await client.send('/latentvj/scene', 7);
    await client.send('/latentvj/scene/main');
    await three;
    assert.equal(control.state().scene, 'main');
    const refusals = lines.filter((l) => l.includes('OSC scene refused'));
    assert.equal(refusals.length, 1, 'the same kind of refusal is logged once per 5 s');
    assert.ok(refusals[0]!.includes(`unknown scene 'nope'; scenes: ${LIST}`), refusals[0]);
    assert.ok(control.osc!.stats.rejected === 2, JSON.stringify(control.osc!.stats));
  } finally {
    await client.close();
    await control.close();
    restore();
  }
});

test('mapper and control share the scenes: program change 2 plays the third set on the next bar; 7 and a route to scene 7 are refused', async () => {
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  const dir = mkdtempSync(join(tmpdir(), 'lvj-scenes-'));
  const file = join(dir, 'set.yaml');
  writeFileSync(
    file,
    `banks:
  a: { seeds: [1] }
  b: { seeds: [2] }
  c: { seeds: [3] }
latents:
  a: { bank: a }
  b: { bank: b }
  c: { bank: c }
sections:
  sets: { intro: [a], main: [b], drop: [c] }
  crossfade: 0
  cueQuantise: bar
  cueFadeMs: 0
routes:
  - source: midi:cc:1:20
    modifiers: [{ range: [0, 7] }]
    target: scene
`,
  );
  const manifest = fakeManifest(256);
  const mapper = await createMapper({ file, manifest, latents: fakeProvider(manifest), watch: false });
  const control = await createControl({ oscEnabled: false }, { midi: scriptedNoPorts, scenes: () => mapper.scenes() });
  try {
    assert.deepEqual(mapper.scenes(), SCENES);
    const fps = 30;
    let k = 0;
    const frame = () => mapper.frame({ frame: k, t: k / fps, dt: 1 / fps, features: null, controls: control.state() }).scene;
    const frames = (n: number): Array<string | number> => Array.from({ length: n }, () => (k++, frame()));
    assert.equal(frame(), 'intro');

    control.feedMidi('pads', 0, [0xc0, 7]);
    assert.ok(lines.some((l) => l.includes(`MIDI program change 7 from 'pads': scene 7 is out of range: 3 scenes; scenes: ${LIST}`)), lines.join('\n'));
    control.feedMidi('pads', 0, [0xc0, 2]);
    // 120 BPM free-running: a bar is 60 frames; the cue waits for the next bar line.
    const played = frames(70);
    assert.equal(played[0], 'intro');
    assert.equal(played.at(-1), 'drop');

    // A route driving the scene target to 7 (a fader at full travel) is refused with the list, not clamped to 'drop'.
    control.apply({ type: 'scene', scene: 'main' }, 'test');
    assert.equal(frames(70).at(-1), 'main');
    control.feedMidi('faders', 0, [0xb0, 20, 127]);
    assert.equal(frames(130).at(-1), 'main', 'scene 7 of 3 does not switch to the last scene');
    assert.ok(lines.some((l) => l.includes(`scene target: scene 7 is out of range: 3 scenes; scenes: ${LIST}`)), lines.join('\n'));
  } finally {
    await control.close();
    await mapper.close();
    rmSync(dir, { recursive: true, force: true });
    restore();
  }
});

/** A MIDI layer with no ports: messages are fed straight to control.feedMidi. */
const scriptedNoPorts = {
  inputNames: () => [],
  outputNames: () => [],
  openInput: () => ({ close: () => undefined }),
  openOutput: () => ({ send: () => undefined, close: () => undefined }),
};

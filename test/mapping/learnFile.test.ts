import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addLearnedRoute } from '../../src/mapping/learnFile.js';
import { MidiLearn, type LearnedControl } from '../../src/control/learn.js';
import { parseMapping } from '../../src/mapping/load.js';

const when = new Date('2026-01-02T03:04:00Z');
const learned = (over: Partial<LearnedControl> = {}): LearnedControl => ({
  target: 'truncation',
  source: 'midi:cc:1:21',
  id: null,
  port: 'nanoKONTROL2',
  relative: false,
  ...over,
});

test('learned routes are written in place, comments kept, result valid (table)', () => {
  const table: Array<{ name: string; text: string; l: LearnedControl; want: string; action: string }> = [
    {
      name: 'append to a block list',
      text: 'version: 1\n# my routes\nroutes:\n  # kick\n  - source: onset.kick # hits\n    target: noise.fast\n',
      l: learned(),
      want:
        "version: 1\n# my routes\nroutes:\n  # kick\n  - source: onset.kick # hits\n    target: noise.fast\n  # MIDI learn 2026-01-02 03:04: midi:cc:1:21 on 'nanoKONTROL2'\n  - source: midi:cc:1:21\n    target: truncation\n",
      action: 'added',
    },
    {
      name: 'no routes key',
      text: 'version: 1 # mine\n',
      l: learned({ target: 'post.brightness' }),
      want: "version: 1 # mine\nroutes:\n  # MIDI learn 2026-01-02 03:04: midi:cc:1:21 on 'nanoKONTROL2'\n  - source: midi:cc:1:21\n    target: post.brightness\n",
      action: 'added',
    },
    {
      name: 're-learn replaces the MIDI source and its learn comment',
      text:
        "routes:\n  # MIDI learn 2025-12-01 00:00: midi:cc:1:5 on 'old'\n  - source: midi:cc:1:5\n    modifiers: [{ gain: 2 }]\n    target: truncation\n  - source: rms\n    target: truncation\n",
      l: learned({ source: 'midi:cc:2:9', relative: true }),
      want:
        "routes:\n  # MIDI learn 2026-01-02 03:04: relative encoder midi:cc:2:9 on 'nanoKONTROL2'\n  - source: midi:cc:2:9\n    modifiers: [{ gain: 2 }]\n    target: truncation\n  - source: rms\n    target: truncation\n",
      action: 'replaced',
    },
    {
      name: 'indented four',
      text: 'routes:\n    - source: rms\n      target: noise.fast\n\n# trailing comment\n',
      l: learned(),
      want:
        "routes:\n    - source: rms\n      target: noise.fast\n    # MIDI learn 2026-01-02 03:04: midi:cc:1:21 on 'nanoKONTROL2'\n    - source: midi:cc:1:21\n      target: truncation\n\n# trailing comment\n",
      action: 'added',
    },
  ];
  for (const row of table) {
    const r = addLearnedRoute(row.text, 'x.yaml', row.l, when);
    assert.equal(r.text, row.want, row.name);
    assert.equal(r.action, row.action, row.name);
    parseMapping(r.text, 'x.yaml');
  }
  // A flow list is re-serialised but stays valid.
  const flow = addLearnedRoute('routes: []\n', 'x.yaml', learned(), when);
  assert.equal(parseMapping(flow.text, 'x.yaml').spec.routes[0]!.source, 'midi:cc:1:21');
});

test('learn refuses to write what the mapping would not load, naming file:line:col', () => {
  assert.throws(
    () => addLearnedRoute('routes:\n  - source: rms\n    target: truncation\n', 'm.yaml', learned({ target: 'truncatoin' }), when),
    /m\.yaml:\d+:\d+: routes\.1\.target: unknown target 'truncatoin'; did you mean 'truncation'\?/,
  );
  assert.throws(() => addLearnedRoute('routes: [\n', 'm.yaml', learned(), when), /m\.yaml: cannot learn into a file that does not parse/);
  assert.throws(() => addLearnedRoute('- a\n', 'm.yaml', learned(), when), /a YAML map at the top level/);
});

test('MidiLearn: the first control that really moves wins; timeout and cancel reject', async () => {
  const l = new MidiLearn();
  const p = l.arm('truncation', 0);
  assert.equal(l.offer('midi:cc:1:7', 'a', 'value', 0.5), false); // first sight only records
  assert.equal(l.offer('midi:cc:1:7', 'a', 'value', 0.505), false); // jitter
  assert.equal(l.offer('midi:cc:1:8', 'a', 'value', 0.2), false);
  assert.equal(l.offer('midi:cc:1:8', 'a', 'value', 0.3), true);
  const got = await p;
  assert.equal(got.source, 'midi:cc:1:8');
  assert.equal(l.armed, null);
  const n = l.arm('x', 0);
  assert.equal(l.offer('midi:note:1:60', 'a', 'note', 1), true);
  assert.equal((await n).source, 'midi:note:1:60');
  const c = l.arm('y', 0);
  l.cancel();
  await assert.rejects(c, /MIDI learn for 'y' cancelled/);
  // The learn timer does not hold the process open (unref), so keep the loop alive while it runs out.
  await Promise.all([assert.rejects(l.arm('z', 20), /no control moved within 0 s/), new Promise((r) => setTimeout(r, 60))]);
});

test('a MIDI port or target name carrying newlines and YAML cannot add routes: the learned route is all that changes', () => {
  const base = 'routes:\n  - source: rms\n    target: noise.fast\n';
  const evilPorts = [
    "x'\n  - source: rms\n    target: post.blackout\n#",
    "x\r  - source: rms\r    target: post.blackout",
    'x\u2028- source: rms',
  ];
  for (const port of evilPorts) {
    for (const text of [base, 'version: 1\n', 'routes: []\n']) {
      const r = addLearnedRoute(text, 'x.yaml', learned({ port }), when);
      const spec = parseMapping(r.text, 'x.yaml').spec;
      assert.deepEqual(
        spec.routes.map((route) => route.target),
        [...parseMapping(text, 'x.yaml').spec.routes.map((route) => route.target), 'truncation'],
        `${JSON.stringify(port)} into ${JSON.stringify(text)}:\n${r.text}`,
      );
      assert.equal(r.text.includes('post.blackout\n'), false);
    }
    // Re-learning a target keeps the replaced route's comment on one line too.
    const again = addLearnedRoute('routes:\n  - source: midi:cc:1:5\n    target: truncation\n', 'x.yaml', learned({ port }), when);
    assert.deepEqual(parseMapping(again.text, 'x.yaml').spec.routes.map((route) => [route.source, route.target]), [['midi:cc:1:21', 'truncation']]);
  }
});

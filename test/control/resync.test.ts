/**
 * Re-sync: the performer presses on a downbeat and the beat of the leading source's grid nearest to the press
 * becomes beat 1 of the bar; tempo and beat phase stay. Pure over injected times.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TempoSources } from '../../src/control/tempo.js';
import { controlConfigSchema } from '../../src/control/config.js';
import { routeOsc } from '../../src/control/oscRoutes.js';
import { parseApiMessage } from '../../src/control/api.js';
import type { Tempo } from '../../src/contracts/features.js';
import type { ControlCommand } from '../../src/control/commands.js';

const tempoCfg = () => controlConfigSchema.parse({}).tempo;
const near = (a: number, b: number, eps = 1e-9) => Math.abs(a - b) < eps || Math.abs(Math.abs(a - b) - 1) < eps;

test('re-sync on the analysed tempo: the nearest beat becomes the downbeat, beat phase and tempo kept', () => {
  const src = new TempoSources(tempoCfg());
  // 120 BPM, the tracker thinks we are a little after beat 3 of the bar (bar phase 0.5 + 0.02).
  const a: Tempo = { bpm: 120, beatPhase: 0.08, barPhase: 0.52, confidence: 0.9, source: 'analysis' };
  assert.equal(src.merge(a, 1000), a, 'no re-sync: the analysis passes through untouched');
  src.resync(1000);
  assert.equal(src.barOffsetBeats, 2);
  const t = src.merge(a, 1000)!;
  assert.ok(near(t.barPhase, 0.02), `bar phase ${t.barPhase}`);
  assert.equal(t.beatPhase, 0.08);
  assert.equal(t.bpm, 120);
  assert.equal(a.barPhase, 0.52, 'the analysis record itself is not changed');
  src.resync(2000);
  assert.equal(src.barOffsetBeats, 2, 'a second press on the (now) downbeat changes nothing');

  // Pressed a little early, just before beat 2 (bar phase 0.24): beat 2 becomes the downbeat.
  const early = new TempoSources(tempoCfg());
  const b: Tempo = { ...a, barPhase: 0.24 };
  early.merge(b, 0);
  early.resync(0);
  assert.equal(early.barOffsetBeats, 3);
  assert.ok(near(early.merge(b, 0)!.barPhase, 0.99), `bar phase ${early.merge(b, 0)!.barPhase}`);
});

test('re-sync on a tapped tempo, reset by a new tap sequence; nothing happens without a tempo', () => {
  const src = new TempoSources(tempoCfg());
  src.resync(0);
  assert.equal(src.barOffsetBeats, 0, 'no tempo yet');
  for (const at of [1000, 1500, 2000, 2500]) src.tap(at);
  // 120 BPM from the first tap (the downbeat): at 3500 ms, 5 beats in, we are on beat 2 of the bar.
  const before = src.merge(null, 3500)!;
  assert.equal(before.source, 'tap');
  assert.ok(near(before.barPhase, 0.25));
  src.resync(3500);
  const after = src.merge(null, 3500)!;
  assert.ok(near(after.barPhase, 0), `bar phase ${after.barPhase}`);
  assert.ok(near(src.merge(null, 4000)!.barPhase, 0.25), 'the bar runs on from there');
  // A new sequence (a gap over 2 s) counts its first tap as the downbeat again.
  src.tap(10_000);
  src.tap(10_500);
  assert.equal(src.barOffsetBeats, 0);
  assert.equal(src.status(10_500).barOffsetBeats, 0);
});

test('resync is a command of the ws API and of OSC', () => {
  assert.deepEqual(parseApiMessage('{"type":"resync"}'), { v: 1, type: 'resync' });
  const got: ControlCommand[] = [];
  const sink = { command: (c: ControlCommand) => (got.push(c), { ok: true as const }), tempo: () => undefined, beat: () => undefined, source: () => true };
  assert.equal(routeOsc('/latentvj/resync', [], { tempoAddresses: [], beatAddresses: [] }, sink), true);
  assert.deepEqual(got, [{ type: 'resync' }]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MusicalClock } from '../../src/mapping/clock.js';
import { quietFeatures } from '../helpers/features.js';

test('a tempo record with a NaN phase is ignored: the clock free-runs instead of turning NaN for good (a NaN loop position paints black)', () => {
  const clock = new MusicalClock({ fallbackBpm: 120, minConfidence: 0.3 });
  const good = (t: number) => quietFeatures(t, { tempo: { bpm: 120, beatPhase: (t * 2) % 1, barPhase: (t / 2) % 1, confidence: 1, source: 'analysis' } });
  clock.update(0, 1 / 30, good(0));
  const bad = quietFeatures(1 / 30, { tempo: { bpm: 120, beatPhase: Number.NaN, barPhase: Number.NaN, confidence: 1, source: 'osc' } });
  clock.update(1 / 30, 1 / 30, bad);
  assert.ok(Number.isFinite(clock.beats) && Number.isFinite(clock.bars), `beats ${clock.beats}, bars ${clock.bars}`);
  for (let i = 2; i < 60; i++) clock.update(i / 30, 1 / 30, good(i / 30));
  assert.ok(Number.isFinite(clock.beats) && clock.locked);
  assert.ok(Math.abs((clock.beats % 1) - ((59 / 30) * 2) % 1) < 1e-6, `beats ${clock.beats}`);
});

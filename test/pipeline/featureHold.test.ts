import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FeatureHold } from '../../src/pipeline/featureHold.js';
import type { Features } from '../../src/contracts/features.js';
import { quietFeatures } from '../helpers/features.js';

const features = (t: number, kick: number, events: Features['events'] = []): Features =>
  quietFeatures(t, {
    onset: { all: kick, kick, snare: 0, hats: 0 },
    events,
    rms: 0.5,
    rmsSlow: 0.5,
    tempo: { bpm: 120, beatPhase: 0, barPhase: 0, confidence: 1, source: 'analysis' },
  });

test('a kick between two frames is held until the next frame takes it', () => {
  const hold = new FeatureHold();
  assert.equal(hold.take(), null);
  hold.push(features(0.01, 0.1));
  hold.push(features(0.02, 0.9, ['kick']));
  hold.push(features(0.03, 0.2));
  const held = hold.take()!;
  assert.equal(held.latest.t, 0.03);
  assert.equal(held.onsetMax.kick, 0.9);
  assert.deepEqual([...held.events], ['kick']);
  // the next frame starts afresh but still knows the latest record
  const next = hold.take()!;
  assert.equal(next.onsetMax.kick, 0);
  assert.equal(next.events.size, 0);
  assert.equal(next.latest.t, 0.03);
});

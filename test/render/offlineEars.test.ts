import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { defaultConfig } from '../../src/config.js';
import type { Segmentation } from '../../src/analysis/offline/segment.js';
import { analyseTrack } from '../../src/render/frameSource.js';
import { withoutDetectionLatency } from '../../src/render/offlineEars.js';
import { applySections } from '../../src/render/sections.js';
import { quietFeatures } from '../helpers/features.js';

const medianOffset = (times: number[], truth: number[]): number => {
  const d = times
    .map((t) => truth.reduce((best, x) => (Math.abs(t - x) < Math.abs(best) ? t - x : best), Infinity))
    .filter((x) => Math.abs(x) < 0.15)
    .sort((a, b) => a - b);
  return d[d.length >> 1]!;
};

test('offline, kicks are stamped when they sound: the detection latency is taken out (demo track)', async () => {
  const d = renderDemoTrack();
  const live = await analyseTrack({ sampleRate: d.sampleRate, channels: d.channels, durationS: d.truth.durationS, file: '' }, defaultConfig().analysis);
  const offline = withoutDetectionLatency(live);
  const kicks = (fs: typeof live) => fs.filter((f) => f.events.includes('kick')).map((f) => f.t);
  const before = medianOffset(kicks(live), d.truth.onsets.kick);
  const after = medianOffset(kicks(offline), d.truth.onsets.kick);
  assert.ok(before > 0.012, `live kicks ${before * 1000} ms late`);
  assert.ok(Math.abs(after) < Math.abs(before) / 2, `offline kicks ${after * 1000} ms off (live ${before * 1000} ms)`);
  // The phases move back with the record: the phase at the new time is what it was at the old time, 20 ms before.
  const f = live.find((x) => x.t > 30)!;
  const g = offline[live.indexOf(f)]!;
  const beats = (0.02 * f.tempo.bpm) / 60;
  assert.ok(Math.abs(((f.tempo.beatPhase - g.tempo.beatPhase + 1) % 1) - beats) < 1e-9);
});

test('offline sections: index and label per hop, one section event on each boundary, the causal ones dropped', () => {
  const seg: Segmentation = {
    beatsS: [],
    bpm: 120,
    labels: [],
    boundariesS: [2, 4],
    k: 2,
    sections: [
      { startS: 0, endS: 2, label: 0 },
      { startS: 2, endS: 4, label: 1 },
      { startS: 4, endS: 6, label: 0 },
    ],
  };
  const hops = Array.from({ length: 60 }, (_, i) => quietFeatures(i * 0.1, i === 10 ? { events: ['section', 'kick'], section: 1 } : {}));
  const out = applySections(hops, seg);
  assert.deepEqual(
    out.filter((f) => f.events.includes('section')).map((f) => f.t),
    [2, 4].map((t) => hops.find((h) => h.t >= t)!.t),
  );
  assert.deepEqual(out[10]!.events, ['kick']);
  assert.deepEqual([out[5]!.section, out[5]!.sectionLabel, out[25]!.section, out[25]!.sectionLabel, out[45]!.section, out[45]!.sectionLabel], [0, 0, 1, 1, 2, 0]);
});

test('offline, a steady track gets a global beat grid from the first frame: beats and downbeats on the truth', async () => {
  const { withOfflineEars } = await import('../../src/render/offlineEars.js');
  const d = renderDemoTrack();
  const live = await analyseTrack({ sampleRate: d.sampleRate, channels: d.channels, durationS: d.truth.durationS, file: '' }, defaultConfig().analysis);
  const { features, grid } = withOfflineEars(live, { durationS: d.truth.durationS });
  assert.ok(grid && Math.abs(grid.bpm - 128) < 0.5, `grid ${JSON.stringify(grid)}`);
  const score = (found: number[], truth: number[]) => {
    const hits = truth.filter((t) => found.some((f) => Math.abs(f - t) <= 0.07)).length;
    const good = found.filter((f) => truth.some((t) => Math.abs(f - t) <= 0.07)).length;
    const p = good / found.length;
    const r = hits / truth.length;
    return (2 * p * r) / (p + r);
  };
  const beats = features.filter((f) => f.events.includes('beat')).map((f) => f.t);
  const downs = features.filter((f) => f.events.includes('downbeat')).map((f) => f.t);
  assert.ok(beats[0]! < 0.1, `first beat at ${beats[0]} s (live: ${live.find((f) => f.events.includes('beat'))!.t.toFixed(2)} s)`);
  assert.ok(score(beats, d.truth.beats) > 0.98, `beat F ${score(beats, d.truth.beats)}`);
  assert.ok(score(downs, d.truth.downbeats) > 0.98, `downbeat F ${score(downs, d.truth.downbeats)}`);
  assert.ok(features.every((f) => f.tempo.source === 'offline'));
});

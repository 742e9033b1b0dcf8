/**
 * The corpus tables with the analysis started mid-song: `--restart` is parsed strictly, and the score then reads only
 * the records and the truth from 8 s after the restart; a song too short for that is not scored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playbackOfArgs, restartOfArgs, songOfArgs } from '../../tools/corpus/sets.js';
import { scoreOurs } from '../../tools/corpus/score.js';
import type { SongTruth } from '../../tools/corpus/songs.js';
import type { Features, FeatureEvent } from '../../src/analysis/types.js';

test('--restart takes seconds over 0 up to 60; anything else is an error naming the value', () => {
  assert.equal(restartOfArgs(['--holdout']), undefined);
  assert.equal(restartOfArgs(['--restart', '20']), 20);
  assert.equal(restartOfArgs(['--restart', '12.5']), 12.5);
  for (const bad of ['0', '61', '-5', '20s', ''])
    assert.throws(() => restartOfArgs(['--restart', bad]), (e: Error) => e.message.includes(`"${bad}"`), bad);
  assert.deepEqual(playbackOfArgs(['--restart', '20']), { rateHz: undefined, limitDb: 0, gainDb: 0, restartS: 20 });
  assert.equal(songOfArgs(['--restart', '20', 'pop']), 'pop');
});

/** A 4/4 song at 120 BPM of `durationS`: a kick on every beat, C major throughout, bass C. */
function song(durationS: number): SongTruth {
  const beats = Array.from({ length: Math.floor(durationS * 2) }, (_, i) => i * 0.5);
  return {
    durationS,
    beatsPerBar: 4,
    kick: beats,
    snare: [],
    hats: [],
    beats,
    downbeats: beats.filter((_, i) => i % 4 === 0),
    harmony: [{ start: 0, end: durationS, root: 0, quality: 'maj', chordPcs: [0, 4, 7], bassPc: 0 }],
    drumless: [],
    drops: [],
    ambient: false,
  };
}

/** A record at `t`: C major, bass C and 120 BPM where `right`, else D major, bass D and 90 BPM; events as given. */
function record(t: number, events: FeatureEvent[], right: boolean): Features {
  const chroma = new Float32Array(12);
  for (const pc of right ? [0, 4, 7] : [2, 6, 9]) chroma[pc] = 1;
  const bassChroma = new Float32Array(12);
  bassChroma[right ? 0 : 2] = 1;
  return {
    t,
    chroma,
    bassChroma,
    onset: { all: 0, kick: 0, snare: 0, hats: 0 },
    events,
    rms: 0,
    rmsSlow: 0,
    bandRms: { low: 0, mid: 0, high: 0 },
    novelty: 0,
    section: 0,
    tempo: {
      bpm: right ? 120 : 90,
      beatPhase: 0,
      barPhase: 0,
      confidence: 1,
      source: 'analysis',
      known: true,
      beatsPerBar: 4,
    },
  } as Features;
}

test('from a restart the score reads only what came 8 s after it: the errors before do not count', () => {
  const truth = song(50);
  // A drumless span straddling the scored start, a drop before it and one after, downbeats every bar.
  truth.kick = truth.kick.filter((t) => t < 20 || t >= 32);
  truth.drumless = [[20, 32]];
  truth.drops = [truth.downbeats.find((t) => t >= 10)!, truth.downbeats.find((t) => t >= 36)!];
  // Wrong until 27 s (no beats, wrong chord, bass and tempo; kicks 40 ms late, a kick in the drumless span, a
  // downbeat on every beat, a drop event at the first drop); right from then on, kicks 10 ms late.
  const feats: Features[] = [];
  for (let k = 0; k < 5000; k++) {
    const t = k / 100;
    const right = t >= 27;
    const events: FeatureEvent[] = [];
    const lateBy = right ? 0.01 : 0.04;
    if (truth.kick.some((u) => Math.abs(u + lateBy - t) < 1e-6)) events.push('kick');
    if (right && truth.beats.some((u) => Math.abs(u - t) < 1e-6)) events.push('beat');
    if (right ? truth.downbeats.some((u) => Math.abs(u - t) < 1e-6) : truth.beats.some((u) => Math.abs(u - t) < 1e-6)) {
      events.push('downbeat');
    }
    if (Math.abs(t - 24) < 1e-6) events.push('kick');
    if (Math.abs(t - truth.drops[0]!) < 1e-6 || Math.abs(t - truth.drops[1]!) < 1e-6) events.push('drop');
    feats.push(record(t, events, right));
  }
  const whole = scoreOurs(feats, truth);
  assert.ok(whole.chordTopK < 0.7 && whole.tempoShare < 0.8 && whole.downbeatF < 0.8, JSON.stringify(whole));
  // More kicks before the drumless span (40 ms late) than after it (10 ms late): the whole song's median is 40 ms.
  assert.ok(whole.falsePerMin > 0 && Math.abs(whole.latencyMs - 40) < 1e-6, JSON.stringify(whole));
  const restarted = scoreOurs(feats, truth, 28);
  for (const k of ['kickF', 'chordTopK', 'bassTop1', 'beatF', 'downbeatF', 'tempoShare', 'dropFound'] as const) {
    assert.equal(restarted[k], 1, k);
  }
  assert.equal(restarted.falsePerMin, 0, 'the false kick at 24 s lies before the scored start');
  assert.ok(Math.abs(restarted.latencyMs - 10) < 1e-6, `latency ${restarted.latencyMs} ms`);
  assert.equal(restarted.dropEvents, 1);
  assert.ok(Number.isNaN(restarted.introBeatsPerMin));
  // Less than 8 s left after the scored start: not scored.
  assert.ok(Number.isNaN(scoreOurs(feats, truth, 43).kickF));
  assert.ok(Number.isFinite(scoreOurs(feats, truth, 42).kickF));
});

test('from a restart: a drumless span counts from the scored start, a drop or a kick before it counts not', () => {
  const truth = song(50);
  truth.kick = truth.kick.filter((t) => t < 20 || t >= 40);
  truth.drumless = [[20, 40]];
  truth.drops = [10, 36];
  const missed = 27.5;
  truth.kick.push(missed);
  truth.kick.sort((a, b) => a - b);
  const feats = Array.from({ length: 5000 }, (_, k) => {
    const t = k / 100;
    const events: FeatureEvent[] = [];
    if (truth.kick.some((u) => u !== missed && Math.abs(u - t) < 1e-6)) events.push('kick');
    if (Math.abs(t - 35) < 1e-6) events.push('snare');
    if (Math.abs(t - 36) < 1e-6) events.push('drop');
    return record(t, events, true);
  });
  const restarted = scoreOurs(feats, truth, 28);
  // One false snare (at 35 s) in the 12 s of the span from the scored start: 5 a minute.
  assert.ok(Math.abs(restarted.falsePerMin - 5) < 1e-9, `${restarted.falsePerMin} a minute`);
  assert.equal(restarted.dropFound, 1, 'the drop at 10 s (no event) lies before the scored start');
  assert.equal(restarted.kickF, 1, 'the missed kick at 27.5 s lies before the scored start');
  const whole = scoreOurs(feats, truth);
  assert.ok(whole.dropFound === 0.5 && whole.kickF < 1 && whole.falsePerMin < 4, JSON.stringify(whole));
});

test('an ambient song from a restart: only the beat events after the scored start count', () => {
  const drumless: Array<[number, number]> = [[0, 60]];
  const truth = { ...song(60), kick: [], beats: [], downbeats: [], drumless, ambient: true };
  const feats = Array.from({ length: 6000 }, (_, k) => record(k / 100, k === 1000 || k === 4000 ? ['beat'] : [], true));
  assert.equal(scoreOurs(feats, truth).ambientBeats, 2);
  assert.equal(scoreOurs(feats, truth, 28).ambientBeats, 1);
});

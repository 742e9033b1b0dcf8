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
    tempo: { bpm: right ? 120 : 90, beatPhase: 0, barPhase: 0, confidence: 1, source: 'analysis', known: true, beatsPerBar: 4 },
  } as Features;
}

test('from a restart the score reads only what came 8 s after it: the errors before do not count', () => {
  const truth = song(60);
  // Wrong (no events, wrong chord, bass and tempo) until 27 s, right from then on.
  const feats: Features[] = [];
  for (let k = 0; k < 6000; k++) {
    const t = k / 100;
    const onBeat = Math.abs(t * 2 - Math.round(t * 2)) < 1e-9;
    feats.push(record(t, t >= 27 && onBeat ? ['kick', 'beat'] : [], t >= 27));
  }
  const whole = scoreOurs(feats, truth);
  assert.ok(whole.kickF < 0.8 && whole.chordTopK < 0.7 && whole.tempoShare < 0.8, JSON.stringify(whole));
  const restarted = scoreOurs(feats, truth, 28);
  for (const k of ['kickF', 'chordTopK', 'bassTop1', 'beatF', 'tempoShare'] as const) assert.equal(restarted[k], 1, k);
  assert.ok(Number.isNaN(restarted.introBeatsPerMin));
  // Less than 8 s left after the scored start: not scored.
  assert.ok(Number.isNaN(scoreOurs(feats, truth, 53).kickF));
  assert.ok(Number.isFinite(scoreOurs(feats, truth, 52).kickF));
});

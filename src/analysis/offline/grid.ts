/**
 * A global tempo and beat grid for a whole track (offline): the median tempo of the confident hops, the beat
 * phase as the circular mean of the tracker's beat events, and the bar phase likewise from its downbeats. Live,
 * the tracker needs a couple of seconds to lock and wobbles around the tempo; offline the grid holds from the
 * first frame. Only for steady tracks: when fewer than `steadyShare` of the confident hops lie within
 * `steadyTolerance` of the median tempo (a DJ mix, a live band), the grid is not used and the tracker's own
 * tempo stays.
 */
import type { FeatureEvent, Features } from '../types.js';

export interface GlobalGrid {
  bpm: number;
  /** First beat at or after 0 (s). */
  beatS: number;
  /** First downbeat at or after 0 (s). */
  downbeatS: number;
  beatsPerBar: number;
  steady: boolean;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[s.length >> 1]!;
};

/** Circular mean of event times modulo `periodS`, as a time in [0, periodS); null without events. */
function phaseOf(times: number[], periodS: number): number | null {
  if (times.length === 0) return null;
  let x = 0;
  let y = 0;
  for (const t of times) {
    x += Math.cos((2 * Math.PI * t) / periodS);
    y += Math.sin((2 * Math.PI * t) / periodS);
  }
  const a = Math.atan2(y, x) / (2 * Math.PI);
  return (((a % 1) + 1) % 1) * periodS;
}

export function globalGrid(features: readonly Features[], steadyShare = 0.9, steadyTolerance = 0.02): GlobalGrid | null {
  const confident = features.filter((f) => f.tempo.confidence >= 0.3 && f.tempo.bpm > 0).map((f) => f.tempo.bpm);
  if (confident.length === 0) return null;
  const bpm = median(confident);
  const within = confident.filter((b) => Math.abs(b - bpm) <= steadyTolerance * bpm).length;
  const beatS = 60 / bpm;
  const beats = features.filter((f) => f.events.includes('beat')).map((f) => f.t);
  const downs = features.filter((f) => f.events.includes('downbeat')).map((f) => f.t);
  const beat0 = phaseOf(beats, beatS);
  if (beat0 === null) return null;
  // The downbeat is one of the four beats of the grid: the one nearest the downbeat events' mean bar phase.
  const bar0 = phaseOf(downs, 4 * beatS);
  const downbeatS = bar0 === null ? beat0 : beat0 + Math.round((bar0 - beat0) / beatS) * beatS;
  return { bpm, beatS: beat0, downbeatS: (((downbeatS % (4 * beatS)) + 4 * beatS) % (4 * beatS)), beatsPerBar: 4, steady: within >= steadyShare * confident.length };
}

const wrap = (x: number): number => x - Math.floor(x);

/**
 * Every hop's tempo from the grid (confidence 1, source 'offline'), and beat / downbeat events on the first hop at
 * or after each grid beat (the tracker's own are dropped). Hops keep everything else.
 */
export function applyGrid(features: readonly Features[], g: GlobalGrid): Features[] {
  const beatS = 60 / g.bpm;
  const barS = beatS * g.beatsPerBar;
  let nextBeat = 0;
  return features.map((f) => {
    const events: FeatureEvent[] = f.events.filter((e) => e !== 'beat' && e !== 'downbeat');
    // Grid beat index at or before f.t.
    const k = Math.floor((f.t - g.beatS) / beatS + 1e-9);
    if (k >= nextBeat && f.t >= g.beatS - 1e-9) {
      events.push('beat');
      const beatT = g.beatS + k * beatS;
      if (Math.abs(wrap((beatT - g.downbeatS) / barS + 0.5) - 0.5) * g.beatsPerBar < 0.5) events.push('downbeat');
      nextBeat = k + 1;
    }
    return {
      ...f,
      events,
      tempo: { bpm: g.bpm, beatPhase: wrap((f.t - g.beatS) / beatS), barPhase: wrap((f.t - g.downbeatS) / barS), confidence: 1, source: 'offline' },
    };
  });
}

/**
 * The cymbals' pulse, for the tempo tracker's choice of metrical level (tempo.ts): hats, ride and shakers keep the
 * fastest even pulse of a groove (the tatum), and grooves play them in eighths of the beat far more often than in
 * sixteenths. A half-time groove (drum & bass at 174: kick on 1, snare on 3, hats in eighths) repeats every two beats
 * in the kicks, the snares and the bass, so the onset envelope is most periodic at half the tempo, and the drum
 * envelope, hitting on every eighth alike, cannot tell 87 from 174 either (a 90 BPM backbeat with eighth hats looks
 * the same to it an octave lower). Only the hats tell them apart: at 87 they would run in sixteenths, four even hits
 * a beat. So a period whose quarter the hats repeat at (about as strongly as at its half) is read an octave up.
 * A groove really played in sixteenths at 75–92 BPM (some hip-hop) is then read at double speed: the octave
 * ambiguity a single cue cannot settle, settled towards the far commoner case; slower, towards the slow backbeat.
 */
import { LeakyAcf } from './leakyAcf.js';
import { acfAt, bestPeriod, periodConfidence, type PeriodSearch } from './periodicity.js';
import { PulseTrain } from './pulseTrain.js';

/**
 * The hats' autocorrelation at a quarter of the period against its value at half the period: at least this share is
 * sixteenths (evenly played sixteenths read 0.6–0.9 with the on-beat ones accented, eighth hats read below zero at
 * the sixteenth's lag, since it falls between their hits). Tuned on the envelope itself; on its square root
 * (`push`) the corpus's half-time DnB reads higher (medians 0.48 → 0.74, 0.83 → 1.00), lo-fi pop's eighths still
 * −0.30, and its mic-EQ cut sits on both thresholds (0.38–0.65 here, 0.29–0.38 at HATS_PERIODIC), its level held by
 * the lock.
 */
const SIXTEENTHS_RATIO = 0.5;
/** …and the hats repeat at half the period at all: their autocorrelation there this share of its value at lag 0. */
const HATS_PERIODIC = 0.3;
/**
 * The hats envelope (less the snare's share) under this is no hit (see `push`): played 35 dB under the renders' level
 * (eval-analysis --gain -35, a 16-bit file) without it, the corpus's swing on TimGM's room kit read its ride at half
 * the tempo (tempo share 1.00 → 0.00).
 */
const HATS_FLOOR = 0.01;
/**
 * The faster octave only up to this tempo (BPM): drum & bass and jungle, the fastest grooves played with eighth hats,
 * sit at 160–180, while sixteenth hats at 93–100 BPM are common (and shakers in sixteenths at house tempi, whose
 * double lies past the search range anyway).
 */
const LEVEL_UP_MAX_BPM = 185;
/**
 * …and from this tempo (BPM) only. A backbeat at 60–75 BPM under sixteenth hats (R&B, soul, a ballad) is the figure
 * of a half-time groove at 120–150 with eighth hats, and the slower reading is the commoner one: corpus slow-rnb-fluid
 * (68 BPM) read 136 with no lower bound (tempo share 0.00, 0.98 with it; no other song of the five tuning sets moved).
 * Dubstep and trap at 140, which count that figure at the faster tempo, read 70, their half-time.
 */
const LEVEL_UP_MIN_BPM = 150;

/**
 * The hats envelope's own confidence above which its period is the tempo where the onset envelope's is not (the
 * tracker asks only then, with a cymbal heard): a DnB intro's off-beat hats under pink noise 30 dB down read over
 * 0.9 (the onset envelope 0.04–0.1), drumless and ambient music about 0 (no hats). Tuned on the envelope itself; on
 * its square root some grooves whose onset envelope is confident read over it at times (corpus pop on MuseScore's
 * power kit, lo-fi pop, TimGM's 6/8: 2–3 of 6 reads, mean 0.21–0.42 where the envelope read 0), where the tracker
 * does not ask; no table moved.
 */
const HATS_ALONE_CONFIDENT = 0.6;

export class HatsPulse {
  /** The hats envelope's leaky autocorrelation from a quarter of the shortest period. */
  private readonly pulse: LeakyAcf;
  /** The hats' own beat phase (`measurePhase`): its running salience, and its best phase (hops back) last measured. */
  salience = 0;
  private readonly train = new PulseTrain();

  /** `keep`: the autocorrelation's per-hop leak; `search`: the periods the tracker chooses from. */
  constructor(
    keep: number,
    private readonly search: PeriodSearch,
  ) {
    // Lags up to two of the longest period (and the interpolation's next one): the hats' own tempo (`tempo`) reads
    // two multiples of each period, its confidence all candidate periods.
    this.pulse = new LeakyAcf(keep, Math.ceil(search.pMax * 2) + 3, Math.max(1, Math.floor(search.pMin / 4)));
  }

  /**
   * The hats' own best beat period (periodicity.ts) and its confidence, where that confidence is over
   * HATS_ALONE_CONFIDENT; null otherwise. Noise under the music (pink noise, a crowd) fills the onset envelope, which
   * mixes every band, until no period stands out in it, while the hats envelope, a band of its own, still repeats.
   */
  tempo(fallback: number): { periodHops: number; confidence: number } | null {
    const acf = this.pulse.acf;
    if (!(acf[0]! > 1e-9)) return null;
    const periodHops = bestPeriod(acf, this.search, fallback);
    const confidence = periodConfidence(acf, periodHops, this.search);
    return confidence > HATS_ALONE_CONFIDENT ? { periodHops, confidence } : null;
  }

  /** Measures the hats' own beat phase at `periodHops` (a pulse train), updating the running salience by `rate`. */
  measurePhase(periodHops: number, rate: number): number {
    this.train.measure(this.pulse.env, this.pulse.n, periodHops);
    this.salience += rate * (this.train.salience - this.salience);
    return this.train.bestPhi;
  }

  /**
   * One hop of the hats envelope and the snare's (0..1; not finite counts as 0). The hats count in as far as the
   * snare did not rise with them: a noisy snare fills the hats band too, as much as 15 times the hats there ('boom'
   * machine: hats 0.05–0.1 of the envelope's scale, the snare 1), and its bar-long period hid the hats' eighths (corpus
   * tb-dnb-organ-boom read 84 for 168); a bit-crushed kit's hats rise in the snare band as much as in their own (0.2
   * and 0.23), so the snare scales them rather than being subtracted. The square root lets the quiet eighths count
   * against what is left of the snare's tail (0.1–0.14 a hop after it): on the 'boom' machine's half-time DnB the
   * autocorrelation at the eighth read 0.19 of its zero lag, 0.45 so, and the groove heard without the intro's
   * off-beat hats (a start mid-song, eval-analysis --restart 20) read 86 for 172 on the twelve half-time DnB songs of
   * the tuning sets (tempo share 0.00 on eleven, 0.74 on one), 172 so on ten (1.00; the crushed kit's 0.67 and its
   * noise cut's 0.00: their hats lie near the floor). What lies under HATS_FLOOR counts for nothing, so the root does
   * not raise a quiet line-in's grain to a pulse.
   */
  push(hats: number, snare = 0): void {
    const s = Number.isFinite(snare) ? Math.min(1, Math.max(0, snare)) : 0;
    const x = Number.isFinite(hats) ? hats * (1 - s) : 0;
    this.pulse.push(x > HATS_FLOOR ? Math.sqrt(x - HATS_FLOOR) : 0);
  }

  /** Keeps `share` of the autocorrelation (its past forgotten but for that). */
  forget(share: number): void {
    this.pulse.forget(share);
  }

  /**
   * The period, or its half when the hats play sixteenths of it (see SIXTEENTHS_RATIO) and the half is a tempo in
   * the search range, from LEVEL_UP_MIN_BPM up to LEVEL_UP_MAX_BPM.
   */
  levelUp(periodHops: number): number {
    const half = periodHops / 2;
    const acf = this.pulse.acf;
    const a0 = acf[0]!;
    const bpm = (60 * this.search.hopRateHz) / half;
    if (half < this.search.pMin || bpm > LEVEL_UP_MAX_BPM || bpm < LEVEL_UP_MIN_BPM || !(a0 > 1e-9)) return periodHops;
    const atHalf = acfAt(acf, half);
    if (atHalf < HATS_PERIODIC * a0) return periodHops;
    return acfAt(acf, periodHops / 4) >= SIXTEENTHS_RATIO * atHalf ? half : periodHops;
  }
}

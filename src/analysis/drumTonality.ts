/**
 * How tonal a drum candidate's rise is. A drum's attack is noise: its spectrum rises over the whole 1–8 kHz band
 * at once. A chord or a bass note struck with a hammer or a pick rises at its partials, a few narrow peaks with
 * little between them. The peakedness of the positive spectral difference (this hop against LAG_HOPS before) over
 * the band tells them apart: Σd²·n / (Σd)², 1 for a perfectly even rise, about n / (bins risen) for a sparse one.
 * Corpus, kicks and snares fired in drumless passages: 1.7–13; true ones where no cymbal is heard: 1.4–1.6.
 * Hand-written: a copy of the spectrum up to the band's top per hop into a ring and three sums on the hops that need
 * them.
 */
import { CYMBAL_HIT } from './drumHits.js';

const LAG_HOPS = 2;
const RING = 4;
/**
 * The test applies only where no cymbal has been heard for KIT_MEMORY_S (a hit: the hats envelope rising over
 * CYMBAL_HIT, as in drumHits.ts): hats, rides and crashes are noise that pitched instruments seldom make, and every
 * drum part of ours keeps time on one, while drumless passages have none. Under a cymbal a kick or snare may come
 * with a chord and rise as tonally (true kicks with cymbals read up to 5 on some kits). Without one, a rise more
 * peaked than TONAL_PEAKEDNESS is no drum.
 * Corpus: every true kick or snare that rose more peaked than that had a cymbal within 1 s; a bar of 4/4 at 80 BPM
 * is 3 s. A longer memory lets the chords of a break's first seconds through (one kick at 3.98 s in the EDM break).
 */
const KIT_MEMORY_S = 3;
/**
 * A kit whose cymbals came at a steady pace has stopped once CYMBAL_GAPS_GONE of its typical gaps pass without one:
 * the memory shrinks to that (never under CYMBAL_MEMORY_MIN_S), so a break after eighth-note hats is drumless a
 * second or so in, not 3 s (drum-machine breaks: a bass note on the bar 2.2–3 s after the last hat fired a kick;
 * false hits a minute in drumless spans, corpus 7.1 and 4.1, earlier sets' EDM drops 8.1 and 16.9, all → 0). The
 * typical gap is a running log mean of the gaps between cymbal hits under KIT_MEMORY_S. Corpus: every true kick or
 * snare that rose more peaked than TONAL_PEAKEDNESS had a cymbal within 1 s. A kick or snare event within that memory
 * keeps the kit playing as a cymbal does (once the kit has shown cymbals): in a DJ crossfade the hats stop reading as
 * hits for 2–3 s while the kicks go on (second set's club mix: kick F 0.89 without, 0.94 with).
 */
const CYMBAL_GAPS_GONE = 4;
const CYMBAL_MEMORY_MIN_S = 1;
const CYMBAL_GAP_RATE = 0.2;
const TONAL_PEAKEDNESS = 1.7;
/**
 * A quiet cymbal is a hit too: hats-band (6–16 kHz) flux of at least QUIET_CYMBAL_FLUX (level-relative, as the drum
 * fluxes), QUIET_CYMBAL_OVER_CLICK times the 1–6 kHz flux of the same hop and QUIET_CYMBAL_OVER_MEAN times the hats
 * band's running mean flux (a hit, not steady noise). The hats envelope is normalised with a floor, so hats under a
 * loud low end (an analog machine's metal hats or open hats under a sub kick, an FM kit's) read under CYMBAL_HIT, and
 * nothing else tells the tonal test that a kit plays. Pitched attacks rise mostly under 6 kHz: in the corpus and both
 * earlier sets, flux peaks in drumless spans with more flux above 6 kHz than under it stay under 0.17e-3 (a song
 * with pink noise 30 dB under it; noiseless songs under 0.02e-3), while a sub-kick drop's open hats peak at
 * 0.2–0.33e-3 and most kits' hats far above.
 */
const QUIET_CYMBAL_FLUX = 2e-4;
const QUIET_CYMBAL_OVER_CLICK = 1.5;
const QUIET_CYMBAL_OVER_MEAN = 4;
/** Per-hop rate of the hats band's running mean flux (about 0.2 s at 100 hops a second). */
const HATS_MEAN_RATE = 0.05;
/**
 * A drum part keeping time is a kit even where no cymbal is heard (FM kits' metallic hats seldom read as cymbal hits,
 * and their kicks are pure sine sweeps whose onset leaks a peaked but tiny rise into 1–8 kHz: peakedness is
 * scale-free). Kick candidates whose band rise is under SERIES_SHARE of their rise energy (from the lowest bins up)
 * are sine-like thumps; SERIES_COUNT of them in a row spaced alike within SERIES_TOL_HOPS, at most SERIES_MAX_PERIOD_S apart
 * (kicks on 1 and 3 from 115 BPM, four on the floor from 58), count as a kit for KIT_MEMORY_S.
 * Synthetic FM kicks bring 0.4–0.9 % there; chords struck over bass notes 6–27 %. Corpus candidates vetoed in
 * drumless spans: sine-like bass notes come a bar apart (1.3 s and more); the one series a beat apart (0.97 s, a
 * drumless intro) brings 1.4–2.8 %. Vetoed candidates count as much as fired ones: a veto must not keep out the very
 * evidence that would lift it.
 */
const SERIES_SHARE = 0.012;
const SERIES_COUNT = 3;
const SERIES_TOL_HOPS = 2;
const SERIES_MAX_PERIOD_S = 1.05;
/**
 * A series is one drum struck again: its members' low rises sound alike, both the frequency of their largest rise
 * under THUMP_TOP_HZ (lowPeakHz) and their centroid there (lowCentroidHz) within SERIES_PITCH_OCTAVES of each other.
 * A bass line re-struck every half bar keeps time as evenly but changes its note with the chord: its sine-like notes
 * made series that lifted the tonal test in swing intros (54–85 false kicks a minute). The peak follows the
 * fundamental but sits on a noise bin in a noisy mix; the centroid holds there but is pulled by a chord's low tones:
 * each alone let some bass series through (spreads from 0.16 octave), together none in the corpus and both earlier
 * sets, while a machine kick's or an FM kick's series keeps most members within 0.1 octave.
 */
const SERIES_PITCH_OCTAVES = 0.15;
/** Pitches are read under this frequency, where kicks' thumps and bass notes' fundamentals lie. */
const THUMP_TOP_HZ = 250;
/** Candidate hops within this many hops of a series member are the same onset (the kick's arm window). */
const SERIES_SAME_ONSET_HOPS = 4;

/** Largest minus smallest value. */
function spread(x: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi - lo;
}

export class DrumTonality {
  private readonly lo: number;
  /** First bin of the candidate's whole rise (the ring's first bin); the band starts `lo - base` into a ring row. */
  private readonly base = 1;
  private readonly kitMemoryHops: number;
  private lastCymbalHop = -1e9;
  /** Hop of the newest kick or snare event (see drum). */
  private lastDrumHop = -1e9;
  /** Log of the typical gap between cymbal hits, hops (NaN: none measured yet). */
  private cymbalGapLog = NaN;
  private readonly cymbalMemoryMinHops: number;
  private cymbalAbove = false;
  private quietAbove = false;
  private hatsMean = 0;
  private readonly width: number;
  private readonly ring: Float32Array;
  private hop = 0;
  /** Hops of the last SERIES_COUNT sine-like kick candidates, newest last (−1e9: none yet). */
  private readonly series = new Float64Array(SERIES_COUNT).fill(-1e9);
  /** Log2 of the low rise's peak (lowPeakHz) and centroid (lowCentroidHz) of each series member. */
  private readonly seriesPeak = new Float64Array(SERIES_COUNT);
  private readonly seriesCentroid = new Float64Array(SERIES_COUNT);
  private readonly binHz: number;
  /** Ring bins under THUMP_TOP_HZ. */
  private readonly thumpBins: number;
  /** Hop of the newest candidate that completed a series spaced alike. */
  private lastSeriesHop = -1e9;
  private readonly seriesMaxPeriodHops: number;
  /** peakedness() and bandShare() of the last pushed hop, measured once (at hop measuredHop). */
  private lastPeakedness = 0;
  private lastShare = 0;
  private lastLowPeakHz = 0;
  private lastLowCentroidHz = 0;
  private measuredHop = -1;

  /** `binHz`, `bins`: the onset spectrum's bin width and count; the band measured, Hz. */
  constructor(binHz: number, bins: number, loHz: number, hiHz: number, hopRateHz: number) {
    this.binHz = binHz;
    this.thumpBins = Math.max(1, Math.round(THUMP_TOP_HZ / binHz) - this.base);
    this.kitMemoryHops = Math.round(KIT_MEMORY_S * hopRateHz);
    this.cymbalMemoryMinHops = Math.round(CYMBAL_MEMORY_MIN_S * hopRateHz);
    this.seriesMaxPeriodHops = Math.round(SERIES_MAX_PERIOD_S * hopRateHz);
    this.lo = Math.min(bins - 2, Math.max(1, Math.round(loHz / binHz)));
    const hi = Math.min(bins, Math.max(this.lo + 2, Math.round(hiHz / binHz)));
    this.width = hi - this.base;
    this.ring = new Float32Array(RING * this.width);
  }

  /**
   * A cymbal hit is a rising edge of the hats envelope (normalised, 0..1) over CYMBAL_HIT, or of a quiet cymbal's
   * test on the hats and click bands' level-relative fluxes (see QUIET_CYMBAL_FLUX).
   */
  hats(envelope: number, hop: number, hatsFlux = 0, clickFlux = 0): void {
    const above = envelope >= CYMBAL_HIT;
    const quiet = hatsFlux >= QUIET_CYMBAL_FLUX && hatsFlux >= QUIET_CYMBAL_OVER_CLICK * clickFlux && hatsFlux >= QUIET_CYMBAL_OVER_MEAN * this.hatsMean;
    this.hatsMean += HATS_MEAN_RATE * (hatsFlux - this.hatsMean);
    if ((above && !this.cymbalAbove) || (quiet && !this.quietAbove)) {
      const gap = hop - this.lastCymbalHop;
      if (gap <= this.kitMemoryHops) {
        const g = Math.log(gap);
        this.cymbalGapLog = Number.isNaN(this.cymbalGapLog) ? g : this.cymbalGapLog + CYMBAL_GAP_RATE * (g - this.cymbalGapLog);
      }
      this.lastCymbalHop = hop;
    }
    this.cymbalAbove = above;
    this.quietAbove = quiet;
  }

  /**
   * A kick or snare candidate at `hop` (after push and hats of that hop) rose like a pitched note, no kit heard. A
   * kick candidate (`kick`) also extends the series of sine-like thumps.
   */
  tonal(hop: number, kick = false): boolean {
    if (kick) this.extendSeries(hop);
    if (this.kitHeard(hop) || hop - this.lastSeriesHop <= this.kitMemoryHops) return false;
    return this.peakedness() > TONAL_PEAKEDNESS;
  }

  /** A kick or snare event fired at `hop`. */
  drum(hop: number): void {
    this.lastDrumHop = hop;
  }

  /** A cymbal hit, or a drum event once the kit has shown cymbals, within the kit's memory (see CYMBAL_GAPS_GONE). */
  private kitHeard(hop: number): boolean {
    const memory = this.cymbalMemoryHops();
    if (hop - this.lastCymbalHop <= memory) return true;
    return !Number.isNaN(this.cymbalGapLog) && hop - this.lastDrumHop <= memory;
  }

  /** How long after its last cymbal hit the kit still counts as playing (see CYMBAL_GAPS_GONE). */
  private cymbalMemoryHops(): number {
    if (Number.isNaN(this.cymbalGapLog)) return this.kitMemoryHops;
    const gone = CYMBAL_GAPS_GONE * Math.exp(this.cymbalGapLog);
    return Math.min(this.kitMemoryHops, Math.max(this.cymbalMemoryMinHops, gone));
  }

  private extendSeries(hop: number): void {
    const k = this.series;
    const n = k.length;
    if (hop - k[n - 1]! <= SERIES_SAME_ONSET_HOPS || this.bandShare() >= SERIES_SHARE) return;
    k.copyWithin(0, 1);
    k[n - 1] = hop;
    const peak = this.seriesPeak;
    const centroid = this.seriesCentroid;
    peak.copyWithin(0, 1);
    centroid.copyWithin(0, 1);
    peak[n - 1] = Math.log2(Math.max(1, this.lowPeakHz()));
    centroid[n - 1] = Math.log2(Math.max(1, this.lowCentroidHz()));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 1; i < n; i++) {
      const d = k[i]! - k[i - 1]!;
      lo = Math.min(lo, d);
      hi = Math.max(hi, d);
    }
    const alike = spread(peak) <= SERIES_PITCH_OCTAVES && spread(centroid) <= SERIES_PITCH_OCTAVES;
    if (hi - lo <= SERIES_TOL_HOPS && hi <= this.seriesMaxPeriodHops && alike) this.lastSeriesHop = hop;
  }

  /** Stores this hop's band of the onset magnitude spectrum. */
  push(mag: Float32Array): void {
    this.ring.set(mag.subarray(this.base, this.base + this.width), (this.hop % RING) * this.width);
    this.hop++;
  }

  /** Peakedness of the last pushed hop's rise over the band (0 where nothing rose or before LAG_HOPS hops). */
  peakedness(): number {
    this.measure();
    return this.lastPeakedness;
  }

  /** Centroid (log-frequency, weighted by d²) of the last pushed hop's rise under THUMP_TOP_HZ, Hz (0: none). */
  lowCentroidHz(): number {
    this.measure();
    return this.lastLowCentroidHz;
  }

  /** Frequency of the largest rise of the last pushed hop under THUMP_TOP_HZ, Hz (0: none). */
  lowPeakHz(): number {
    this.measure();
    return this.lastLowPeakHz;
  }

  /** Share of the last pushed hop's rise energy (Σd² from the lowest bins up) that falls in the band. */
  bandShare(): number {
    this.measure();
    return this.lastShare;
  }

  private measure(): void {
    if (this.measuredHop === this.hop) return;
    this.measuredHop = this.hop;
    this.lastPeakedness = 0;
    this.lastShare = 0;
    this.lastLowPeakHz = 0;
    this.lastLowCentroidHz = 0;
    if (this.hop <= LAG_HOPS) return;
    const w = this.width;
    const now = ((this.hop - 1) % RING) * w;
    const before = ((this.hop - 1 - LAG_HOPS) % RING) * w;
    const r = this.ring;
    const band0 = this.lo - this.base;
    let below2 = 0;
    let peakK = -1;
    let peakD = 0;
    let thump2 = 0;
    let logSum = 0;
    for (let k = 0; k < band0; k++) {
      const d = r[now + k]! - r[before + k]!;
      if (d > 0) {
        below2 += d * d;
        if (k < this.thumpBins) {
          thump2 += d * d;
          logSum += d * d * Math.log2((k + this.base) * this.binHz);
          if (d > peakD) {
            peakD = d;
            peakK = k;
          }
        }
      }
    }
    if (thump2 > 0) this.lastLowCentroidHz = 2 ** (logSum / thump2);
    if (peakK >= 0) {
      // Parabolic interpolation over the peak's neighbours' rises (a bin is 21.5 Hz: a third of an octave at 60 Hz).
      const rise = (k: number): number => (k < 0 || k >= band0 ? 0 : Math.max(0, r[now + k]! - r[before + k]!));
      const a = rise(peakK - 1);
      const c = rise(peakK + 1);
      const den = a - 2 * peakD + c;
      const off = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
      this.lastLowPeakHz = (peakK + this.base + off) * this.binHz;
    }
    let s = 0;
    let s2 = 0;
    for (let k = band0; k < w; k++) {
      const d = r[now + k]! - r[before + k]!;
      if (d > 0) {
        s += d;
        s2 += d * d;
      }
    }
    if (s <= 0) return;
    this.lastPeakedness = (s2 * (w - band0)) / (s * s);
    this.lastShare = s2 / (s2 + below2);
  }
}

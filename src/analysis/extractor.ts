import { ClickTail } from './clickTail.js';
import type { DrumNetWeights } from './drumNet.js';
import type { AnalysisConfig } from './config.js';
import type { FeatureEvent, Features } from './types.js';
import { Decimator, DcBlocker } from './filters.js';
import type { SectionLevel } from './onsets.js';
import { TempoTracker, type TempoCue } from './tempo.js';
import { SectionTracker } from './sections.js';
import { HumCanceller } from './humCanceller.js';
import { HopFrontEnd, SampleRing, analysisRateOf, resolveParams, type ResolvedParams } from './hopInput.js';
import { Resampler } from './resampler.js';
import { DrumDetector, type DrumDiagnostics } from './drums.js';
import { ChordChroma } from './chordChroma.js';
import { BassChroma } from './bassChroma.js';
import { LevelMeter } from './levels.js';
import { ChordEstimator } from './chordEstimate.js';
import { SectionEnergyDetector } from './sectionEnergy.js';
import { NetChordChroma } from './chordNet.js';
import { NetBassChroma, type BassNetWeights } from './bassNet.js';

export { resolveParams, type ResolvedParams } from './hopInput.js';

/**
 * The streaming feature extractor: mono samples in, one Features record per hop out. Pure and deterministic
 * (no clock, no I/O); the RxJS operators in index.ts own one instance per subscriber.
 *
 * Per hop, HopFrontEnd computes what all extractors share once (level, silence, the onset spectrum and its band
 * powers, the sample rings); each extractor (drums.ts, chordChroma.ts, bassChroma.ts, levels.ts, tempo.ts,
 * sections.ts) takes that input plus, explicitly, the outputs of others it depends on:
 *   - the chord chroma takes its notes below C4 from the bass chroma's newest low-band spectrum (bin-wise minimum
 *     with the spectrum now), and while a detected kick is in that window reads E2–B2 only as far as octaves bear out;
 *   - the chord net (chordNet.ts) reads the chord chroma's semitone levels, its chroma and the bass chroma on every
 *     `chordNetEveryFrames`-th chroma frame; the short mean of its activations over net frames plus their mean
 *     since the chord began (heldChord.ts, which reads the bass chroma's note) is the record's chroma, the
 *     activations themselves (with the chord chroma's semitone levels, for a seventh's own evidence) the chord
 *     estimate's input (tempo and sections keep reading the hand-made chroma);
 *   - the bass chroma holds the note before a kick detected by the drums (or a snare's boom that the drums told from
 *     one: DrumDetector.lastThumpHop), and for a shorter time a snare, while the drum fills its window (unless a new
 *     note was struck with it), and uses the chord chroma's tuning;
 *   - the bass net (bassNet.ts) reads the hand-made bass chroma's semitone energies and chroma, the kick's learnt pitch
 *     and the ages of the newest kick and snare; its output is the record's bass chroma, which the chord net's held
 *     mean and the chord estimate read too (the chord net's own input stays the hand-made one);
 *   - the tempo tracker reads the drum envelopes and both hand-made chromas; the sections read band powers and the
 *     chroma.
 *
 * Timing. A record is stamped `t` = the time of the newest sample it has seen (the end of its hop; input above
 * 44.1 kHz, resampled, `lookaheadS` past it), which is when it became available. No stage looks ahead of that sample,
 * so every latency below comes from window lengths:
 *   - onsets: the onset FFT window ends at `t`; a hit is detected on the rising edge of its flux, typically two
 *     hops after it enters the window (median measured 20–23 ms, see tools/eval-analysis.ts); a kick waits up to
 *     three more hops for its confirmations;
 *   - chord chroma: a `chromaFftSize` window (≈ 93 ms), recomputed every `chromaEveryHops` hops, whose harmonic
 *     median needs ⌈chromaHpssFrames/2⌉ frames of a new chord: ≈ 100–150 ms until a chord change shows (the chord
 *     net, on every second chroma frame by default, adds 0–30 ms to that, and the record's mean over net frames
 *     about one net frame, ≈ 60 ms, more before the new chord's tones lead);
 *   - bass chroma: a `bassFftSize`-point window at ≈ 2.8 kHz (≈ 0.19 s): ≈ 0.1 s until a bass change shows; for
 *     1.55 windows (≈ 0.29 s) after each detected kick the note before it holds unless the upper partials show a new
 *     one, so a bass change on a kick shows after ≈ 0.15–0.2 s;
 *   - tempo/phase: beats are predicted by a phase-locked oscillator and fire on time (see tempo.ts);
 *   - sections: about a second (see sections.ts).
 *   - rmsSlow: a one-pole mean of the power over `rmsSlowS` (2 s): a drop 6 dB louder than its intro reads
 *     half-way up after ≈ 0.8 s (see SectionLevel in onsets.ts).
 *
 * Hot path. `push` and the per-hop work allocate nothing except the emitted record itself (a fresh object with
 * two 12-value arrays, because subscribers keep records).
 */

/** Samples of a pushed block mixed (and resampled) at a time. */
const MIX_CHUNK = 4096;

/** Onset detection latency used to advance the beat oscillator (median measured 20–23 ms on the demo and patterns). */
export const ONSET_LATENCY_S = 0.02;

export class FeatureExtractor {
  /** The analysis's own parameters, at its rate (`params.sampleRate`: 44.1 kHz for any input above it). */
  readonly params: ResolvedParams;
  /** The rate of the samples pushed (Hz). */
  readonly inputRateHz: number;
  /** Input above 44.1 kHz to the analysis rate (resampler.ts); null where the input is at it. */
  private readonly resampler: Resampler | null;
  /** A chunk of the block mixed to mono at the input rate, and resampled to the analysis rate. */
  private readonly mixed = new Float64Array(MIX_CHUNK);
  private readonly converted: Float64Array;
  /** The resampler's look-ahead has been filled with silence (`flush`). */
  private flushed = false;
  /** How far past a record's hop end the input has reached when it comes out (the resampler's look-ahead), s. */
  readonly lookaheadS: number;
  private readonly gain: number;
  private readonly ring: SampleRing;
  private readonly bassRing: SampleRing;
  private hopFill = 0;
  /** Scratch for one chunk (at most a hop) of the mono input and of its decimated low band. */
  private readonly mono: Float64Array;
  private readonly decimated: Float64Array;
  private hopSumSq = 0;
  private readonly dc: DcBlocker;
  private readonly decimator: Decimator;
  /** Mains hum out of the decimated band (humCanceller.ts); the silence gate reads the band as it came in. */
  readonly humCanceller: HumCanceller;
  private readonly front: HopFrontEnd;
  readonly drums: DrumDetector;
  readonly chords: ChordChroma;
  /** The learned chord chroma (null with `chordNet: false`): the record's chroma and the chord estimate's input. */
  readonly netChords: NetChordChroma | null;
  private readonly chromaEveryHops: number;
  private readonly netEveryFrames: number;
  readonly bass: BassChroma;
  /** The learned bass chroma (null with `bassNet: false`): the record's bass chroma. */
  readonly netBass: NetBassChroma | null;
  readonly levels: LevelMeter;
  readonly chordEstimator: ChordEstimator;
  readonly energy: SectionEnergyDetector;
  readonly tempo: TempoTracker;
  private readonly cue: TempoCue;
  private readonly sections: SectionTracker;

  /**
   * `drumNet`, `bassNet`: the kick/snare and bass nets' weights (absent: the committed ones; null: none, as the nets'
   * dataset tools read their inputs before a net exists).
   */
  constructor(
    cfg: AnalysisConfig,
    inputRateHz: number,
    drumNet?: DrumNetWeights | null,
    bassNet?: BassNetWeights | null,
  ) {
    const sampleRate = analysisRateOf(inputRateHz);
    const p = resolveParams(cfg, sampleRate);
    this.params = p;
    this.inputRateHz = inputRateHz;
    this.resampler = sampleRate === inputRateHz ? null : new Resampler(inputRateHz, sampleRate);
    this.converted = new Float64Array(this.resampler ? this.resampler.maxOutput(MIX_CHUNK) : 0);
    this.lookaheadS = this.resampler?.lookaheadS ?? 0;
    this.gain = Math.pow(10, cfg.inputGainDb / 20);
    // Two of the longest window, and the history the click reader (clickTail.ts) reads back.
    const ringSamples = 2 * Math.max(p.onsetFftSize, p.chromaFftSize, p.hopSamples);
    this.ring = new SampleRing(Math.max(ringSamples, ClickTail.historySamples(sampleRate, p.hopSamples)));
    this.bassRing = new SampleRing(2 * p.bassFftSize);
    this.humCanceller = new HumCanceller(p.bassRateHz, p.bassCutoffHz);
    this.dc = new DcBlocker(15, sampleRate);
    this.decimator = new Decimator(p.bassDecimation, p.bassCutoffHz, sampleRate);
    this.front = new HopFrontEnd(cfg, p, this.ring, this.bassRing, this.humCanceller);
    this.mono = new Float64Array(p.hopSamples);
    this.decimated = new Float64Array(p.hopSamples);
    this.drums = new DrumDetector(cfg, p, this.front.onsetBins, drumNet);
    this.chords = new ChordChroma(cfg, p);
    this.netChords = cfg.chordNet ? new NetChordChroma() : null;
    this.chromaEveryHops = cfg.chromaEveryHops;
    this.netEveryFrames = cfg.chordNetEveryFrames;
    this.bass = new BassChroma(cfg, p);
    this.netBass = cfg.bassNet ? new NetBassChroma(p.hopRateHz, bassNet) : null;
    this.levels = new LevelMeter(cfg, p);
    this.chordEstimator = new ChordEstimator(p.hopRateHz, 0.2, cfg.chromaEveryHops * (cfg.chordNet ? cfg.chordNetEveryFrames : 1));
    this.energy = new SectionEnergyDetector(p.hopRateHz);
    this.tempo = new TempoTracker({
      hopRateHz: p.hopRateHz,
      minBpm: cfg.tempoRangeBpm[0],
      maxBpm: cfg.tempoRangeBpm[1],
      priorBpm: cfg.tempoPriorBpm,
      memoryS: cfg.tempoMemoryS,
      latencyS: ONSET_LATENCY_S,
    });
    this.cue = { onset: 0, kick: 0, snare: 0, chroma: this.chords.chroma, bassChroma: this.bass.chroma, silent: true, drums: 0, low: 0, rms: 0, hats: 0, kickEvent: false, snareEvent: false, drumEvent: false };
    this.sections = new SectionTracker({ hopRateHz: p.hopRateHz, minSectionS: cfg.minSectionS, threshold: cfg.noveltyThreshold });
  }

  /** Raw band fluxes of the last hop (diagnostics). */
  get diag(): DrumDiagnostics {
    return this.drums.diag;
  }

  /** Section energy reference (see LevelMeter). */
  get sectionLevel(): SectionLevel {
    return this.levels.sectionLevel;
  }

  /**
   * Feeds one block (any number of channels, mixed to mono; any length, one sample included). NaN and infinite
   * samples count as 0; samples are clamped to ±4 so a broken source cannot blow up the running statistics.
   */
  push(channels: readonly Float32Array[], emit: (f: Features) => void): void {
    if (channels.length === 0) return;
    const len = channels[0]!.length;
    // In chunks of at most MIX_CHUNK samples: a whole file pushed at once keeps no file-sized scratch alive.
    for (let at = 0; at < len; at += MIX_CHUNK) this.pushChunk(channels, at, Math.min(MIX_CHUNK, len - at), emit);
  }

  /**
   * The end of the input (a file's, or the stream's before a change of rate): fills the resampler's look-ahead with
   * silence, so the last samples pushed reach the analysis as they would at 44.1 kHz (without it a file above that
   * rate could lose its last hop). After the last `push`: a second call does nothing (more silence would shift every
   * later record). Nothing to do at 44.1 kHz and below.
   */
  flush(emit: (f: Features) => void): void {
    if (!this.resampler || this.flushed) return;
    this.flushed = true;
    this.push([new Float32Array(this.resampler.lookaheadSamples)], emit);
  }

  private pushChunk(channels: readonly Float32Array[], start: number, len: number, emit: (f: Features) => void): void {
    this.mix(channels, start, len);
    let src: Float64Array = this.mixed;
    let n = len;
    if (this.resampler) {
      n = this.resampler.process(this.mixed, len, this.converted);
      src = this.converted;
    }
    const hop = this.params.hopSamples;
    // Per chunk up to the next hop boundary, each stage runs over the whole chunk (DC, rings, decimator): tight loops
    // with their state in locals, the same arithmetic per sample as one sample at a time.
    for (let i = 0; i < n; ) {
      const take = Math.min(n - i, hop - this.hopFill);
      this.ingest(src, i, take);
      i += take;
      this.hopFill += take;
      if (this.hopFill === hop) {
        emit(this.processHop());
        this.hopFill = 0;
        this.hopSumSq = 0;
      }
    }
  }

  /** Mixes `len` samples of the block from `start` to mono into `mixed`: gain, non-finite → 0, clamped to ±4. */
  private mix(channels: readonly Float32Array[], start: number, len: number): void {
    const nch = channels.length;
    const inv = this.gain / nch;
    const mixed = this.mixed;
    for (let j = 0; j < len; j++) {
      let s = 0;
      for (let c = 0; c < nch; c++) {
        const v = channels[c]![start + j];
        if (v !== undefined && v === v && v !== Infinity && v !== -Infinity) s += v;
      }
      s *= inv;
      mixed[j] = s > 4 ? 4 : s < -4 ? -4 : s;
    }
  }

  /**
   * `n` mono samples from `start` at the analysis rate: clamped to ±4 again (the resampler's kernel can overshoot a
   * clamped input by up to 1.9 times), DC-blocked, into both rings and the hop's power.
   */
  private ingest(src: Float64Array, start: number, n: number): void {
    const mono = this.mono;
    for (let j = 0; j < n; j++) {
      const v = src[start + j]!;
      mono[j] = v > 4 ? 4 : v < -4 ? -4 : v;
    }
    this.dc.processBlock(mono, n);
    let sumSq = this.hopSumSq;
    for (let j = 0; j < n; j++) sumSq += mono[j]! * mono[j]!;
    this.hopSumSq = sumSq;
    this.ring.pushBlock(mono, n);
    const outs = this.decimator.pushBlock(mono, n, this.decimated);
    this.humCanceller.process(this.decimated, outs);
    this.bassRing.pushBlock(this.decimated, outs);
  }

  private processHop(): Features {
    const p = this.params;
    const inp = this.front.next(this.hopSumSq, p.hopSamples);
    const events: FeatureEvent[] = [];
    const onset = this.drums.step(inp, events);
    const freshChroma = this.chords.step(inp, this.bass.spectrum, inp.hop - this.drums.lastThumpHop < this.bass.kickWindowHops, this.bass.noteHz, this.drums.lastSnareHop);
    this.bass.step(inp, this.drums.lastThumpHop, this.chords.tuningCents, this.drums.lastSnareHop);
    this.netBass?.step(this.bass, inp.hop - this.drums.lastThumpHop, inp.hop - this.drums.lastSnareHop, inp.silent);
    const lv = this.levels.step(inp);
    // The net reads this hop's bass chroma too, so it runs after the bass; between chroma frames both hold.
    const net = this.netChords;
    const netFrame = freshChroma && net !== null && (inp.hop / this.chromaEveryHops) % this.netEveryFrames === 0;
    // The chord net reads the hand-made bass chroma (as it was trained); its held mean and the chord estimate read the
    // record's (corpus chord estimate 0.861 → 0.863 with the learned one).
    const bassChroma = (this.netBass ?? this.bass).chroma;
    if (netFrame) net.step(this.chords.levels, this.chords.chroma, this.bass.chroma, bassChroma);
    const chordChroma = net ? net.chroma : this.chords.chroma;
    const chord = netFrame
      ? this.chordEstimator.stepProbabilities(net.probs, bassChroma, inp.silent, this.chords.levels)
      : net === null && freshChroma
        ? this.chordEstimator.step(chordChroma, this.bass.chroma, inp.silent)
        : this.chordEstimator.repeat();

    // Tempo from the drum envelopes; downbeat evidence from chroma and drums.
    const cue = this.cue;
    cue.onset = 0.4 * onset.all + 0.3 * this.drums.lowNorm + 0.3 * this.drums.cueSnare;
    cue.kick = this.drums.cueKick;
    cue.low = this.drums.lowNorm;
    cue.snare = this.drums.cueSnare;
    cue.silent = inp.silent;
    cue.rms = inp.rmsRaw;
    cue.hats = onset.hats;
    cue.kickEvent = this.drums.ruleKickHop === inp.hop;
    cue.snareEvent = this.drums.ruleSnareHop === inp.hop;
    cue.drumEvent = this.drums.lastKickHop === inp.hop || this.drums.lastSnareHop === inp.hop;
    cue.drums = Math.max(this.drums.cueKick, this.drums.cueSnare, onset.hats);
    const ts = this.tempo.step(cue);
    if (ts.beat) events.push('beat');
    if (ts.downbeat) events.push('downbeat');

    const change = this.energy.step(inp);
    if (change) events.push(change);
    if (this.sections.step(inp.lowPower, inp.midPower, inp.highPower, this.chords.chroma, inp.silent)) events.push('section');

    return {
      // Stamped when it came out: a resampled input has reached the look-ahead past the hop's end by then.
      t: this.ring.written / p.sampleRate + this.lookaheadS,
      // slice(), not Float32Array.from (which goes through the iterator protocol): half the cost per record.
      chroma: chordChroma.slice(),
      bassChroma: bassChroma.slice(),
      onset,
      events,
      rms: lv.rms,
      rmsSlow: lv.rmsSlow,
      bandRms: lv.bandRms,
      novelty: this.sections.novelty,
      section: this.sections.section,
      tempo: {
        bpm: ts.bpm,
        beatPhase: ts.beatPhase,
        barPhase: ts.barPhase,
        confidence: ts.confidence,
        source: 'analysis',
        known: ts.known,
        beatsPerBar: ts.beatsPerBar,
      },
      chord,
      energy: { contrast: this.energy.value.contrast, state: this.energy.value.state },
    };
  }
}

import { z } from 'zod';

/**
 * Settings of the analysis stage (FFT sizes, hops, bands, thresholds). Defaults live here and nowhere else.
 * Input above 44.1 kHz is resampled to 44.1 kHz (analysis/resampler.ts), where sizes "at 44.1/48 kHz" hold as
 * given; below it `resolveParams` (analysis/hopInput.ts) scales them, so a 22.05 kHz input gets the same windows in
 * milliseconds.
 */
const band = z.tuple([z.number().min(0), z.number().min(1)]);

export const analysisConfigSchema = z
  .strictObject({
    /** Analysis hop in samples at 44.1/48 kHz (about 100 Hz feature rate). Default: 10 ms worth of samples. */
    hopSamples: z.number().int().min(64).max(4096).optional(),
    /** Explicit input gain in dB, applied before everything (adaptive normalisation still follows). */
    inputGainDb: z.number().min(-60).max(60).default(0),
    /** FFT size of the onset/percussive spectrum at 44.1/48 kHz (power of two). 2048 ≈ 43–46 ms. */
    onsetFftSize: z.number().int().min(256).max(16384).default(2048),
    /** FFT size of the chord-chroma spectrum at 44.1/48 kHz (power of two). */
    chromaFftSize: z.number().int().min(512).max(32768).default(4096),
    /** Compute the chord-chroma spectrum every N hops (the record repeats the newest chroma in between). */
    chromaEveryHops: z.number().int().min(1).max(16).default(3),
    /**
     * Chord chroma frequency range, Hz. From E2 (82 Hz): chords are voiced that low (guitars, left hands, pads);
     * below C4 the notes are read from the bass spectrum, which kicks do not reach (it is held after each kick).
     */
    chromaRangeHz: band.default([80, 4000]),
    /**
     * Bass chroma: range, Hz, whose semitone map runs from 0.9 times its low end to 3.1 times its high end (27–418 Hz
     * by default): fundamentals from C1 (32.7 Hz) up to B3 are scored, with their octaves and fifths as far as it reaches.
     */
    bassRangeHz: band.default([30, 135]),
    /** Bass chroma: sample rate after decimation (Hz, approximate: an integer decimation factor is chosen). */
    bassDecimatedRateHz: z.number().min(500).max(8000).default(2800),
    /**
     * Bass chroma FFT size at the decimated rate (power of two); window length = size / rate (≈ 0.19 s, 5.5 Hz bins:
     * C2–C3 fundamentals resolve directly, C1–B1 through their octave and twelfth partials).
     */
    bassFftSize: z.number().int().min(256).max(8192).default(512),
    /** HPSS: frequency median kernel for the percussive estimate, Hz (the median runs across this width). */
    hpssFreqKernelHz: z.number().min(20).max(2000).default(200),
    /** HPSS of the chroma spectrum: frames in its harmonic median (chroma frames are `chromaEveryHops` hops apart). */
    chromaHpssFrames: z.number().int().min(3).max(31).default(5),
    /**
     * HPSS of the chroma spectrum: look-ahead frames of the harmonic median (0 = fully causal; each frame delays
     * the chord chroma by `chromaEveryHops` hops). The onset path needs none: its percussive part is the frequency
     * median of the current frame.
     */
    hpssLookaheadFrames: z.number().int().min(0).max(4).default(0),
    /**
     * The record's chord chroma (and the chord estimate made from it) comes from the learned chord-chroma network
     * (chordNet.ts, weights in models/chordnet) reading the hand-made chroma's semitone levels; false keeps the
     * hand-made chroma. Tempo and sections read the hand-made chroma either way.
     */
    chordNet: z.boolean().default(true),
    /**
     * Run the chord net on every Nth chord-chroma frame and hold its output in between: its cost divides by N and
     * a chord change shows up to (N − 1) chroma frames later. 2 (every 60 ms) scored as every frame on the corpus
     * and keeps the whole analysis within its per-hop budget.
     */
    chordNetEveryFrames: z.number().int().min(1).max(8).default(2),
    /**
     * The record's bass chroma comes from the learned bass-note network (bassNet.ts, weights in models/bassnet)
     * reading the bass spectrum, the drums' ages and the hand-made bass chroma; false keeps the hand-made one. The
     * chord net, the chord estimate and tempo read the hand-made bass chroma either way.
     */
    bassNet: z.boolean().default(true),
    /** Onset bands, Hz. */
    kickBandHz: band.default([30, 150]),
    snareBandHz: band.default([1000, 8000]),
    hatsBandHz: band.default([6000, 16000]),
    /** SuperFlux: lag in hops of the reference frame, and the frequency max-filter width in bands. */
    fluxLagHops: z.number().int().min(1).max(4).default(2),
    fluxMaxFilterBands: z.number().int().min(1).max(9).default(3),
    /** Peak picking: minimum inter-onset interval per band, ms. */
    minInterOnsetMs: z.number().min(10).max(1000).default(70),
    /** Peak picking: threshold on the normalised envelope (0..1) above the running mean, per band. */
    onsetThreshold: z.number().min(0).max(1).default(0.22),
    /** Peak picking: an onset must also exceed this multiple of its envelope's half-second mean (noise does not). */
    onsetRatio: z.number().min(1).max(20).default(4),
    kickThreshold: z.number().min(0).max(1).default(0.15),
    snareThreshold: z.number().min(0).max(1).default(0.6),
    hatsThreshold: z.number().min(0).max(1).default(0.1),
    /**
     * Kick confirmation: the low-band flux counts as kick in proportion to the beater's broadband click (percussive
     * flux in `kickClickBandHz`, as mean magnitude increase relative to the running input level) in the same or the
     * previous hop, fully from `kickClickLevel` up; an event needs at least half of it.
     * Sustained or re-struck bass notes have no such click, so they do not fire kicks. Set 0 for click-less sub
     * kicks (808s) in music without a competing bass line: the low band alone then decides.
     */
    kickClickBandHz: band.default([1000, 6000]),
    kickClickLevel: z.number().min(0).max(1).default(0.002),
    /** Compression of the drum-band spectra: log(1 + γ·x) with x relative to the running level (small γ ≈ linear). */
    drumCompression: z.number().min(0.01).max(1000).default(2),
    /** Adaptive normalisation: decay time of the running peaks, s (the level a hit is measured against). */
    normDecayS: z.number().min(0.5).max(120).default(8),
    /**
     * Slow RMS (section energy): time constant, s, of the running mean of the raw signal power. `rmsSlow` is that
     * level in dB against a slowly adapting reference (see SectionLevel in onsets.ts), mapped to 0..1.
     */
    rmsSlowS: z.number().min(0.2).max(30).default(2),
    /**
     * Slow RMS: where the level reference starts, dBFS RMS after the input gain — a typical line-in programme level
     * (peaks a few dB under full scale, crest factor 10–14 dB; loud club masters sit near −10, dynamic ones near
     * −20). Louder material lifts the reference at once, while it falls toward quieter material only at
     * `rmsSlowFallDbPerMin`: a guess on the low side costs nothing after the first loud part, one on the high side
     * costs minutes, hence −16 rather than a loud master's level.
     */
    rmsSlowRefDb: z.number().min(-80).max(0).default(-16),
    /** Slow RMS: the dB range below the reference that maps onto 0..1 (reference − range → 0, reference → 1). */
    rmsSlowRangeDb: z.number().min(3).max(60).default(18),
    /**
     * Slow RMS: how fast the reference falls toward quieter material, dB per minute. Slow, so a breakdown of a
     * minute still reads low (6–10 dB below the drop reads about 0.5–0.8 at its end instead of 1).
     */
    rmsSlowFallDbPerMin: z.number().min(0).max(600).default(3),
    /**
     * Slow RMS: while the level sits below the whole range (it would read 0: the reference is far too high, e.g.
     * a line-in 30 dB under the nominal level) the reference falls this fast instead, dB per minute, until the
     * quietest material reads 0; from there `rmsSlowFallDbPerMin` takes over.
     */
    rmsSlowCatchUpDbPerMin: z.number().min(0).max(6000).default(30),
    /**
     * Hops quieter than this (dBFS RMS, after the input gain; their mean over 0.3 s too unless the hop is 3 dB over)
     * are silence whatever plays around them: no onsets, envelopes fall to 0, the chromas go dark. This is where the
     * floor starts; with `silenceFollowsNoise` it follows the line-in's own noise (silenceGate.ts): 6 dB over steady
     * hiss (−66 dBFS at most) heard for five seconds alone or 40 dB under the music, for as long as the band above
     * 4 kHz never falls under that hiss's, or over mains hum (the hum canceller's lines holding half a steady block's
     * power, −40 dBFS at most; humCanceller.ts) heard likewise, for as long as the band under 200 Hz never falls
     * under the hum's; 3 dB over the hum the canceller holds under the music; back there two to three seconds into
     * the same hiss after a pause; down to 6 dB over the level's mean once that has stayed 8 dB under it for 2 s
     * (digital silence, a quiet interface); never under −90 dBFS, or this if lower. Until hiss is measured, hiss
     * from −85 dBFS down stays silence. A gate
     * at −90 on the hop RMS alone (60 dB under the hop RMS's peak) kept more of a line-in 35 dB low whose music starts
     * at once (chord targets 108 against 101 of 120 below), but hiss at −85 was heard: a `drop` when the music started
     * over it, beats in gaps.
     */
    silenceDb: z.number().min(-140).max(0).default(-80),
    /**
     * The absolute floor follows the line-in's own noise from `silenceDb` (silenceGate.ts); false holds it at
     * `silenceDb` (a line-in whose hiss lies over −66 dBFS, which the gate does not take for hiss, or hum that is
     * never heard alone, needs it set over that noise and held).
     */
    silenceFollowsNoise: z.boolean().default(true),
    /**
     * Hops this many dB under the recent peak level (a decaying peak of the power's mean over 0.3 s, `silenceMemoryS`)
     * are silence too, so the gate follows the programme level rather than sitting at a fixed dBFS. A gate fixed at
     * −70 dBFS darkened the quiet ends of chords and quiet intros on a line-in set low (`eval-analysis --gain`, the
     * corpus and the four tuning sets: 35 dB low, chord targets 76 and bass 86 of 120, downbeat 89 of 114; 109, 109
     * and 112 at the renders' level); this gate and the −80 dBFS floor bring them back to 101, 104 and 106 (20 dB
     * low: 108, 109, 111 against 107, 106, 109), and at the renders' own level no target moves. 52 dB under the mean's peak
     * is about 60 dB under the loudest hops (a kick's 50 ms reads 8 dB lower in the mean); 60 under it let the ends of
     * songs be heard longer, and the beat ran on into them (beat F −0.02 to −0.03 on six 3/4 and 6/8 songs).
     */
    silenceUnderPeakDb: z.number().min(20).max(120).default(52),
    /**
     * Memory of the peak the silence gate follows, s (the time constant of its decay; 0.29 dB a second): after music
     * whose 0.3 s mean peaks at −8 dBFS, anything at −75 dBFS (over `silenceDb`) stays silence for about the first
     * 50 s of a gap by this alone (steady hiss is measured sooner: `silenceDb`); a line-in turned up is followed at
     * once, one turned down after about 35 s per 10 dB.
     */
    silenceMemoryS: z.number().min(1).max(600).default(30),
    /**
     * The adaptive normalisation scales up to this level (dBFS) and no further: a signal under it reads below 1 in
     * `rms` and the band levels, and the onset spectra are divided by no less (so hiss over a gap stays dim).
     */
    levelFloorDb: z.number().min(-140).max(0).default(-70),
    /** Tempo search range, BPM. */
    tempoRangeBpm: band.default([60, 200]),
    /** Tempo prior: centre (BPM) of the log-normal preference that settles half/double time. */
    tempoPriorBpm: z.number().min(40).max(240).default(120),
    /** Autocorrelation memory of the tempo tracker, s. */
    tempoMemoryS: z.number().min(1).max(30).default(4),
    /** Sections: minimum section length, s, and the novelty threshold (0..1). */
    minSectionS: z.number().min(1).max(120).default(8),
    noveltyThreshold: z.number().min(0).max(1).default(0.5),
  })
  .prefault({});
export type AnalysisConfig = z.output<typeof analysisConfigSchema>;
export type AnalysisConfigInput = z.input<typeof analysisConfigSchema>;

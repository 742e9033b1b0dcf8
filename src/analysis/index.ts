/**
 * The analysis stage as RxJS operators. Each subscription owns its own extractor (state lives inside the
 * `new Observable(...)` closure), so two subscribers never share running statistics.
 *
 *   createAnalysis(cfg)                 the AnalysisStage the engine wires: blocks → Features
 *   extractFeatures(cfg)                the same as an operator
 *   trackTempo(hopRateHz, cfg)          the tempo/beat/bar tracker alone: TempoCue → Tempo (+ beat/downbeat flags)
 *   withTempo(tempo$)                   replaces the analysed tempo by another source (MIDI clock, OSC, tap, Link)
 *                                       whenever that source emits a Tempo; `null` hands back to the analysis
 */
import { Observable, type OperatorFunction, type MonoTypeOperatorFunction, type Subscription } from '../rx.js';
import type { AudioBlock } from '../audio/types.js';
import type { AnalysisStage } from '../contracts/stages.js';
import { analysisConfigSchema, type AnalysisConfig, type AnalysisConfigInput } from './config.js';
import { FeatureExtractor, ONSET_LATENCY_S } from './extractor.js';
import { TempoTracker, type TempoCue } from './tempo.js';
import type { FeatureEvent, Features, Tempo } from './types.js';

export { FeatureExtractor, resolveParams, type ResolvedParams } from './extractor.js';
export { TempoTracker, type TempoCue, type TempoState } from './tempo.js';
export { analysisConfigSchema, type AnalysisConfig, type AnalysisConfigInput } from './config.js';

/** Options beyond the config file: injected streams. */
export interface AnalysisOptions {
  /** A tempo source that replaces the analysed tempo while it emits (null = back to the analysis). */
  tempo$?: Observable<Tempo | null>;
}

/** Blocks → one Features record per hop. A change of sample rate mid-stream restarts the extractor. */
export function extractFeatures(cfg: AnalysisConfig): OperatorFunction<AudioBlock, Features> {
  return (blocks$) =>
    new Observable<Features>((subscriber) => {
      let extractor: FeatureExtractor | null = null;
      let offsetS = 0;
      const emit = (f: Features): void => {
        if (offsetS !== 0) f.t += offsetS;
        subscriber.next(f);
      };
      return blocks$.subscribe({
        next(block) {
          // A throw inside a subscriber's next() does not reach subscriber.error: RxJS re-throws it on a timer,
          // which kills the process (live: the show). Hand it downstream as the stream's error instead.
          try {
            if (!extractor || extractor.inputRateHz !== block.sampleRate) {
              extractor?.flush(emit);
              extractor = new FeatureExtractor(cfg, block.sampleRate);
              // Record times stay on the source's audio clock even when the extractor starts mid-stream.
              offsetS = block.t0 / block.sampleRate;
            }
            extractor.push(block.channels, emit);
          } catch (e) {
            subscriber.error(e);
          }
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => {
          try {
            extractor?.flush(emit);
          } catch (e) {
            subscriber.error(e);
            return;
          }
          subscriber.complete();
        },
      });
    });
}

/** The tempo tracker as an operator over per-hop cues. Emits a fresh Tempo per cue plus the events of that hop. */
export function trackTempo(
  hopRateHz: number,
  cfg: AnalysisConfig,
  latencyS = ONSET_LATENCY_S,
): OperatorFunction<TempoCue, { tempo: Tempo; beat: boolean; downbeat: boolean }> {
  return (cues$) =>
    new Observable((subscriber) => {
      const tracker = new TempoTracker({
        hopRateHz,
        minBpm: cfg.tempoRangeBpm[0],
        maxBpm: cfg.tempoRangeBpm[1],
        priorBpm: cfg.tempoPriorBpm,
        memoryS: cfg.tempoMemoryS,
        latencyS,
      });
      return cues$.subscribe({
        next(cue) {
          let s;
          try {
            s = tracker.step(cue);
          } catch (e) {
            subscriber.error(e); // see extractFeatures: never throw out of a next()
            return;
          }
          subscriber.next({
            tempo: { bpm: s.bpm, beatPhase: s.beatPhase, barPhase: s.barPhase, confidence: s.confidence, source: 'analysis', known: s.known },
            beat: s.beat,
            downbeat: s.downbeat,
          });
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * Replaces `tempo` (and the beat/downbeat events) of each record with the newest value of `tempo$` while that
 * stream's latest value is non-null. Beat and downbeat events are derived from the override's phases: a beat fires
 * when beatPhase wraps, a downbeat when barPhase wraps.
 */
export function withTempo(tempo$: Observable<Tempo | null>): MonoTypeOperatorFunction<Features> {
  return (features$) =>
    new Observable<Features>((subscriber) => {
      let override: Tempo | null = null;
      let lastBeat = -1;
      let lastBar = -1;
      const sub: Subscription = tempo$.subscribe({
        next: (t) => {
          override = t;
        },
        error: (e: unknown) => subscriber.error(e),
      });
      sub.add(
        features$.subscribe({
          next(f) {
            const o = override;
            if (!o) {
              lastBeat = lastBar = -1;
              subscriber.next(f);
              return;
            }
            const events: FeatureEvent[] = f.events.filter((e) => e !== 'beat' && e !== 'downbeat');
            if (lastBeat >= 0 && o.beatPhase < lastBeat - 0.5) events.push('beat');
            if (lastBar >= 0 && o.barPhase < lastBar - 0.5) events.push('downbeat');
            lastBeat = o.beatPhase;
            lastBar = o.barPhase;
            subscriber.next({ ...f, events, tempo: { ...o } });
          },
          error: (e: unknown) => subscriber.error(e),
          complete: () => subscriber.complete(),
        }),
      );
      return sub;
    });
}

/** The analysis stage factory the pipeline wires (see src/contracts/stages.ts). */
export function createAnalysis(cfg: AnalysisConfig | AnalysisConfigInput = {}, opts: AnalysisOptions = {}): AnalysisStage {
  const config: AnalysisConfig = analysisConfigSchema.parse(cfg);
  return (blocks$) => {
    const features$ = blocks$.pipe(extractFeatures(config));
    return opts.tempo$ ? features$.pipe(withTempo(opts.tempo$)) : features$;
  };
}

import { Subject, tap, type MonoTypeOperatorFunction } from '../rx.js';
import type { Features, Tempo } from '../contracts/features.js';
import { withTempo } from '../analysis/index.js';

/** What the pipeline needs from the control stage to let an external tempo lead (see control/tempo.ts). */
export interface TempoLeader {
  /** The tempo to use now: the leading source's (a copy), or `analysis` itself when the analysis leads. */
  mergeTempo(analysis: Tempo | null): Tempo | null;
}

/**
 * Operator over the analysis records: while MIDI clock, OSC or tap leads, each record gets that tempo, with beat
 * and downbeat events derived from its phases (analysis withTempo); otherwise records pass unchanged. Beats
 * are derived here once; the mapper's musical clock follows the record's phases.
 */
export function externalTempo(leader: TempoLeader): MonoTypeOperatorFunction<Features> {
  return (features$) => {
    // The override is computed just before each record reaches withTempo (tap runs first, synchronously).
    const override$ = new Subject<Tempo | null>();
    return features$.pipe(
      tap((f) => {
        const t = leader.mergeTempo(f.tempo);
        override$.next(t && t !== f.tempo ? t : null);
      }),
      withTempo(override$),
    );
  };
}

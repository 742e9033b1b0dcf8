/**
 * Inference only when someone looks: with no display or preview connected (and nothing else declaring that it
 * needs frames, such as a recorder), params are not sent to the generator, so an engine left running without a
 * window costs the analysis and nothing more. The first frame after a display connects is the current one.
 */
import type { GeneratorStage } from '../contracts/stages.js';
import { logger } from '../log.js';

const log = logger('output');

export interface DemandGate {
  /** The generator stage to give the engine. */
  readonly stage: GeneratorStage;
  /** Params not sent because nobody watched. */
  readonly idleFrames: number;
}

/**
 * Wraps a generator so that `submit` goes through only while `needed()` says so. `enabled: false` turns the gate
 * off (always infer; `output.idleWithoutDisplay: false`).
 */
export function idleWithoutViewers(generator: GeneratorStage, needed: () => boolean, enabled = true): DemandGate {
  let idleFrames = 0;
  let idle = false;
  const stage: GeneratorStage = {
    get width() {
      return generator.width;
    },
    get height() {
      return generator.height;
    },
    frames$: generator.frames$,
    stats: () => generator.stats(),
    close: () => generator.close(),
    submit(params, paramsAtMs) {
      if (enabled && !needed()) {
        idleFrames += 1;
        if (!idle) {
          idle = true;
          log.info('no display connected: inference idles until one connects (output.idleWithoutDisplay)');
        }
        return;
      }
      if (idle) {
        idle = false;
        log.info('a display connected: inference runs');
      }
      generator.submit(params, paramsAtMs);
    },
  };
  return {
    stage,
    get idleFrames() {
      return idleFrames;
    },
  };
}

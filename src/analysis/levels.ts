import type { AnalysisConfig } from './config.js';
import type { HopInput, ResolvedParams } from './hopInput.js';
import { PeakNormaliser, SectionLevel } from './onsets.js';

export interface LevelValues {
  rms: number;
  rmsSlow: number;
  bandRms: { low: number; mid: number; high: number };
}

/**
 * Levels. `rms` is fast and normalised by its decaying peak (what flashes want); `rmsSlow` is the raw level over
 * seconds against a minutes-long reference (see SectionLevel), so a loud drop reads above a quiet intro.
 */
export class LevelMeter {
  /** Section energy: raw power over seconds against a reference that adapts over minutes (not the normalised rms). */
  readonly sectionLevel: SectionLevel;
  private readonly rmsNorm: PeakNormaliser;
  private readonly bandNorm: [PeakNormaliser, PeakNormaliser, PeakNormaliser];

  constructor(cfg: AnalysisConfig, p: ResolvedParams) {
    const floorAmp = Math.pow(10, cfg.levelFloorDb / 20);
    const decay = Math.exp(-p.hopSamples / (cfg.normDecayS * p.sampleRate));
    this.rmsNorm = new PeakNormaliser(decay, floorAmp);
    const powerFloor = floorAmp * floorAmp;
    this.bandNorm = [new PeakNormaliser(decay, powerFloor), new PeakNormaliser(decay, powerFloor), new PeakNormaliser(decay, powerFloor)];
    this.sectionLevel = new SectionLevel({
      hopRateHz: p.hopRateHz,
      windowS: cfg.rmsSlowS,
      refDb: cfg.rmsSlowRefDb,
      rangeDb: cfg.rmsSlowRangeDb,
      fallDbPerMin: cfg.rmsSlowFallDbPerMin,
      catchUpDbPerMin: cfg.rmsSlowCatchUpDbPerMin,
    });
  }

  step(inp: HopInput): LevelValues {
    return {
      rms: this.rmsNorm.next(inp.rmsRaw),
      rmsSlow: this.sectionLevel.next(inp.rmsRaw, inp.silent),
      bandRms: {
        low: Math.sqrt(this.bandNorm[0].next(inp.lowPower)),
        mid: Math.sqrt(this.bandNorm[1].next(inp.midPower)),
        high: Math.sqrt(this.bandNorm[2].next(inp.highPower)),
      },
    };
  }
}

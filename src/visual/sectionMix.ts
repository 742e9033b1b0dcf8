import type { FrameParams } from '../contracts/frameParams.js';
import { CueState, sectionWeights, type CueQuantise } from './sections.js';
import type { Technique, TechniqueFrame, TargetSlot } from './technique.js';
import { resolveScene } from '../control/scenes.js';
import { logger } from '../log.js';

const log = logger('mapping');

export interface SectionSpec {
  /** Named sets of latent generators, in order. */
  sets: Record<string, string[]>;
  crossfade: number;
  cueQuantise: CueQuantise;
  cueFadeMs: number;
}

export interface SectionSlots {
  scene: TargetSlot;
  auto: TargetSlot;
  position: TargetSlot;
}

/**
 * Sections: the automatic position (a target, e.g. the analysis's section count) crossfades between named sets
 * of latent generators; a scene target, a scene recall or `auto` cues a set, quantised to the beat or bar.
 * Writes the scene; the latent mixer reads `weightOf(generator)`.
 */
export class SectionMix implements Technique {
  readonly names: string[];
  /** Weight of each set this frame. */
  readonly weights: Float64Array;
  /** The effective section position of the last frame. */
  position = 0;
  private readonly crossfade: number;
  private readonly cue: CueState;
  private lastSceneTarget = -1;
  private lastSceneAuto = 0;
  private lastControlScene: number | string | undefined = undefined;

  constructor(
    spec: SectionSpec | undefined,
    private readonly s: SectionSlots,
  ) {
    this.names = Object.keys(spec?.sets ?? {});
    this.weights = new Float64Array(this.names.length);
    this.crossfade = spec?.crossfade ?? 0.5;
    this.cue = new CueState(spec?.cueQuantise ?? 'bar', spec?.cueFadeMs ?? 500);
    this.sets = spec?.sets ?? {};
  }

  private readonly sets: Record<string, string[]>;

  /** The set indices a generator belongs to (compiled once by the latent mixer). */
  setsOf(generator: string): number[] {
    return this.names.map((n, i) => (this.sets[n]!.includes(generator) ? i : -1)).filter((i) => i >= 0);
  }

  frame(v: Float64Array, f: TechniqueFrame, p: FrameParams): void {
    p.scene = this.scene(f);
    const nSets = this.names.length;
    if (nSets === 0) return;
    const sceneVal = Math.round(v[this.s.scene.offset]!);
    if (sceneVal !== this.lastSceneTarget) {
      this.lastSceneTarget = sceneVal;
      // Past the last scene is a mistake in the route, not "the last scene": refused, with the list (scenes.ts).
      if (sceneVal >= nSets) {
        const r = resolveScene(sceneVal, this.names);
        if (!r.ok) log.limited('warn', 'scene-target', `scene target: ${r.error}`);
      } else if (sceneVal >= 0) this.cue.cue(sceneVal);
    }
    const autoVal = v[this.s.auto.offset]!;
    if (autoVal >= 0.5 && this.lastSceneAuto < 0.5) this.cue.cue(-1);
    this.lastSceneAuto = autoVal;
    const cs = f.controls.scene;
    if (this.lastControlScene === undefined) this.lastControlScene = cs;
    else if (cs !== this.lastControlScene) {
      this.lastControlScene = cs;
      const idx = typeof cs === 'number' ? cs : cs === 'auto' ? -1 : this.names.indexOf(cs);
      // The control refuses unknown scenes (scenes.ts); a name it let through with restored values is a snapshot
      // only, and an index past the end is never clamped onto the last scene.
      if (!(typeof cs === 'string' && idx < 0 && cs !== 'auto') && idx < nSets) this.cue.cue(idx < 0 ? -1 : idx);
    }
    this.position = this.cue.position(v[this.s.position.offset]!, f.dt, f.clock.beatTick, f.clock.barTick);
    sectionWeights(this.position, this.crossfade, this.weights);
    p.scene = this.scene(f);
  }

  /** The scene the picture shows: the strongest set, or the performer's scene when there are no sets. */
  private scene(f: TechniqueFrame): number | string {
    if (this.names.length === 0) return f.controls.scene;
    let best = 0;
    for (let i = 1; i < this.weights.length; i++) if (this.weights[i]! > this.weights[best]!) best = i;
    return this.names[best]!;
  }
}

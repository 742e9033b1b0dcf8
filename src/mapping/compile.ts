import type { Manifest } from '../contracts/model.js';
import { newFrameParams, type Bend, type FrameParams } from '../contracts/frameParams.js';
import { Bends } from '../visual/bends.js';
import { Post } from '../visual/post.js';
import { LatentMixer } from '../visual/latentMixer.js';
import type { NoiseLoops } from '../visual/noiseLoops.js';
import { compileNoise } from './compileNoise.js';
import { SectionMix } from '../visual/sectionMix.js';
import type { TechniqueFrame } from '../visual/technique.js';
import { ClassSteer, createDirectionSteps, type DirectionSteps } from '../visual/latentSteps.js';
import type { ModelDirections } from '../contracts/directions.js';
import type { FrameContext } from './frameContext.js';
import type { MusicalClock } from './clock.js';
import { layerElements, resolveLayers } from './layers.js';
import { MappingError } from './load.js';
import { MODIFIER_BY_KEY, combine, type CombineMode, type ModifierInstance } from './modifiers.js';
import type { MappingSpec, RouteSpec } from './schema.js';
import { compileSource, type SourceReader } from './sources.js';
import { TARGETS, directionRef, findTarget, type TargetDef } from './targets.js';

/**
 * Compiles a validated mapping once against a model's manifest and loaded banks ("declare, then run"): every
 * name is resolved to an offset, every layer range to element lists, every modifier to an instance with its
 * state, every latent technique to coefficient producers. Per frame, `frame()` evaluates the sources, runs the
 * route chains into one flat array of target values, and composes the FrameParams — without allocating.
 */

export interface CompileOptions {
  manifest: Manifest;
  /** W vectors per bank name (see visual/banks.ts). */
  banks: Map<string, Float32Array[]>;
  wAvg: Float32Array;
  /** The mapping file (relative paths, e.g. mask images, resolve against its folder). */
  file: string;
  /** The model's stored directions, when a route moves `direction.<k>` (loaded by the caller, which names a missing file). */
  directions?: ModelDirections | null;
  /** Mean W per class of a conditional model, when a route moves `class`. */
  classMeans?: Float32Array[] | null;
  warn(message: string): void;
}

/** What `trace` writes per frame, beyond FrameParams: the resolved state, by name. */
export interface ResolvedState {
  latentWeights: Record<string, number[]>;
  latentMix: Record<string, number>;
  loop: Record<string, number>;
  section: number;
  noiseStrength: number[];
  noiseFast: number;
  bend: Bend[];
  rewrite: number[];
  truncation: number;
  scene: number | string;
  /** Amount (σ) per W+ row of each `direction.<k>` the file moves. */
  directions: Record<string, number[]>;
  /** The class steered to (−1: none). */
  class: number;
}

interface Slot {
  name: string;
  def: TargetDef;
  offset: number;
  length: number;
}

interface CompiledRoute {
  readers: SourceReader[];
  width: number;
  buf: Float64Array;
  combineMode: CombineMode | null;
  mods: ModifierInstance[];
  smoothMs: number;
  smoothState: Float64Array;
  primed: boolean;
  /** Offsets into the target value array. */
  targets: Int32Array;
  /** Whether the value is one per target element (vector into a bank target) or broadcast. */
  elementwise: boolean;
  op: RouteSpec['op'];
}

const RING = 3;


export class CompiledMapping {
  readonly spec: MappingSpec;
  private readonly m: Manifest;
  private readonly slots = new Map<string, Slot>();
  private readonly values: Float64Array;
  private readonly baseValues: Float64Array;
  private readonly routes: CompiledRoute[] = [];
  // The techniques, in the order they write a frame (visual/technique.ts).
  private readonly sections: SectionMix;
  private readonly latents: LatentMixer;
  private readonly noise: NoiseLoops;
  private readonly bends: Bends;
  private readonly post: Post;
  private readonly steps: DirectionSteps;
  private readonly classSteer: ClassSteer | null;
  /** What the techniques read besides their targets; one object, refreshed per frame. */
  private readonly tf: TechniqueFrame;
  private readonly ring: FrameParams[] = [];
  private ringAt = 0;
  private last: FrameParams | null = null;
  private readonly s: Record<string, Slot>;
  /** `noise.strength.3`, `latents.chords.weights.7` …: one element of a multi-value target, as targets() names it. */
  private readonly elementOffsets = new Map<string, number>();
  private readonly onOverride = (value: number, name: string): void => {
    if (!Number.isFinite(value)) return;
    const slot = this.slots.get(name);
    if (slot) {
      for (let i = 0; i < slot.length; i++) this.values[slot.offset + i] = value;
      return;
    }
    const at = this.elementOffsets.get(name);
    if (at !== undefined) this.values[at] = value;
  };

  constructor(spec: MappingSpec, opts: CompileOptions) {
    this.spec = spec;
    const m = (this.m = opts.manifest);
    const warnOutside = (where: string, spec: string | number | undefined): number[] => {
      const r = resolveLayers(spec, m);
      if (r.outside.length) opts.warn(`${where}: layers ${r.outside.join(', ')} are beyond this model's ${m.numWs} W rows; ignored`);
      return r.rows;
    };

    // Target slots: every concrete name this file can reach.
    let offset = 0;
    const addSlot = (name: string, def: TargetDef, length: number): Slot => {
      const slot = { name, def, offset, length };
      offset += length;
      this.slots.set(name, slot);
      return slot;
    };
    for (const def of TARGETS) {
      if (def.pattern) continue;
      const len =
        def.shape === 'layers'
          ? def.elements === 'noiseIndex'
            ? m.numNoise
            : def.elements === 'bendIndex'
              ? m.numBend
              : m.numRewrite
          : 1;
      addSlot(def.name, def, len);
    }
    const tdef = (name: string): TargetDef => TARGETS.find((d) => d.name === name)!;
    for (const [g, gs] of Object.entries(spec.latents)) {
      const bankLen = opts.banks.get(gs.bank)!.length;
      addSlot(`latents.${g}.mix`, tdef('latents.<name>.mix'), 1);
      if (gs.mode === 'weights') addSlot(`latents.${g}.weights`, tdef('latents.<name>.weights'), bankLen);
      if (gs.mode === 'index') addSlot(`latents.${g}.index`, tdef('latents.<name>.index'), 1);
    }
    for (const p of Object.keys(spec.pulls)) addSlot(`pulls.${p}`, tdef('pulls.<name>'), 1);
    for (const [b, bs] of Object.entries(spec.banks)) if (bs.capture !== undefined) addSlot(`banks.${b}.capture`, tdef('banks.<name>.capture'), 1);
    const maskNames = Object.keys(spec.noise?.masks ?? {});
    for (const k of maskNames) addSlot(`noise.mask.${k}`, tdef('noise.mask.<name>'), 1);
    // Directions are the model's, not declared in the file: a slot (one amount per W row) for each one a route moves.
    const directionRoutes = new Map<string, number>();
    spec.routes.forEach((r, i) => {
      const f = findTarget(r.target);
      if (f?.def.name === 'direction.<k>' && !directionRoutes.has(r.target)) {
        directionRoutes.set(r.target, i);
        addSlot(r.target, f.def, m.numWs);
      }
    });
    this.values = new Float64Array(offset);
    this.baseValues = new Float64Array(offset);
    for (const slot of this.slots.values()) {
      let base = slot.def.base;
      if (slot.name === 'noise.loop') base = spec.noise ? 1 : 0;
      this.baseValues.fill(base, slot.offset, slot.offset + slot.length);
    }
    const S = (name: string): Slot => this.slots.get(name)!;
    this.s = Object.fromEntries([...this.slots.entries()]);
    for (const slot of this.slots.values()) {
      if (slot.length > 1) for (let i = 0; i < slot.length; i++) this.elementOffsets.set(`${slot.name}.${i}`, slot.offset + i);
    }

    // Sections and cues, then the latent techniques whose generators they weight.
    this.sections = new SectionMix(spec.sections, { scene: S('scene'), auto: S('scene.auto'), position: S('section.position') });
    const fail = (path: Array<string | number>, message: string): Error => new MappingError(path, message);
    for (const name of Object.keys(spec.banks)) if (!opts.banks.get(name)) throw fail(['banks', name], `bank '${name}' was not loaded`);
    this.latents = new LatentMixer({
      numWs: m.numWs,
      wDim: m.wDim,
      wAvg: opts.wAvg,
      banks: Object.entries(spec.banks).map(([name, bs]) => ({
        name,
        vectors: opts.banks.get(name)!,
        ...(bs.capture !== undefined ? { capture: { size: bs.capture, slot: S(`banks.${name}.capture`) } } : {}),
      })),
      generators: Object.entries(spec.latents).map(([name, gs]) => ({
        name,
        spec: gs,
        rows: warnOutside(`latents.${name}`, gs.layers),
        mix: S(`latents.${name}.mix`),
        weights: gs.mode === 'weights' ? S(`latents.${name}.weights`) : null,
        index: gs.mode === 'index' ? S(`latents.${name}.index`) : null,
      })),
      pulls: Object.entries(spec.pulls).map(([name, ps]) => ({ name, bank: ps.bank, index: ps.index, rows: warnOutside(`pulls.${name}`, ps.layers), slot: S(`pulls.${name}`) })),
      loopSpeed: S('loop.speed'),
      setsOf: (g) => this.sections.setsOf(g),
      setWeights: this.sections.weights,
      fail,
    });

    // Steps along the model's directions, and toward a class, on top of the mixed latents.
    this.steps = createDirectionSteps({
      numWs: m.numWs,
      wDim: m.wDim,
      directions: opts.directions ?? null,
      wanted: [...directionRoutes].map(([name, route]) => ({ name, ref: directionRef(name), slot: S(name), path: ['routes', route, 'target'] })),
      fail,
    });
    this.classSteer = opts.classMeans && opts.classMeans.length > 0 ? new ClassSteer(m.numWs, m.wDim, opts.classMeans, S('class')) : null;

    // Noise loops and masks.
    this.noise = compileNoise(spec, m, opts.file, maskNames, S);
    this.bends = new Bends(m.numBend, m.layers, {
      zoom: S('bend.zoom'),
      rotate: S('bend.rotate'),
      tx: S('bend.tx'),
      ty: S('bend.ty'),
      scrollX: S('bend.scrollX'),
      scrollY: S('bend.scrollY'),
      mirrorX: S('bend.mirrorX'),
      mirrorY: S('bend.mirrorY'),
    });
    this.post = new Post(
      TARGETS.filter((d) => d.group === 'post').map((d) => ({ key: d.name.slice('post.'.length) as keyof FrameParams['post'], slot: S(d.name), flag: d.flag === true })),
    );
    this.tf = { dt: 0, clock: { bars: 0, dBeats: 0, dBars: 0, beatTick: false, barTick: false }, controls: { values: new Map(), targets: new Map(), scene: 0, blackout: false, freeze: false } };

    spec.routes.forEach((r, i) => this.routes.push(this.compileRoute(r, i, opts)));

    for (let i = 0; i < RING; i++) this.ring.push(this.newParams());
  }

  private compileRoute(r: RouteSpec, i: number, opts: CompileOptions): CompiledRoute {
    const sources = Array.isArray(r.source) ? r.source : [r.source];
    const readers = sources.map((s, k) => {
      try {
        return compileSource(s);
      } catch (e) {
        throw new MappingError(['routes', i, 'source', ...(sources.length > 1 ? [k] : [])], e instanceof Error ? e.message : String(e));
      }
    });
    const width = readers[0]!.width;
    const found = findTarget(r.target)!;
    const slot = this.slots.get(r.target);
    if (!slot) throw new MappingError(['routes', i, 'target'], `target '${r.target}' is not declared in this file`);
    let targets: number[];
    let elementwise = false;
    if (found.def.shape === 'layers') {
      const rows = resolveLayers(r.layers, this.m);
      if (rows.outside.length) opts.warn(`routes[${i}] (${r.target}): layers ${rows.outside.join(', ')} are beyond this model's ${this.m.numWs} W rows; ignored`);
      const els = layerElements(rows.rows, this.m, found.def.elements!);
      if (els.length === 0) opts.warn(`routes[${i}] (${r.target}): layers '${r.layers ?? 'all'}' reach no ${found.def.elements === 'wRow' ? 'W row' : `${found.def.elements!.replace('Index', '')} input`} of this model; the route does nothing`);
      targets = els.map((e) => slot.offset + e);
    } else if (found.def.shape === 'bank') {
      if (width > 1 && width !== slot.length) {
        throw new MappingError(['routes', i, 'target'], `'${String(sources[0])}' has ${width} values but '${r.target}' has ${slot.length} latents; give the bank ${width} latents`);
      }
      elementwise = width > 1;
      targets = Array.from({ length: slot.length }, (_, e) => slot.offset + e);
    } else targets = [slot.offset];
    const combineMod = r.modifiers[0]?.combine as CombineMode | undefined;
    const mods: ModifierInstance[] = [];
    let smoothsItself = false;
    r.modifiers.forEach((mod) => {
      const [key, value] = Object.entries(mod).find(([, v]) => v !== undefined)!;
      if (key === 'combine') return;
      if (key === 'smooth' || key === 'gaussian' || key === 'envelope' || key === 'quantise') smoothsItself = true;
      mods.push(MODIFIER_BY_KEY.get(key)!.create(value, width));
    });
    const smoothMs = r.smoothMs ?? (smoothsItself ? 0 : found.def.smoothMs);
    return {
      readers,
      width,
      buf: new Float64Array(width * readers.length),
      combineMode: combineMod ?? null,
      mods,
      smoothMs,
      smoothState: new Float64Array(width),
      primed: false,
      targets: Int32Array.from(targets),
      elementwise,
      op: r.op,
    };
  }

  private newParams(): FrameParams {
    return newFrameParams(this.m);
  }

  /**
   * One frame. The returned FrameParams is one of a ring of three reused buffers: it stays valid for the next
   * two frames; copy it to keep it longer.
   */
  frame(ctx: FrameContext, clock: MusicalClock): FrameParams {
    const v = this.values;
    v.set(this.baseValues);

    // Routes.
    for (let r = 0; r < this.routes.length; r++) this.runRoute(this.routes[r]!, ctx);
    // Explicit overrides from the performer (OSC/ws/MIDI `/latentvj/param/<target>`), by target name.
    if (ctx.controls.targets.size > 0) ctx.controls.targets.forEach(this.onOverride);

    const p = this.ring[this.ringAt]!;
    this.ringAt = (this.ringAt + 1) % RING;
    p.frame = ctx.frame;
    p.t = ctx.t;

    // The techniques, each writing its own part of the params.
    const tf = this.tf;
    tf.dt = ctx.dt;
    tf.clock = clock;
    tf.controls = ctx.controls;
    this.sections.frame(v, tf, p);
    this.latents.frame(v, tf, p);
    this.classSteer?.frame(v, tf, p);
    this.steps.frame(v, tf, p);
    this.noise.frame(v, tf, p);
    this.bends.frame(v, tf, p);
    const rw = this.s['rewrite.strength']!;
    for (let i = 0; i < rw.length; i++) p.rewrite[i] = v[rw.offset + i]!;
    p.truncation = v[this.s['truncation']!.offset]!;
    this.post.frame(v, tf, p);
    this.last = p;
    return p;
  }

  private runRoute(r: CompiledRoute, ctx: FrameContext): void {
    const x = r.buf;
    const w = r.width;
    for (let k = 0; k < r.readers.length; k++) if (!r.readers[k]!.read(ctx, x, k * w)) return;
    if (r.combineMode) combine(r.combineMode, x, r.readers.length, w);
    for (let k = 0; k < r.mods.length; k++) r.mods[k]!.apply(x, w, ctx);
    if (r.smoothMs > 0) {
      const st = r.smoothState;
      const a = r.primed ? 1 - Math.exp(-ctx.dt / (r.smoothMs / 1000)) : 1;
      for (let i = 0; i < w; i++) {
        st[i] = st[i]! + (x[i]! - st[i]!) * a;
        x[i] = st[i]!;
      }
      r.primed = true;
    }
    const v = this.values;
    const tg = r.targets;
    for (let e = 0; e < tg.length; e++) {
      const val = r.elementwise ? x[e]! : x[0]!;
      const o = tg[e]!;
      if (!Number.isFinite(val)) continue; // a NaN from a bad control never reaches the picture
      switch (r.op) {
        case 'set':
          v[o] = val;
          break;
        case 'add':
          v[o] = v[o]! + val;
          break;
        case 'mul':
          v[o] = v[o]! * val;
          break;
        case 'max':
          if (val > v[o]!) v[o] = val;
          break;
        case 'min':
          if (val < v[o]!) v[o] = val;
          break;
      }
    }
  }

  /** The scenes a performer recalls: the section sets' names in file order. */
  sceneNames(): readonly string[] {
    return this.sections.names;
  }

  /** Resolved target values by name (`truncation`, `noise.strength.3`, `latents.chords.weights.7` …) for the monitor and the control API. */
  targets(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const slot of this.slots.values()) {
      if (slot.length === 1) out[slot.name] = this.values[slot.offset]!;
      else for (let i = 0; i < slot.length; i++) out[`${slot.name}.${i}`] = this.values[slot.offset + i]!;
    }
    out['section.effective'] = this.sections.position;
    return out;
  }

  /** The resolved state of the last frame, for `trace` (allocates; not for the per-frame path). */
  resolved(): ResolvedState {
    const p = this.last;
    const v = this.values;
    return {
      ...this.latents.resolved(),
      section: this.sections.position,
      noiseStrength: p ? Array.from(p.noiseStrength) : [],
      noiseFast: v[this.s['noise.fast']!.offset]!,
      bend: this.bends.resolved(v),
      rewrite: p ? Array.from(p.rewrite) : [],
      truncation: p ? p.truncation : 1,
      scene: p ? p.scene : 0,
      directions: this.steps.resolved(v),
      class: this.classSteer ? this.classSteer.value : -1,
    };
  }
}

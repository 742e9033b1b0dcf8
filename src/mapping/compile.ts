import { dirname, isAbsolute, join } from 'node:path';
import type { Manifest } from '../contracts/model.js';
import { newFrameParams, type Bend, type FrameParams } from '../contracts/frameParams.js';
import { angleAround, catmullRomCoefs, slerpCoefs } from '../visual/interp.js';
import { CueState, sectionWeights } from '../visual/sections.js';
import { defaultNoiseFields, rasteriseMask, writeNoiseRow, type MaskShape, type NoiseFields } from '../visual/noise.js';
import { bendAspects, wrapShift, writeBendMatrix } from '../contracts/bend.js';
import type { FrameContext } from './frameContext.js';
import type { MusicalClock } from './clock.js';
import { layerElements, resolveLayers } from './layers.js';
import { MappingError } from './load.js';
import { MODIFIER_BY_KEY, combine, type CombineMode, type ModifierInstance } from './modifiers.js';
import type { MappingSpec, NoiseLoopSpec, RouteSpec } from './schema.js';
import { compileSource, type SourceReader } from './sources.js';
import { TARGETS, findTarget, type TargetDef } from './targets.js';

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

interface Generator {
  name: string;
  bank: string;
  mode: 'weights' | 'loop' | 'index';
  /** Global latent index of the bank's first vector (index 0 is w_avg). */
  base: number;
  n: number;
  order: number[];
  interp: 'slerp' | 'spline' | 'linear';
  bars: number;
  /** Slerp angle between order[i] and order[i+1] (mode loop) or bank i and i+1 (mode index). */
  omegas: Float64Array;
  weightsSlot: Slot | null;
  mixSlot: Slot;
  indexSlot: Slot | null;
  loopBars: number;
  position: number;
  /** The generator's own coefficients this frame, over global latent indices. */
  coefIdx: Int32Array;
  coefVal: Float64Array;
  ncoef: number;
  /** Weight of each bank latent this frame (for inspection). */
  bankWeights: Float64Array;
  effMix: number;
}

interface Pull {
  name: string;
  latent: number;
  slot: Slot;
}

interface Segment {
  rows: number[];
  gens: Generator[];
  pulls: Pull[];
}

const RING = 3;

export class CompiledMapping {
  readonly spec: MappingSpec;
  private readonly m: Manifest;
  private readonly slots = new Map<string, Slot>();
  private readonly values: Float64Array;
  private readonly baseValues: Float64Array;
  private readonly routes: CompiledRoute[] = [];
  private readonly vecs: Float32Array[] = [];
  private readonly bankBase = new Map<string, number>();
  private readonly gens: Generator[] = [];
  private readonly pulls: Pull[] = [];
  private readonly segments: Segment[] = [];
  private readonly coef: Float64Array;
  private readonly setNames: string[];
  private readonly setWeights: Float64Array;
  private readonly genSets: number[][];
  private readonly crossfade: number;
  private readonly cue: CueState;
  private lastSceneTarget = -1;
  private lastSceneAuto = 0;
  private lastControlScene: number | string | undefined = undefined;
  private readonly noiseFields: NoiseFields;
  private readonly slowLoop: NoiseLoopSpec;
  private readonly fastLoop: NoiseLoopSpec;
  private slowTurns = 0;
  private fastTurns = 0;
  private readonly maskShapes: Float32Array;
  private readonly maskSlots: Array<Slot | null>;
  private readonly scrollX: Float64Array;
  private readonly scrollY: Float64Array;
  /** Width / height of each bendable layer: turns are made in square pixels. */
  private readonly bendAspect: Float64Array;
  private readonly captures: Array<{ bank: string; slot: Slot; prev: number; next: number }> = [];
  private readonly ring: FrameParams[] = [];
  private ringAt = 0;
  private last: FrameParams | null = null;
  private started = false;
  private sectionPos = 0;
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

    // Latents: index 0 is w_avg, then every bank in declaration order.
    this.vecs.push(opts.wAvg);
    for (const name of Object.keys(spec.banks)) {
      const vs = opts.banks.get(name);
      if (!vs) throw new MappingError(['banks', name], `bank '${name}' was not loaded`);
      this.bankBase.set(name, this.vecs.length);
      for (const v of vs) this.vecs.push(v);
    }
    this.coef = new Float64Array(this.vecs.length);

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

    // Latent generators.
    for (const [name, gs] of Object.entries(spec.latents)) {
      const base = this.bankBase.get(gs.bank)!;
      const n = opts.banks.get(gs.bank)!.length;
      if (n === 0) throw new MappingError(['latents', name, 'bank'], `bank '${gs.bank}' is empty`);
      const order = gs.order ?? Array.from({ length: n }, (_, i) => i);
      const badIdx = order.findIndex((i) => i >= n);
      if (badIdx >= 0) throw new MappingError(['latents', name, 'order', badIdx], `index ${order[badIdx]} is beyond bank '${gs.bank}' (${n} latents, 0…${n - 1})`);
      const gen: Generator = {
        name,
        bank: gs.bank,
        mode: gs.mode,
        base,
        n,
        order,
        interp: gs.interp,
        bars: gs.bars,
        omegas: new Float64Array(gs.mode === 'loop' ? order.length : n),
        weightsSlot: gs.mode === 'weights' ? S(`latents.${name}.weights`) : null,
        mixSlot: S(`latents.${name}.mix`),
        indexSlot: gs.mode === 'index' ? S(`latents.${name}.index`) : null,
        loopBars: 0,
        position: 0,
        coefIdx: new Int32Array(n + 5),
        coefVal: new Float64Array(n + 5),
        ncoef: 0,
        bankWeights: new Float64Array(n),
        effMix: 0,
      };
      this.computeOmegas(gen);
      this.gens.push(gen);
    }
    for (const [name, ps] of Object.entries(spec.pulls)) {
      const n = opts.banks.get(ps.bank)!.length;
      if (ps.index >= n) throw new MappingError(['pulls', name, 'index'], `index ${ps.index} is beyond bank '${ps.bank}' (${n} latents, 0…${n - 1})`);
      this.pulls.push({ name, latent: this.bankBase.get(ps.bank)! + ps.index, slot: S(`pulls.${name}`) });
    }

    // Segments: rows with the same generators and pulls share one computed W.
    const genRows = Object.entries(spec.latents).map(([g, gs]) => new Set(warnOutside(`latents.${g}`, gs.layers)));
    const pullRows = Object.entries(spec.pulls).map(([p, ps]) => new Set(warnOutside(`pulls.${p}`, ps.layers)));
    const byKey = new Map<string, Segment>();
    for (let r = 0; r < m.numWs; r++) {
      const gi = this.gens.map((_, i) => i).filter((i) => genRows[i]!.has(r));
      const pi = this.pulls.map((_, i) => i).filter((i) => pullRows[i]!.has(r));
      const key = gi.join(',') + '|' + pi.join(',');
      let seg = byKey.get(key);
      if (!seg) {
        seg = { rows: [], gens: gi.map((i) => this.gens[i]!), pulls: pi.map((i) => this.pulls[i]!) };
        byKey.set(key, seg);
        this.segments.push(seg);
      }
      seg.rows.push(r);
    }

    // Sections and cues.
    this.setNames = Object.keys(spec.sections?.sets ?? {});
    this.setWeights = new Float64Array(this.setNames.length);
    this.genSets = this.gens.map((g) => this.setNames.map((s, i) => (spec.sections!.sets[s]!.includes(g.name) ? i : -1)).filter((i) => i >= 0));
    this.crossfade = spec.sections?.crossfade ?? 0.5;
    this.cue = new CueState(spec.sections?.cueQuantise ?? 'bar', spec.sections?.cueFadeMs ?? 500);

    // Noise loops and masks.
    const K = m.noiseBank;
    const fields = defaultNoiseFields(K);
    const constField = typeof m.options?.noiseConstIndex === 'number' ? (m.options.noiseConstIndex as number) : 0;
    fields.constField = K > 0 ? Math.min(constField, K - 1) : 0;
    this.slowLoop = spec.noise?.slow ?? { periodBars: 8 };
    this.fastLoop = spec.noise?.fast ?? { periodBeats: 1 };
    for (const which of ['slow', 'fast'] as const) {
      const f = (which === 'slow' ? this.slowLoop : this.fastLoop).fields;
      if (!f) continue;
      const bad = f.find((i) => i >= K);
      if (bad !== undefined) throw new MappingError(['noise', which, 'fields'], `field ${bad} is beyond this model's noise bank (K = ${K}, fields 0…${K - 1})`);
      fields[which] = [f[0], f[1]];
    }
    this.noiseFields = fields;
    const R = m.maskRegions;
    const M2 = m.maskSize * m.maskSize;
    this.maskShapes = new Float32Array(R * M2);
    this.maskSlots = new Array<Slot | null>(R).fill(null);
    if (maskNames.length > R) {
      throw new MappingError(['noise', 'masks', maskNames[R]!], `this model has ${R} mask region${R === 1 ? '' : 's'}; '${maskNames[R]}' would be region ${R + 1}`);
    }
    if (maskNames.length === 0) {
      if (R > 0) this.maskShapes.fill(1, 0, M2);
    } else {
      maskNames.forEach((k, r) => {
        const ms = spec.noise!.masks[k]! as MaskShape;
        const shape: MaskShape = ms.shape === 'image' ? { ...ms, file: isAbsolute(ms.file) ? ms.file : join(dirname(opts.file), ms.file) } : ms;
        try {
          rasteriseMask(shape, m.maskSize, this.maskShapes, r * M2);
        } catch (e) {
          throw new MappingError(['noise', 'masks', k], `cannot read mask image: ${e instanceof Error ? e.message : String(e)}`);
        }
        this.maskSlots[r] = S(`noise.mask.${k}`);
      });
    }
    this.scrollX = new Float64Array(m.numBend);
    this.scrollY = new Float64Array(m.numBend);
    this.bendAspect = bendAspects(m.layers, m.numBend);

    for (const [b, bs] of Object.entries(spec.banks)) {
      if (bs.capture !== undefined) this.captures.push({ bank: b, slot: S(`banks.${b}.capture`), prev: 0, next: 0 });
    }

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
      if (els.length === 0) opts.warn(`routes[${i}] (${r.target}): layers '${r.layers ?? 'all'}' reach no ${found.def.elements!.replace('Index', '')} input of this model; the route does nothing`);
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

  private computeOmegas(g: Generator): void {
    const seq = g.mode === 'loop' ? g.order : Array.from({ length: g.n }, (_, i) => i);
    for (let i = 0; i < seq.length; i++) {
      const a = this.vecs[g.base + seq[i]!]!;
      const b = this.vecs[g.base + seq[(i + 1) % seq.length]!]!;
      g.omegas[i] = angleAround(a, b, this.vecs[0]!);
    }
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
    if (!this.started) {
      for (const g of this.gens) g.loopBars = clock.bars;
      this.started = true;
    }

    // Routes.
    for (let r = 0; r < this.routes.length; r++) this.runRoute(this.routes[r]!, ctx);
    // Explicit overrides from the performer (OSC/ws/MIDI `/latentvj/param/<target>`), by target name.
    if (ctx.controls.targets.size > 0) ctx.controls.targets.forEach(this.onOverride);

    const p = this.ring[this.ringAt]!;
    this.ringAt = (this.ringAt + 1) % RING;
    p.frame = ctx.frame;
    p.t = ctx.t;

    this.captureLatents();
    this.runSections(ctx, clock);
    this.runLatents(ctx, clock, p);
    this.runNoise(ctx, clock, p);
    this.runBends(ctx, p);
    const rw = this.s['rewrite.strength']!;
    for (let i = 0; i < rw.length; i++) p.rewrite[i] = v[rw.offset + i]!;
    p.truncation = v[this.s['truncation']!.offset]!;
    const post = p.post;
    post.brightness = v[this.s['post.brightness']!.offset]!;
    post.contrast = v[this.s['post.contrast']!.offset]!;
    post.hueShift = v[this.s['post.hueShift']!.offset]!;
    post.trails = v[this.s['post.trails']!.offset]!;
    post.crossfade = v[this.s['post.crossfade']!.offset]!;
    post.blackout = ctx.controls.blackout || v[this.s['post.blackout']!.offset]! >= 0.5;
    post.freeze = ctx.controls.freeze || v[this.s['post.freeze']!.offset]! >= 0.5;
    p.scene = this.currentScene(ctx);
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

  private captureLatents(): void {
    if (this.captures.length === 0) return;
    for (const c of this.captures) {
      const val = this.values[c.slot.offset]!;
      if (val >= 0.5 && c.prev < 0.5 && this.last) {
        const base = this.bankBase.get(c.bank)!;
        const n = this.spec.banks[c.bank]!.capture!;
        const dst = this.vecs[base + c.next]!;
        const { numWs, wDim } = this.m;
        dst.fill(0);
        const ws = this.last.ws;
        for (let r = 0; r < numWs; r++) for (let i = 0; i < wDim; i++) dst[i] = dst[i]! + ws[r * wDim + i]! / numWs;
        c.next = (c.next + 1) % n;
        for (const g of this.gens) if (g.bank === c.bank) this.computeOmegas(g);
      }
      c.prev = val;
    }
  }

  private runSections(ctx: FrameContext, clock: MusicalClock): void {
    const nSets = this.setNames.length;
    if (nSets === 0) return;
    const sceneVal = Math.round(this.values[this.s['scene']!.offset]!);
    if (sceneVal !== this.lastSceneTarget) {
      this.lastSceneTarget = sceneVal;
      if (sceneVal >= 0) this.cue.cue(Math.min(sceneVal, nSets - 1));
    }
    const autoVal = this.values[this.s['scene.auto']!.offset]!;
    if (autoVal >= 0.5 && this.lastSceneAuto < 0.5) this.cue.cue(-1);
    this.lastSceneAuto = autoVal;
    const cs = ctx.controls.scene;
    if (this.lastControlScene === undefined) this.lastControlScene = cs;
    else if (cs !== this.lastControlScene) {
      this.lastControlScene = cs;
      const idx = typeof cs === 'number' ? cs : cs === 'auto' ? -1 : this.setNames.indexOf(cs);
      if (typeof cs === 'string' && idx < 0 && cs !== 'auto') {
        // Unknown scene names are someone else's (e.g. a whole-mapping scene); leave the sections alone.
      } else this.cue.cue(idx < 0 ? -1 : Math.min(idx, nSets - 1));
    }
    const auto = this.values[this.s['section.position']!.offset]!;
    this.sectionPos = this.cue.position(auto, ctx.dt, clock.beatTick, clock.barTick);
    sectionWeights(this.sectionPos, this.crossfade, this.setWeights);
  }

  private runLatents(ctx: FrameContext, clock: MusicalClock, p: FrameParams): void {
    const v = this.values;
    const speed = v[this.s['loop.speed']!.offset]!;
    const tmp = scratch4;
    for (let gi = 0; gi < this.gens.length; gi++) {
      const g = this.gens[gi]!;
      let factor = 1;
      const sets = this.genSets[gi]!;
      if (this.setNames.length > 0 && sets.length > 0) {
        factor = 0;
        for (let k = 0; k < sets.length; k++) factor += this.setWeights[sets[k]!]!;
      }
      const mix = v[g.mixSlot.offset]!;
      g.effMix = (mix > 0 ? mix : 0) * factor;
      g.ncoef = 0;
      g.bankWeights.fill(0);
      if (g.mode === 'weights') {
        const ws = g.weightsSlot!;
        let sum = 0;
        for (let i = 0; i < g.n; i++) {
          const w = v[ws.offset + i]!;
          if (w > 0) sum += w;
        }
        for (let i = 0; i < g.n; i++) {
          const w = v[ws.offset + i]!;
          const c = sum > 1e-12 ? (w > 0 ? w / sum : 0) : 1 / g.n;
          g.bankWeights[i] = c;
          if (c !== 0) this.pushCoef(g, g.base + i, c);
        }
      } else if (g.mode === 'loop') {
        g.loopBars += clock.dBars * speed;
        const pos = g.loopBars / g.bars;
        g.position = pos - Math.floor(pos);
        const L = g.order.length;
        const u = g.position * L;
        const i = Math.floor(u) % L;
        const f = u - Math.floor(u);
        this.pathCoefs(g, g.order, i, f, L, tmp);
      } else {
        const idx = v[g.indexSlot!.offset]!;
        const n = g.n;
        const fl = Math.floor(idx);
        const i = ((fl % n) + n) % n;
        g.position = idx;
        this.pathCoefs(g, null, i, idx - fl, n, tmp);
      }
    }

    // Per segment: mix generators (normalised effective mixes), apply pulls, sum the vectors once.
    const { wDim } = this.m;
    const coef = this.coef;
    const vecs = this.vecs;
    const ws = p.ws;
    for (let si = 0; si < this.segments.length; si++) {
      const seg = this.segments[si]!;
      coef.fill(0);
      let total = 0;
      for (let k = 0; k < seg.gens.length; k++) total += seg.gens[k]!.effMix;
      if (total <= 1e-9) coef[0] = 1;
      else {
        for (let k = 0; k < seg.gens.length; k++) {
          const g = seg.gens[k]!;
          if (g.effMix <= 0) continue;
          const s = g.effMix / total;
          for (let j = 0; j < g.ncoef; j++) coef[g.coefIdx[j]!] = coef[g.coefIdx[j]!]! + s * g.coefVal[j]!;
        }
      }
      for (let k = 0; k < seg.pulls.length; k++) {
        const pl = seg.pulls[k]!;
        let s = v[pl.slot.offset]!;
        s = s < 0 ? 0 : s > 1 ? 1 : s;
        if (s === 0) continue;
        for (let i = 0; i < coef.length; i++) coef[i] = coef[i]! * (1 - s);
        coef[pl.latent] = coef[pl.latent]! + s;
      }
      const row0 = seg.rows[0]! * wDim;
      ws.fill(0, row0, row0 + wDim);
      for (let g = 0; g < coef.length; g++) {
        const c = coef[g]!;
        if (c > -1e-12 && c < 1e-12) continue;
        const vec = vecs[g]!;
        for (let i = 0; i < wDim; i++) ws[row0 + i] = ws[row0 + i]! + c * vec[i]!;
      }
      for (let k = 1; k < seg.rows.length; k++) ws.copyWithin(seg.rows[k]! * wDim, row0, row0 + wDim);
    }
  }

  /** Coefficients along a path of bank latents (a loop's `order`, or the bank itself): segment i, fraction f. */
  private pathCoefs(g: Generator, order: number[] | null, i: number, f: number, L: number, tmp: Float64Array): void {
    if (g.interp === 'spline') {
      catmullRomCoefs(f, tmp);
      for (let k = 0; k < 4; k++) this.addBank(g, pathAt(order, i - 1 + k, L), tmp[k]!);
    } else {
      if (g.interp === 'slerp') slerpCoefs(g.omegas[i]!, f, tmp);
      else {
        tmp[0] = 1 - f;
        tmp[1] = f;
      }
      this.addBank(g, pathAt(order, i, L), tmp[0]!);
      this.addBank(g, pathAt(order, i + 1, L), tmp[1]!);
      // Slerp around w_avg: the centre takes what the two do not.
      this.pushCoef(g, 0, 1 - tmp[0]! - tmp[1]!);
    }
  }

  private addBank(g: Generator, bankIndex: number, c: number): void {
    g.bankWeights[bankIndex] = g.bankWeights[bankIndex]! + c;
    this.pushCoef(g, g.base + bankIndex, c);
  }

  private pushCoef(g: Generator, idx: number, c: number): void {
    g.coefIdx[g.ncoef] = idx;
    g.coefVal[g.ncoef] = c;
    g.ncoef++;
  }

  private runNoise(ctx: FrameContext, clock: MusicalClock, p: FrameParams): void {
    const m = this.m;
    const v = this.values;
    const speed = v[this.s['noise.speed']!.offset]!;
    this.slowTurns = advance(this.slowTurns, this.slowLoop, clock, ctx.dt, speed);
    this.fastTurns = advance(this.fastTurns, this.fastLoop, clock, ctx.dt, speed);
    const K = m.noiseBank;
    if (K > 0 && m.numNoise > 0) {
      writeNoiseRow(p.noiseMix, 0, K, this.noiseFields, v[this.s['noise.loop']!.offset]!, v[this.s['noise.fast']!.offset]!, this.slowTurns, this.fastTurns);
      for (let j = 1; j < m.numNoise; j++) p.noiseMix.copyWithin(j * K, 0, K);
    }
    const ns = this.s['noise.strength']!;
    for (let i = 0; i < ns.length; i++) {
      const s = v[ns.offset + i]!;
      p.noiseStrength[i] = s > 0 ? s : 0;
    }
    // Region strengths are folded into the masks, so Σ_r mask[r] is the per-pixel noise multiplier.
    const M2 = m.maskSize * m.maskSize;
    for (let r = 0; r < m.maskRegions; r++) {
      const slot = this.maskSlots[r];
      const s = slot ? v[slot.offset]! : 1;
      const o = r * M2;
      for (let i = 0; i < M2; i++) p.noiseMask[o + i] = this.maskShapes[o + i]! * s;
    }
  }

  private runBends(ctx: FrameContext, p: FrameParams): void {
    const n = this.m.numBend;
    if (n === 0) return;
    const v = this.values;
    const S = this.s;
    const zoom = S['bend.zoom']!.offset;
    const rot = S['bend.rotate']!.offset;
    const tx = S['bend.tx']!.offset;
    const ty = S['bend.ty']!.offset;
    const sx = S['bend.scrollX']!.offset;
    const sy = S['bend.scrollY']!.offset;
    const mx = S['bend.mirrorX']!.offset;
    const my = S['bend.mirrorY']!.offset;
    for (let j = 0; j < n; j++) {
      this.scrollX[j] = wrapShift(this.scrollX[j]! + v[sx + j]! * ctx.dt);
      this.scrollY[j] = wrapShift(this.scrollY[j]! + v[sy + j]! * ctx.dt);
      writeBendMatrix(
        p.bend,
        j * 6,
        v[zoom + j]!,
        v[rot + j]!,
        v[tx + j]! + this.scrollX[j]!,
        v[ty + j]! + this.scrollY[j]!,
        v[mx + j]! >= 0.5,
        v[my + j]! >= 0.5,
        this.bendAspect[j]!,
      );
    }
  }

  private currentScene(ctx: FrameContext): number | string {
    if (this.setNames.length === 0) return ctx.controls.scene;
    let best = 0;
    for (let i = 1; i < this.setWeights.length; i++) if (this.setWeights[i]! > this.setWeights[best]!) best = i;
    return this.setNames[best]!;
  }

  /** Resolved target values by name (`truncation`, `noise.strength.3`, `latents.chords.weights.7` …) for the monitor and the control API. */
  targets(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const slot of this.slots.values()) {
      if (slot.length === 1) out[slot.name] = this.values[slot.offset]!;
      else for (let i = 0; i < slot.length; i++) out[`${slot.name}.${i}`] = this.values[slot.offset + i]!;
    }
    out['section.effective'] = this.sectionPos;
    return out;
  }

  /** The resolved state of the last frame, for `trace` (allocates; not for the per-frame path). */
  resolved(): ResolvedState {
    const p = this.last;
    const latentWeights: Record<string, number[]> = {};
    const latentMix: Record<string, number> = {};
    const loop: Record<string, number> = {};
    for (const g of this.gens) {
      const acc = (latentWeights[g.bank] ??= new Array<number>(g.n).fill(0));
      for (let i = 0; i < g.n; i++) acc[i] = acc[i]! + g.bankWeights[i]!;
      latentMix[g.name] = g.effMix;
      if (g.mode === 'loop') loop[g.name] = g.position;
    }
    const bend: Bend[] = [];
    const S = this.s;
    const v = this.values;
    for (let j = 0; j < this.m.numBend; j++) {
      bend.push({
        layer: j,
        zoom: v[S['bend.zoom']!.offset + j]!,
        rotate: v[S['bend.rotate']!.offset + j]!,
        tx: wrapShift(v[S['bend.tx']!.offset + j]! + this.scrollX[j]!),
        ty: wrapShift(v[S['bend.ty']!.offset + j]! + this.scrollY[j]!),
        mirrorX: v[S['bend.mirrorX']!.offset + j]! >= 0.5,
        mirrorY: v[S['bend.mirrorY']!.offset + j]! >= 0.5,
      });
    }
    return {
      latentWeights,
      latentMix,
      loop,
      section: this.sectionPos,
      noiseStrength: p ? Array.from(p.noiseStrength) : [],
      noiseFast: v[S['noise.fast']!.offset]!,
      bend,
      rewrite: p ? Array.from(p.rewrite) : [],
      truncation: p ? p.truncation : 1,
      scene: p ? p.scene : 0,
    };
  }
}

const scratch4 = new Float64Array(4);

/** Bank index of step k of a path (wrapping), through `order` when given. */
function pathAt(order: number[] | null, k: number, L: number): number {
  const j = ((k % L) + L) % L;
  return order ? order[j]! : j;
}

function advance(turns: number, loop: NoiseLoopSpec, clock: MusicalClock, dt: number, speed: number): number {
  let d: number;
  if (loop.periodS !== undefined) d = dt / loop.periodS;
  else if (loop.periodBeats !== undefined) d = clock.dBeats / loop.periodBeats;
  else d = clock.dBars / (loop.periodBars ?? 8);
  const next = turns + d * speed;
  return next - Math.floor(next);
}

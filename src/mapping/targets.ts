/**
 * The table of route targets: what a mapping can move each frame. The schema (completion list), the docs and
 * the compiled target slots are generated from it. Names with `<name>` refer to something declared in the
 * same mapping file (a latent generator, a bank, a pull, a mask).
 */

/** What one element of a `layers` target is: a noise / bend / rewrite input of the manifest, or a W+ row. */
export type TargetElements = 'noiseIndex' | 'bendIndex' | 'rewriteIndex' | 'wRow';

export interface TargetDef {
  name: string;
  pattern?: RegExp;
  /** Which declared object `<name>` must name. */
  ref?: 'latents' | 'banks' | 'pulls' | 'masks';
  /** scalar: one value; layers: one value per noise / bend / rewrite input or W+ row, chosen with `layers:`; bank: one per latent of the bank. */
  shape: 'scalar' | 'layers' | 'bank';
  elements?: TargetElements;
  /** Base value each frame before routes apply (`noise.loop` depends on the file, see compile). */
  base: number;
  /** Default causal smoothing of a route into this target (ms), so nothing jitters at 60 fps; `smoothMs` on a route overrides. */
  smoothMs: number;
  group: 'latents' | 'noise' | 'bend' | 'rewrite' | 'post' | 'scene';
  /** An on/off target: on while ≥ 0.5. */
  flag?: true;
  doc: string;
}

function t(d: TargetDef): TargetDef {
  return d;
}

export const TARGETS: TargetDef[] = [
  t({ name: 'truncation', shape: 'scalar', base: 1, smoothMs: 80, group: 'latents', doc: 'ψ of the truncation trick toward w_avg: 1 = none, 0 = the average picture; > 1 exaggerates.' }),
  t({
    name: 'latents.<name>.weights',
    pattern: /^latents\.([^.]+)\.weights$/,
    ref: 'latents',
    shape: 'bank',
    base: 1,
    smoothMs: 0,
    group: 'latents',
    doc: 'Weights of the bank latents of a `mode: weights` generator, one per latent (a 12-value chroma fits a 12-latent bank); normalised to sum 1.',
  }),
  t({
    name: 'latents.<name>.mix',
    pattern: /^latents\.([^.]+)\.mix$/,
    ref: 'latents',
    shape: 'scalar',
    base: 1,
    smoothMs: 80,
    group: 'latents',
    doc: 'How much a generator counts where generators overlap (per layer, mixes are normalised).',
  }),
  t({
    name: 'latents.<name>.index',
    pattern: /^latents\.([^.]+)\.index$/,
    ref: 'latents',
    shape: 'scalar',
    base: 0,
    smoothMs: 80,
    group: 'latents',
    doc: 'Position in the bank of a `mode: index` generator; fractions slerp between neighbours, wrapping around.',
  }),
  t({
    name: 'direction.<k>',
    pattern: /^direction\.((?:(?:ganspace|sefa)\.)?\d+)$/,
    shape: 'layers',
    elements: 'wRow',
    base: 0,
    smoothMs: 80,
    group: 'latents',
    doc: "Step along the model's stored latent direction k (`latentvj directions`), in σ (the spread of W along it): w += amount·σ·v on the W+ rows of `layers:` (all by default). `direction.3` is GANSpace component 3, `direction.sefa.3` the SeFa one.",
  }),
  t({
    name: 'class',
    shape: 'scalar',
    base: -1,
    smoothMs: 0,
    group: 'latents',
    doc: 'Class of a class-conditional model: every W row moves by μ_k − μ_0, the difference between the mean W of class k and of class 0 (the class seed, z and file banks are mapped with); fractions blend neighbouring class means, and k wraps around the classes (a `section` count cycles through them); −1 (the base) leaves the latents as the banks made them.',
  }),
  t({ name: 'loop.speed', shape: 'scalar', base: 1, smoothMs: 0, group: 'latents', doc: 'Speed of every latent loop (1 = one cycle per `bars`, locked to the bar phase; 0 stops).' }),
  t({
    name: 'pulls.<name>',
    pattern: /^pulls\.([^.]+)$/,
    ref: 'pulls',
    shape: 'scalar',
    base: 0,
    smoothMs: 0,
    group: 'latents',
    doc: 'Strength 0..1 with which a pull draws its layers toward its latent (w ← w + s·(target − w)).',
  }),
  t({
    name: 'banks.<name>.capture',
    pattern: /^banks\.([^.]+)\.capture$/,
    ref: 'banks',
    shape: 'scalar',
    base: 0,
    smoothMs: 0,
    group: 'latents',
    doc: 'Rising through 0.5 stores the current picture\'s latent (mean W of the frame) in the next slot of a `capture` bank.',
  }),
  t({ name: 'section.position', shape: 'scalar', base: 0, smoothMs: 0, group: 'scene', doc: 'Which section set plays: 0 = the first, 1 = the second …; fractions crossfade (see `sections.crossfade`).' }),
  t({ name: 'scene', shape: 'scalar', base: -1, smoothMs: 0, group: 'scene', doc: 'Cue a section set by number when the value changes to it (0 = the first set); it switches on the next beat or bar (`sections.cueQuantise`). −1 (the base) is idle, so pads can map release to −1 (use `op: max` for several pads).' }),
  t({ name: 'scene.auto', shape: 'scalar', base: 0, smoothMs: 0, group: 'scene', doc: 'Rising through 0.5 ends a cue: back to the automatic `section.position` on the next beat or bar.' }),
  t({ name: 'noise.strength', shape: 'layers', elements: 'noiseIndex', base: 1, smoothMs: 0, group: 'noise', doc: 'Noise amplitude per noise layer (1 = the model\'s own), chosen with `layers:`.' }),
  t({ name: 'noise.loop', shape: 'scalar', base: 1, smoothMs: 80, group: 'noise', doc: '0 = the checkpoint\'s constant noise, 1 = the looping noise fields (default 1 when the file has a `noise` section, else 0).' }),
  t({ name: 'noise.fast', shape: 'scalar', base: 0, smoothMs: 80, group: 'noise', doc: 'Mix of the fast noise loop into the slow one, 0..1 (cos/sin mix: the variance stays 1).' }),
  t({ name: 'noise.speed', shape: 'scalar', base: 1, smoothMs: 0, group: 'noise', doc: 'Speed multiplier of both noise loops.' }),
  t({
    name: 'noise.mask.<name>',
    pattern: /^noise\.mask\.([^.]+)$/,
    ref: 'masks',
    shape: 'scalar',
    base: 1,
    smoothMs: 0,
    group: 'noise',
    doc: 'Strength of the noise inside one spatial mask region (drive each region with a different feature).',
  }),
  t({ name: 'bend.zoom', shape: 'layers', elements: 'bendIndex', base: 1, smoothMs: 60, group: 'bend', doc: 'Zoom of the feature maps after a bendable layer (2 = magnify twice).' }),
  t({ name: 'bend.rotate', shape: 'layers', elements: 'bendIndex', base: 0, smoothMs: 60, group: 'bend', doc: 'Rotation in turns (1 = 360°), counter-clockwise.' }),
  t({ name: 'bend.tx', shape: 'layers', elements: 'bendIndex', base: 0, smoothMs: 60, group: 'bend', doc: 'Horizontal shift in feature-map widths; wraps every 2 widths, seamless with reflection padding.' }),
  t({ name: 'bend.ty', shape: 'layers', elements: 'bendIndex', base: 0, smoothMs: 60, group: 'bend', doc: 'Vertical shift in feature-map heights; wraps like tx.' }),
  t({ name: 'bend.scrollX', shape: 'layers', elements: 'bendIndex', base: 0, smoothMs: 60, group: 'bend', doc: 'Horizontal scroll speed in widths per second (integrated into tx, wraps seamlessly).' }),
  t({ name: 'bend.scrollY', shape: 'layers', elements: 'bendIndex', base: 0, smoothMs: 60, group: 'bend', doc: 'Vertical scroll speed in heights per second.' }),
  t({ name: 'bend.mirrorX', shape: 'layers', elements: 'bendIndex', base: 0, smoothMs: 0, group: 'bend', doc: 'Mirror left-right while ≥ 0.5.' }),
  t({ name: 'bend.mirrorY', shape: 'layers', elements: 'bendIndex', base: 0, smoothMs: 0, group: 'bend', doc: 'Mirror top-bottom while ≥ 0.5.' }),
  t({ name: 'rewrite.strength', shape: 'layers', elements: 'rewriteIndex', base: 0, smoothMs: 60, group: 'rewrite', doc: 'Strength a of the model rewrite of a layer (W′ = W + a·ΔW); 0 = the original weights.' }),
  t({ name: 'post.brightness', shape: 'scalar', base: 0, smoothMs: 50, group: 'post', doc: 'Output brightness offset (0 = unchanged).' }),
  t({ name: 'post.contrast', shape: 'scalar', base: 1, smoothMs: 50, group: 'post', doc: 'Output contrast multiplier.' }),
  t({ name: 'post.hueShift', shape: 'scalar', base: 0, smoothMs: 50, group: 'post', doc: 'Hue rotation in turns.' }),
  t({ name: 'post.trails', shape: 'scalar', base: 0, smoothMs: 50, group: 'post', doc: 'Feedback trails 0..1.' }),
  t({ name: 'post.crossfade', shape: 'scalar', base: 0, smoothMs: 50, group: 'post', doc: 'Crossfade between the previous and the new picture on the display, 0..1.' }),
  t({ name: 'post.blackout', shape: 'scalar', base: 0, smoothMs: 0, group: 'post', flag: true, doc: 'Black screen while ≥ 0.5 (also on the control state\'s blackout).' }),
  t({ name: 'post.freeze', shape: 'scalar', base: 0, smoothMs: 0, group: 'post', flag: true, doc: 'Hold the picture while ≥ 0.5 (also on the control state\'s freeze).' }),
];

const EXACT = new Map(TARGETS.filter((d) => !d.pattern).map((d) => [d.name, d]));
const PATTERNED = TARGETS.filter((d) => d.pattern);

export function findTarget(name: string): { def: TargetDef; ref: string | null } | null {
  const exact = EXACT.get(name);
  if (exact) return { def: exact, ref: null };
  for (const def of PATTERNED) {
    const m = def.pattern!.exec(name);
    if (m) return { def, ref: m[1]! };
  }
  return null;
}

/**
 * Names a misspelt target may have meant: every exact name, and every `<name>` pattern filled with the name the
 * performer wrote in that place (`latents.chords.weight` → `latents.chords.weights`, `latents.chords.mix`, …), so
 * "did you mean" can offer a patterned target too.
 */
export function targetNameCandidates(written: string): string[] {
  const parts = written.split('.');
  const out = [...EXACT.keys()];
  for (const def of PATTERNED) {
    const slots = def.name.split('.');
    const at = slots.findIndex((x) => /^<\w+>$/.test(x));
    out.push(def.name.replace(/<\w+>/, parts[at] ?? 'name'));
  }
  return out;
}

/** `direction.3` → GANSpace component 3; `direction.sefa.2` → SeFa 2 (for a name that matched the target's pattern). */
export function directionRef(name: string): { method: 'ganspace' | 'sefa'; index: number } {
  const parts = name.split('.');
  return parts.length === 3 ? { method: parts[1] as 'ganspace' | 'sefa', index: Number(parts[2]) } : { method: 'ganspace', index: Number(parts[1]) };
}

export function targetCompletions(): { names: string[]; patterns: string[] } {
  return { names: [...EXACT.keys()], patterns: PATTERNED.map((d) => d.pattern!.source) };
}

import { z } from 'zod';
import { LAYER_SPEC_HELP, LAYER_SPEC_PATTERN } from './layers.js';
import { MODIFIERS, MODIFIER_KEYS } from './modifiers.js';
import { findSource, sourceCompletions, unknownSourceMessage } from './sources.js';
import { closestName } from '../didYouMean.js';
import { TARGETS, findTarget, targetCompletions, targetNameCandidates } from './targets.js';

/**
 * The mapping file format (YAML or JSON), built from the source, modifier and target tables. The same schema
 * validates files on load (errors: `file:line:col: key: what was expected`) and is published as JSON Schema
 * in mappings/schema.json for editor completion (see jsonSchema.ts).
 */

const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, { message: 'expected a name of letters, digits, _ or -' });

const layersSpec = z
  .union([z.number().int().min(0), z.string().regex(LAYER_SPEC_PATTERN, { message: `expected ${LAYER_SPEC_HELP}` })], {
    error: `expected ${LAYER_SPEC_HELP}`,
  })
  .meta({ description: `Layers (rows of W+): ${LAYER_SPEC_HELP}.` });

const sourceName = z
  .string()
  .check((ctx) => {
    if (!findSource(ctx.value)) ctx.issues.push({ code: 'custom', input: ctx.value, message: unknownSourceMessage(ctx.value) });
  })
  .meta({
    anyOf: [{ enum: sourceCompletions().names }, ...sourceCompletions().patterns.map((p) => ({ pattern: p }))],
  });

const oneSource = z.union([sourceName, z.number()], { error: 'expected a source name (e.g. onset.kick) or a number' });

const targetName = z
  .string()
  .check((ctx) => {
    if (!findTarget(ctx.value)) {
      const names = TARGETS.map((d) => d.name);
      const near = closestName(ctx.value, targetNameCandidates(ctx.value));
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `unknown target '${ctx.value}'${near ? `; did you mean '${near}'?` : ''} Expected one of ${names.join(', ')}`,
      });
    }
  })
  .meta({ anyOf: [{ enum: targetCompletions().names }, ...targetCompletions().patterns.map((p) => ({ pattern: p }))] });

/** One modifier: an object with exactly one key from the modifier table. */
const modifierShape: Record<string, z.ZodOptional<z.ZodType>> = {};
for (const m of MODIFIERS) modifierShape[m.key] = m.schema.optional().meta({ description: m.doc });
export const modifierSchema = z
  .strictObject(modifierShape)
  .check((ctx) => {
    const keys = Object.keys(ctx.value).filter((k) => (ctx.value as Record<string, unknown>)[k] !== undefined);
    if (keys.length !== 1) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message:
          keys.length === 0
            ? `a modifier needs one key: ${MODIFIER_KEYS.join(', ')}`
            : `a modifier has exactly one key, found ${keys.map((k) => `'${k}'`).join(', ')}; write each as its own list item`,
      });
    }
  })
  .meta({ minProperties: 1, maxProperties: 1 });

export const OPS = ['set', 'add', 'mul', 'max', 'min'] as const;

export const routeSchema = z
  .strictObject({
    source: z
      .union([oneSource, z.array(oneSource).min(2)], { error: 'expected a source name, a number, or a list of 2+ sources' })
      .meta({ description: 'Where the value comes from: a feature, an event, a control, time or an LFO; a list is reduced by a first `combine` modifier.' }),
    modifiers: z.array(modifierSchema).default([]).meta({ description: 'Applied in order, each an object with one key.' }),
    target: targetName.meta({ description: 'What the value moves.' }),
    layers: layersSpec.optional(),
    op: z.enum(OPS).default('set').meta({ description: 'How the value meets the target: set (later routes win), add, mul, max, min.' }),
    smoothMs: z.number().min(0).optional().meta({ description: "Final causal smoothing (ms); default: the target's gentle default, or 0 when the route smooths itself." }),
    comment: z.string().optional(),
  })
  .meta({ description: 'source → modifiers → target' });

const bankSchema = z
  .strictObject({
    seeds: z.array(z.number().int().min(0).max(0xffffffff)).min(1).optional().meta({ description: 'Latents from seeds through the model\'s mapping network (z as NVIDIA\'s generate.py draws it: numpy RandomState(seed).randn).' }),
    file: z.string().min(1).optional().meta({ description: 'Latents from a .npy, .npz (e.g. projected_w.npz) or .json file, relative to this mapping file: W [N, wDim], W+ [N, numWs, wDim] whose rows repeat one w, or z [N, zDim] with space: z.' }),
    classes: z.array(z.number().int().min(0)).min(1).optional().meta({ description: 'One latent per class of a class-conditional model, all from the z of classSeed.' }),
    classSeed: z.number().int().min(0).max(0xffffffff).optional().meta({ description: 'Seed of the z shared by the classes (default 0).' }),
    space: z.enum(['w', 'z']).optional().meta({ description: 'What `file` holds: w (default) or z (mapped through the network).' }),
    w: z.array(z.array(z.number()).min(1)).min(1).optional().meta({ description: 'W vectors inline.' }),
    capture: z.number().int().min(1).max(64).optional().meta({ description: 'Slots filled live by `banks.<name>.capture` (start as w_avg, or as the seeds when given).' }),
  })
  .check((ctx) => {
    const v = ctx.value;
    const given = (['seeds', 'file', 'w', 'classes'] as const).filter((k) => v[k] !== undefined);
    if (given.length > 1) ctx.issues.push({ code: 'custom', input: v, message: `a bank takes one of seeds, file, w or classes, found ${given.join(' and ')}` });
    if (given.length === 0 && v.capture === undefined) ctx.issues.push({ code: 'custom', input: v, message: 'a bank needs seeds, file, w, classes, or capture' });
  });

const latentGenSchema = z.strictObject({
  bank: name.meta({ description: 'The bank this generator draws from.' }),
  mode: z
    .enum(['weights', 'loop', 'index'])
    .default('weights')
    .meta({ description: 'weights: weighted mean of the bank (chroma weighting); loop: through the bank over `bars`; index: one latent, chosen by `latents.<name>.index`.' }),
  layers: layersSpec.default('all'),
  bars: z.number().positive().default(8).meta({ description: 'loop: bars per full cycle, locked to the bar phase.' }),
  interp: z.enum(['slerp', 'spline', 'linear']).default('slerp').meta({ description: 'loop and index: slerp (around w_avg), Catmull-Rom spline, or linear.' }),
  order: z.array(z.number().int().min(0)).min(2).optional().meta({ description: 'loop: the sequence of bank indices (default: all in order).' }),
});

const pullSchema = z.strictObject({
  bank: name,
  index: z.number().int().min(0).default(0),
  layers: layersSpec.default('all'),
});

const feather = z.number().min(0).max(1).default(0.05);
const maskSchema = z.discriminatedUnion(
  'shape',
  [
    z.strictObject({ shape: z.literal('full') }),
    z.strictObject({
      shape: z.literal('circle'),
      x: z.number().default(0.5),
      y: z.number().default(0.5),
      radius: z.number().positive().default(0.3),
      feather,
      invert: z.boolean().default(false),
    }),
    z.strictObject({ shape: z.literal('half'), side: z.enum(['left', 'right', 'top', 'bottom']), feather }),
    z.strictObject({
      shape: z.literal('gradient'),
      direction: z.enum(['x', 'y', 'radial']).default('x'),
      from: z.number().default(0),
      to: z.number().default(1),
    }),
    z.strictObject({ shape: z.literal('image'), file: z.string().min(1), invert: z.boolean().default(false) }),
  ],
  { error: "expected shape: full, circle, half, gradient or image" },
);

const noiseLoop = z.strictObject({
  fields: z.tuple([z.number().int().min(0), z.number().int().min(0)]).optional().meta({ description: 'Two bank field indices mixed as cos/sin (unit variance).' }),
  periodBeats: z.number().positive().optional(),
  periodBars: z.number().positive().optional(),
  periodS: z.number().positive().optional(),
});

const noiseSchema = z.strictObject({
  slow: noiseLoop.default({ periodBars: 8 }),
  fast: noiseLoop.default({ periodBeats: 1 }),
  masks: z.record(name, maskSchema).default({}).meta({ description: 'Spatial regions in order (region 0, 1, …), each strength a target `noise.mask.<name>`.' }),
});

const sectionsSchema = z.strictObject({
  sets: z
    .record(name, z.array(name).min(1))
    .meta({ description: 'Named sets of latent generators in order; `section.position` 0 plays the first set, 1 the second …' }),
  crossfade: z.number().min(0).max(1).default(0.5).meta({ description: 'Width of the crossfade between neighbouring sets, in units of position.' }),
  cueQuantise: z.enum(['none', 'beat', 'bar']).default('bar'),
  cueFadeMs: z.number().min(0).default(500),
});

const clockSchema = z.strictObject({
  fallbackBpm: z.number().min(20).max(400).default(120).meta({ description: 'Tempo of the free-running clock before any tempo is known.' }),
  minConfidence: z.number().min(0).max(1).default(0.3).meta({ description: 'Below this tempo confidence the clock free-runs at the last tempo.' }),
});

export const mappingSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    description: z.string().optional(),
    banks: z.record(name, bankSchema).default({}),
    latents: z.record(name, latentGenSchema).default({}),
    pulls: z.record(name, pullSchema).default({}),
    sections: sectionsSchema.optional(),
    noise: noiseSchema.optional(),
    clock: clockSchema.prefault({}),
    routes: z.array(routeSchema).default([]),
  })
  .check(crossReferences);

export type MappingSpec = z.output<typeof mappingSchema>;
export type RouteSpec = z.output<typeof routeSchema>;
export type BankSpec = z.output<typeof bankSchema>;
export type LatentGenSpec = z.output<typeof latentGenSchema>;
export type MaskSpec = z.output<typeof maskSchema>;
export type NoiseLoopSpec = z.output<typeof noiseLoop>;

/** Names that must refer to something declared in the same file; the error points at the referring key. */
function crossReferences(ctx: { value: Record<string, unknown>; issues: Array<Record<string, unknown>> }): void {
  const v = ctx.value as unknown as MappingSpec;
  const issue = (path: Array<string | number>, message: string): void => {
    ctx.issues.push({ code: 'custom', input: undefined, path, message });
  };
  const declared = (kind: string, n: string, pool: Record<string, unknown>): string => {
    const names = Object.keys(pool);
    const near = closestName(n, names);
    return (
      `no ${kind} named '${n}'` +
      (near ? `; did you mean '${near}'?` : '') +
      (names.length ? ` Declared: ${names.join(', ')}` : ` (declare it under '${kind}:')`)
    );
  };
  for (const [g, spec] of Object.entries(v.latents)) {
    if (!(spec.bank in v.banks)) issue(['latents', g, 'bank'], declared('banks', spec.bank, v.banks));
  }
  for (const [p, spec] of Object.entries(v.pulls)) {
    if (!(spec.bank in v.banks)) issue(['pulls', p, 'bank'], declared('banks', spec.bank, v.banks));
  }
  if (v.sections) {
    for (const [s, gens] of Object.entries(v.sections.sets)) {
      gens.forEach((g, i) => {
        if (!(g in v.latents)) issue(['sections', 'sets', s, i], declared('latents', g, v.latents));
      });
    }
  }
  const masks = v.noise?.masks ?? {};
  v.routes.forEach((r, i) => {
    const found = findTarget(r.target);
    if (!found) return; // reported by the target's own check
    const { def, ref } = found;
    if (def.ref && ref !== null) {
      const pool: Record<string, unknown> =
        def.ref === 'latents' ? v.latents : def.ref === 'banks' ? v.banks : def.ref === 'pulls' ? v.pulls : masks;
      if (!(ref in pool)) issue(['routes', i, 'target'], declared(def.ref === 'masks' ? 'noise.masks' : def.ref, ref, pool));
      else if (def.name === 'latents.<name>.weights' && v.latents[ref]!.mode !== 'weights')
        issue(['routes', i, 'target'], `latents.${ref} has mode '${v.latents[ref]!.mode}'; weights need mode: weights`);
      else if (def.name === 'latents.<name>.index' && v.latents[ref]!.mode !== 'index')
        issue(['routes', i, 'target'], `latents.${ref} has mode '${v.latents[ref]!.mode}'; index needs mode: index`);
      else if (def.name === 'banks.<name>.capture' && v.banks[ref]!.capture === undefined)
        issue(['routes', i, 'target'], `bank '${ref}' has no capture slots; add capture: <n> to it`);
    }
    if (r.layers !== undefined && def.shape !== 'layers') {
      issue(['routes', i, 'layers'], `target '${r.target}' has no layers; layers: applies to noise.strength, bend.*, rewrite.strength and direction.<k>`);
    }
    const sources = Array.isArray(r.source) ? r.source : [r.source];
    const combineAt = r.modifiers.findIndex((m) => m.combine !== undefined);
    if (sources.length > 1 && combineAt !== 0) {
      issue(['routes', i, combineAt < 0 ? 'source' : 'modifiers'], `a route with ${sources.length} sources must start its modifiers with combine: (${'sum, max, min, mean, product, mix'})`);
    } else if (sources.length === 1 && combineAt >= 0) {
      issue(['routes', i, 'modifiers', combineAt], 'combine needs a list of sources');
    } else if (r.modifiers.some((m, j) => j > 0 && m.combine !== undefined)) {
      issue(['routes', i, 'modifiers'], 'combine must be the first modifier');
    }
    const widths = sources.map((s) => (typeof s === 'number' ? 1 : (findSource(s)?.def.width ?? 1)));
    if (widths.some((w) => w !== widths[0])) issue(['routes', i, 'source'], `sources of one route must have the same width; got ${widths.join(', ')}`);
    if (widths[0]! > 1 && def.shape === 'scalar') {
      issue(['routes', i, 'target'], `'${sources[0]}' has ${widths[0]} values but '${r.target}' takes one; use e.g. chroma.<pc> or a weights target`);
    }
    if (widths[0]! > 1 && def.shape === 'layers') {
      issue(['routes', i, 'target'], `'${sources[0]}' has ${widths[0]} values; '${r.target}' takes one value per route`);
    }
  });
}

/**
 * Offline pictures from a converted model: latents from seeds (NVIDIA's meaning), z / w / W+ files, an optional
 * class for conditional models; truncation toward w_avg, direction steps, and every per-frame control; rendered
 * in batches. `generate` and `seeds` are thin commands over this.
 */
import { UserError } from '../errors.js';
import { broadcastW, truncateRows } from './graph/inputs.js';
import { asLatents, readLatentArray } from '../contracts/latentFiles.js';
import { controlFeeds, NEUTRAL_CONTROLS, type PictureControls } from './controls.js';
import { applyDirections, readDirections, type DirectionStep } from './directions.js';
import { OfflineModel } from './offline.js';
import { zFromSeed } from '../contracts/seeds.js';
import type { Manifest } from './types.js';

/** Where the latents come from: exactly one of these. */
export interface LatentRequest {
  seeds?: number[];
  /** Files: z [N, zDim], w [N, wDim], W+ [N, numWs, wDim] (.npy, .npz, .json). */
  z?: string;
  w?: string;
  ws?: string;
}

export interface PictureRequest extends LatentRequest {
  /** Class of a conditional model. */
  classIndex?: number;
  truncation: number;
  directions: DirectionStep[];
  controls: PictureControls;
  /** Pictures per generator run. */
  batch?: number;
}

export interface Picture {
  /** seed0007, or the latent's index in its file. */
  label: string;
  seed: number | null;
  ws: Float32Array;
  rgba: Uint8Array;
  /** Raw float image [3, H, W] (empty when the model has no image output). */
  image: Float32Array;
}

/** One-hot labels [n × cDim] for a class, or undefined for an unconditional model. */
export function classLabels(m: Manifest, n: number, classIndex: number | undefined, model: string): Float32Array | undefined {
  const cDim = m.cDim ?? 0;
  if (cDim === 0) {
    if (classIndex !== undefined) throw new UserError(`--class: ${model} is not a class-conditional model`);
    return undefined;
  }
  if (classIndex === undefined) throw new UserError(`${model}: a class-conditional model with ${cDim} classes; give --class 0..${cDim - 1}`);
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= cDim) throw new UserError(`--class: ${classIndex} is not a class of this model (0..${cDim - 1})`);
  const labels = new Float32Array(n * cDim);
  for (let i = 0; i < n; i++) labels[i * cDim + classIndex] = 1;
  return labels;
}

/** W+ latents [n × numWs × wDim] for the request, before truncation, with their labels. */
export async function requestLatents(model: OfflineModel, r: LatentRequest & { classIndex?: number }): Promise<{ ws: Float32Array; labels: string[]; seeds: (number | null)[] }> {
  const m = model.manifest;
  const given = (['seeds', 'z', 'w', 'ws'] as const).filter((k) => r[k] !== undefined);
  if (given.length !== 1) throw new UserError('give exactly one of --seed, --z, --w or --ws');
  const sizes = { zDim: m.zDim, wDim: m.wDim, numWs: m.numWs };
  const indexLabels = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i));
  if (r.ws !== undefined) {
    const b = asLatents(readLatentArray(r.ws), r.ws, 'ws', sizes);
    if (r.classIndex !== undefined) throw new UserError('--class applies to z latents (seeds or --z); W+ latents already hold the class');
    return { ws: Float32Array.from(b.data), labels: indexLabels(b.count), seeds: Array(b.count).fill(null) };
  }
  if (r.w !== undefined) {
    const b = asLatents(readLatentArray(r.w), r.w, 'w', sizes);
    if (r.classIndex !== undefined) throw new UserError('--class applies to z latents (seeds or --z); W latents already hold the class');
    const ws = new Float32Array(b.count * m.numWs * m.wDim);
    for (let i = 0; i < b.count; i++) ws.set(broadcastW(b.data.subarray(i * m.wDim, (i + 1) * m.wDim), m.numWs), i * m.numWs * m.wDim);
    return { ws, labels: indexLabels(b.count), seeds: Array(b.count).fill(null) };
  }
  let z: Float32Array;
  let labels: string[];
  let seeds: (number | null)[];
  if (r.z !== undefined) {
    const b = asLatents(readLatentArray(r.z), r.z, 'z', sizes);
    z = b.data;
    labels = indexLabels(b.count);
    seeds = Array(b.count).fill(null);
  } else {
    const list = r.seeds!;
    z = new Float32Array(list.length * m.zDim);
    list.forEach((s, i) => z.set(zFromSeed(s, m.zDim), i * m.zDim));
    labels = list.map((s) => `seed${String(s).padStart(4, '0')}`);
    seeds = list;
  }
  const n = z.length / m.zDim;
  const w = await model.mapZ(z, classLabels(m, n, r.classIndex, model.dir));
  const ws = new Float32Array(n * m.numWs * m.wDim);
  for (let i = 0; i < n; i++) ws.set(broadcastW(w.subarray(i * m.wDim, (i + 1) * m.wDim), m.numWs), i * m.numWs * m.wDim);
  return { ws, labels, seeds };
}

/** The pictures of a request (one per latent). */
export async function makePictures(model: OfflineModel, r: PictureRequest, onChunk?: (done: number, total: number) => void): Promise<Picture[]> {
  const m = model.manifest;
  const lat = await requestLatents(model, r);
  // Directions step the untruncated latent, as the show's `direction.<k>` targets do (the generator truncates after
  // the mapper), so `generate --direction` paints what a mapping with the same ψ and amounts paints.
  if (r.directions.length > 0) applyDirections(lat.ws, m.numWs, m.wDim, await readDirections(model.dir, m.wDim), r.directions);
  truncateRows(lat.ws, m.wAvg, r.truncation);
  const feeds = controlFeeds(m, r.controls ?? NEUTRAL_CONTROLS, model.dir);
  const out = await model.render(lat.ws, feeds, r.batch, onChunk);
  const per = m.numWs * m.wDim;
  return lat.labels.map((label, i) => ({ label, seed: lat.seeds[i]!, ws: lat.ws.slice(i * per, (i + 1) * per), rgba: out.rgba[i]!, image: out.image[i]! }));
}

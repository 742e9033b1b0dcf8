import type { Manifest, ManifestLayer } from '../../src/generator/types.js';
import type { Features } from '../../src/contracts/features.js';
import type { LatentProvider } from '../../src/visual/latents.js';
import { SeededNormal } from '../../src/generator/randomModel.js';
import type { ControlState } from '../../src/contracts/control.js';
import type { HeldFeatures } from '../../src/contracts/stages.js';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMapper, type Mapper } from '../../src/mapping/index.js';

/**
 * A manifest laid out like the converter's for a StyleGAN2 at `resolution` (1024 → 18 W rows): conv1 and ToRGB
 * at 4², then conv0 (up), conv1, ToRGB per resolution; noise on every conv; bends on conv1 of 8²–128²;
 * rewrites on conv1 of 8²–32²; K = 4 noise fields, 4 mask regions of 16².
 */
export function fakeManifest(resolution = 1024, wDim = 512): Manifest {
  const layers: ManifestLayer[] = [];
  let noise = 0;
  let bend = 0;
  let rewrite = 0;
  let w = 0;
  const conv = (name: string, res: number, wIndex: number, canBend: boolean): void => {
    layers.push({
      name,
      resolution: res,
      channels: 512,
      wIndex,
      noiseIndex: noise++,
      bendIndex: canBend && res >= 8 && res <= 128 ? bend++ : -1,
      rewriteIndex: canBend && res >= 8 && res <= 32 ? rewrite++ : -1,
    });
  };
  conv('b4.conv1', 4, w, false);
  layers.push({ name: 'b4.torgb', resolution: 4, channels: 3, wIndex: w + 1, noiseIndex: -1, bendIndex: -1, rewriteIndex: -1 });
  for (let r = 8; r <= resolution; r *= 2) {
    conv(`b${r}.conv0`, r, w + 1, false);
    conv(`b${r}.conv1`, r, w + 2, true);
    layers.push({ name: `b${r}.torgb`, resolution: r, channels: 3, wIndex: w + 3, noiseIndex: -1, bendIndex: -1, rewriteIndex: -1 });
    w += 2;
  }
  const numWs = w + 2;
  const rng = new SeededNormal(7);
  return {
    version: 1,
    width: resolution,
    height: resolution,
    numWs,
    wDim,
    zDim: wDim,
    layers,
    numNoise: noise,
    noiseBank: 4,
    maskRegions: 4,
    maskSize: 16,
    numBend: bend,
    numRewrite: rewrite,
    wAvg: Array.from(rng.fill(new Float32Array(wDim), 0.1)),
    origin: { file: 'fake', format: 'test', sha256: '' },
    files: { generator: 'generator.onnx', mapping: 'mapping.onnx' },
    options: {},
  };
}

/** Deterministic stand-in for the mapping network (unit tests only; the ONNX provider is tested on a real model). */
export function fakeProvider(manifest: Manifest): LatentProvider & { calls: number } {
  const p = {
    wDim: manifest.wDim,
    numWs: manifest.numWs,
    wAvg: Float32Array.from(manifest.wAvg),
    calls: 0,
    async fromSeeds(seeds: number[]) {
      p.calls += 1;
      return seeds.map((s) => new SeededNormal((s * 2654435761) >>> 0).fill(new Float32Array(manifest.wDim)));
    },
  };
  return p;
}

export function controls(values: Record<string, number> = {}, targets: Record<string, number> = {}): ControlState {
  return { values: new Map(Object.entries(values)), targets: new Map(Object.entries(targets)), scene: 0, blackout: false, freeze: false };
}

export interface FeatureOpts {
  t: number;
  chroma?: number[];
  bassChroma?: number[];
  kick?: number;
  snare?: number;
  hats?: number;
  rms?: number;
  rmsSlow?: number;
  events?: string[];
  bpm?: number;
  beatPhase?: number;
  barPhase?: number;
  confidence?: number;
  /** Tempo known (absent: the field is left out, as from sources that do not say). */
  known?: boolean;
  beatsPerBar?: number;
  chord?: Features['chord'];
  /** Live section state (contrast 0.5 for a drop, −0.5 for a breakdown, 0 steady). */
  energy?: 'steady' | 'drop' | 'breakdown';
}

export function features(o: FeatureOpts): HeldFeatures {
  const f: Features = {
    t: o.t,
    chroma: Float32Array.from(o.chroma ?? new Array(12).fill(0)),
    bassChroma: Float32Array.from(o.bassChroma ?? new Array(12).fill(0)),
    onset: { all: Math.max(o.kick ?? 0, o.snare ?? 0, o.hats ?? 0), kick: o.kick ?? 0, snare: o.snare ?? 0, hats: o.hats ?? 0 },
    events: [],
    rms: o.rms ?? 0.5,
    rmsSlow: o.rmsSlow ?? 0.5,
    bandRms: { low: 0, mid: 0, high: 0 },
    novelty: 0,
    section: 0,
    tempo: { bpm: o.bpm ?? 120, beatPhase: o.beatPhase ?? 0, barPhase: o.barPhase ?? 0, confidence: o.confidence ?? 0, source: 'test' },
  };
  if (o.known !== undefined) f.tempo.known = o.known;
  if (o.beatsPerBar !== undefined) f.tempo.beatsPerBar = o.beatsPerBar;
  if (o.chord) f.chord = o.chord;
  if (o.energy) f.energy = { state: o.energy, contrast: o.energy === 'drop' ? 0.5 : o.energy === 'breakdown' ? -0.5 : 0 };
  return { latest: f, onsetMax: { ...f.onset }, events: new Set(o.events ?? []) };
}

/** A mapper over `text` written to a temporary file (no watching); `done` closes it and removes the file. */
export async function mapperFor(
  text: string,
  manifest: Manifest = fakeManifest(1024),
  latents: LatentProvider = fakeProvider(manifest),
): Promise<{ mapper: Mapper; done: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lvj-map-'));
  const file = join(dir, 'm.yaml');
  writeFileSync(file, text);
  const mapper = await createMapper({ file, manifest, latents, watch: false });
  return {
    mapper,
    done: async () => {
      await mapper.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

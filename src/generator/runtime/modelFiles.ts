/**
 * A model directory on disk: manifest.json plus the ONNX files it names. Every problem is one clear line naming
 * the file and what was expected, raised before any worker starts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import type { Manifest } from '../types.js';

export interface ModelFiles {
  dir: string;
  manifestFile: string;
  manifest: Manifest;
  generatorFile: string;
  /** The fp16 variant, when the manifest names one and it exists. */
  generatorFp16File: string | null;
}

const NUMBER_FIELDS = ['width', 'height', 'numWs', 'wDim', 'numNoise', 'noiseBank', 'maskRegions', 'maskSize', 'numBend', 'numRewrite'] as const;

/** Reads and checks `<dir>/manifest.json`. */
export function loadModelFiles(dirIn: string): ModelFiles {
  const dir = resolve(dirIn);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`${dirIn}: model directory not found (expected a folder with manifest.json and generator.onnx; make one with \`latentvj convert <checkpoint> -o <dir>\`)`);
  }
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new UserError(`${manifestFile}: missing (a model directory holds manifest.json beside generator.onnx; \`latentvj convert\` writes both)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (e) {
    throw new UserError(`${manifestFile}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const manifest = checkManifest(raw, manifestFile);
  const generatorFile = join(dir, manifest.files.generator);
  if (!existsSync(generatorFile)) {
    throw new UserError(`${generatorFile}: missing (named by ${manifestFile} files.generator)`);
  }
  const fp16 = manifest.files.generatorFp16 ? join(dir, manifest.files.generatorFp16) : null;
  return { dir, manifestFile, manifest, generatorFile, generatorFp16File: fp16 && existsSync(fp16) ? fp16 : null };
}

function checkManifest(raw: unknown, file: string): Manifest {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(`${file}: expected a JSON object`);
  const m = raw as Record<string, unknown>;
  for (const k of NUMBER_FIELDS) {
    const v = m[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new UserError(`${file}: ${k}: expected a non-negative integer, got ${JSON.stringify(v)}`);
    }
  }
  if ((m.width as number) < 1 || (m.height as number) < 1) throw new UserError(`${file}: width/height must be ≥ 1`);
  const files = m.files as Record<string, unknown> | undefined;
  if (!files || typeof files.generator !== 'string' || files.generator.length === 0) {
    throw new UserError(`${file}: files.generator: expected the generator's file name, e.g. "generator.onnx"`);
  }
  if (m.wAvg !== undefined && !(Array.isArray(m.wAvg) && (m.wAvg.length === 0 || m.wAvg.length === m.wDim))) {
    throw new UserError(`${file}: wAvg: expected ${String(m.wDim)} numbers (wDim) or an empty list`);
  }
  return { wAvg: [], layers: [], options: {}, ...(m as object) } as unknown as Manifest;
}
